package io.livecamel.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Header;

/**
 * The local HLS folders, served read-only for debugging ({@code /media/<channel>/<file>}): only a configured
 * channel's folder, only segment and playlist files in it, never through a symbolic link or out of the folder.
 */
public final class MediaFiles {

    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*\\.(ts|m3u8)");

    private final StreamingSettings settings;
    private final Path mediaDir;

    public MediaFiles(StreamingSettings settings, Path mediaDir) {
        this.settings = settings;
        this.mediaDir = mediaDir;
    }

    /** The file to serve, or null (404) for anything else. */
    public File resolve(@Header("channel") String channel, @Header("file") String file) {
        if (file == null || file.contains("..") || !FILE.matcher(file).matches()
                || settings.channel(channel).isEmpty()) {
            return null;
        }
        try {
            Path folder = mediaDir.resolve(channel).toRealPath();
            Path candidate = folder.resolve(file);
            if (!candidate.getParent().equals(folder) || Files.isSymbolicLink(candidate)
                    || !Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return candidate.toFile();
        } catch (IOException e) {
            return null;
        }
    }

    /** The Content-Type of a file this serves. */
    public String contentType(@Header("file") String file) {
        return file.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t";
    }
}
