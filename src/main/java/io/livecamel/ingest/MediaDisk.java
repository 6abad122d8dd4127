package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk under the media folder, where ffmpeg writes every channel's segments: can a stream be written there now?
 * Not when the folder cannot be written (a read-only or missing mount, permissions), nor when less than the space to
 * keep free is left: ffmpeg would fail in the middle of a segment. Then publishers are refused and a live one is cut
 * while there is still room for what is finished to be uploaded and its session to end properly. It is checked when
 * a publisher comes, when a segment is finished and when the health check asks, so the channels work again by
 * themselves once the disk is fixed; the log says so once when it starts (ERROR) and once when it is over (INFO).
 * The reasons name no path: publishers are told them too.
 */
public final class MediaDisk {

    private static final Logger LOG = LoggerFactory.getLogger(MediaDisk.class);
    private static final long MB = 1024 * 1024;

    private final Path folder;
    private final long minFreeMb;
    /** Whether the last check found a problem, to log when one starts and when it is over. */
    private volatile boolean failing;
    /** The folder's file store, found once (finding it reads the mount table); it measures the folder's path. */
    private volatile FileStore store;

    MediaDisk(Path folder, long minFreeMb) {
        this.folder = folder;
        this.minFreeMb = minFreeMb;
    }

    /** Why no stream can be written now, or empty: the folder is written to (a file made and deleted) and measured. */
    public Optional<String> problem() {
        String problem = writeProblem();
        return seen(problem != null ? problem : spaceProblemNow());
    }

    /** Why no more of a stream can be written now, or empty: the free space only, for each finished segment. */
    Optional<String> spaceProblem() {
        return seen(spaceProblemNow());
    }

    private String writeProblem() {
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".write-check-", ".tmp"));
            return null;
        } catch (FileSystemException e) {
            return "the media folder cannot be written (" + (e.getReason() != null ? e.getReason()
                    : e.getClass().getSimpleName()) + ")";
        } catch (IOException e) {
            return "the media folder cannot be written (" + e.getClass().getSimpleName() + ")";
        }
    }

    private String spaceProblemNow() {
        try {
            long free = freeMb();
            return free < minFreeMb ? "the media folder's disk has " + free + " MB free, less than the " + minFreeMb
                    + " MB kept free" : null;
        } catch (IOException e) {
            return "the media folder's disk cannot be measured (" + e.getClass().getSimpleName() + ")";
        }
    }

    private Optional<String> seen(String problem) {
        boolean before = failing;
        failing = problem != null;
        if (problem != null && !before) {
            LOG.error("{} ({}): publishers are refused until it is fixed (a live one is cut, what it sent is kept)",
                    capitalised(problem), folder);
        } else if (problem == null && before) {
            LOG.info("The media folder {} can be written again ({} MB free): publishers are let in", folder,
                    free());
        }
        return Optional.ofNullable(problem);
    }

    private long free() {
        try {
            return freeMb();
        } catch (IOException e) {
            return 0;
        }
    }

    private long freeMb() throws IOException {
        FileStore found = store;
        if (found == null) {
            found = Files.getFileStore(folder);
            store = found;
        }
        return found.getUsableSpace() / MB;
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    @Override
    public String toString() {
        return "media folder " + folder + " (" + minFreeMb + " MB kept free)";
    }
}
