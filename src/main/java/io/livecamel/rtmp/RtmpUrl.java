package io.livecamel.rtmp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where a stream is pushed: {@code rtmp://host[:port]/app/key} or {@code rtmps://…} (RTMP inside TLS), the last path
 * element being the stream key (with its query, if any: Twitch's {@code ?bandwidthtest=true}), what comes before it
 * the application ({@code live2} for YouTube, {@code app} for Twitch, {@code rtmp} for Facebook). The key is a
 * secret: {@link #name()} and {@link #toString()} name the destination by its host and a short hash of the whole
 * URL, and no error message here quotes the URL.
 */
public record RtmpUrl(boolean tls, String host, int port, String app, String streamName, String name) {

    /** Whether a text is a destination URL this can push to; the exception says why not, never quoting it. */
    public static RtmpUrl parse(String url) {
        String text = url == null ? "" : url.trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("it is not a URL (a character at position " + e.getIndex()
                    + " is not allowed)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw new IllegalArgumentException("it is not an rtmp:// or rtmps:// URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("it has no host (or has a user name, which RTMP cannot send)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int last = path.lastIndexOf('/');
        if (last <= 0 || last == path.length() - 1) {
            throw new IllegalArgumentException("it needs an application and a stream key after the host "
                    + "(rtmp://host/app/key)");
        }
        boolean tls = scheme.equals("rtmps");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 1935;
        String key = path.substring(last + 1) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new RtmpUrl(tls, uri.getHost(), port, path.substring(1, last), key, uri.getHost() + "#"
                + shortHash(text));
    }

    /** What {@code connect} says the URL of the application is. */
    public String tcUrl() {
        boolean defaultPort = port == (tls ? 443 : 1935);
        return (tls ? "rtmps://" : "rtmp://") + host + (defaultPort ? "" : ":" + port) + "/" + app;
    }

    /** Replaces the stream key in a text that may carry it (what a server answered). */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String key = streamName.replaceAll("\\?.*", "");
        return key.isEmpty() ? text : text.replace(key, "<key>");
    }

    @Override
    public String toString() {
        return name;
    }

    private static String shortHash(String url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
