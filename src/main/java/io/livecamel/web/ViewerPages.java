package io.livecamel.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.livecamel.origin.Recordings;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Header;

/** The channel list ({@code /}), a channel's player ({@code /watch/<channel>}) and the hls.js it uses. */
public final class ViewerPages {

    static final String HLS_JS = "META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js";

    private final StreamingSettings settings;
    private final Recordings recordings;
    private final String index;
    private final String watch;
    private byte[] hlsJs;

    public ViewerPages(StreamingSettings settings, Recordings recordings) {
        this.settings = settings;
        this.recordings = recordings;
        this.index = new String(resource("web/index.html"), StandardCharsets.UTF_8);
        this.watch = new String(resource("web/watch.html"), StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ViewerPages.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String index() {
        return index;
    }

    /** The player of a channel that exists (configured, seen, or with objects at the origin), or null (404). */
    public String watch(@Header("channel") String channel) {
        if (!recordings.exists(channel)) {
            return null;
        }
        // a channel name is [A-Za-z0-9_-]; the URL comes from the settings: both are safe in HTML and in a JS string
        return watch.replace("{{CHANNEL}}", channel)
                .replace("{{PLAYLIST_URL}}", settings.publicPlaylistUrl(channel).replace("\"", "%22")
                        .replace("<", "%3C").replace(">", "%3E"));
    }

    /** Read at the first request: an application without the player page (Karaf) need not carry the webjar. */
    public synchronized byte[] hlsJs() {
        if (hlsJs == null) {
            hlsJs = resource(HLS_JS);
        }
        return hlsJs;
    }
}
