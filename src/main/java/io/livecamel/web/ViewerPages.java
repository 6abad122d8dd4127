package io.livecamel.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Header;

/** The channel list ({@code /}), a channel's player ({@code /watch/<channel>}) and the hls.js it uses. */
public final class ViewerPages {

    static final String HLS_JS = "META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js";

    private final StreamingSettings settings;
    private final String index;
    private final String watch;
    private byte[] hlsJs;

    public ViewerPages(StreamingSettings settings) {
        this.settings = settings;
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

    /** The player of a configured channel, or null (404). */
    public String watch(@Header("channel") String channel) {
        if (settings.channel(channel).isEmpty()) {
            return null;
        }
        // a channel name is [a-z0-9-]; the URL comes from the settings: both are safe in HTML and in a JS string
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
