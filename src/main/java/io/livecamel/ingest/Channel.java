package io.livecamel.ingest;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One broadcaster's channel: a public name (it appears in viewer URLs), a secret stream key (it must never appear
 * anywhere a viewer or a log reader can see it, which is why {@link #toString()} leaves it out; it picks the channel
 * on the one RTMP port) and, optionally, an SRT port whose passphrase is the key.
 */
public final class Channel {

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~-]{1,256}");

    private final String name;
    private final String key;
    private final OptionalInt srtPort;
    private final boolean generatedKey;

    public Channel(String name, String key, boolean generatedKey) {
        this(name, key, OptionalInt.empty(), generatedKey);
    }

    public Channel(String name, String key, OptionalInt srtPort, boolean generatedKey) {
        this.name = name;
        this.key = key;
        this.srtPort = srtPort;
        this.generatedKey = generatedKey;
    }

    /** What a channel name may be, for error messages. */
    public static final String NAME_RULE = "a channel name appears in viewer URLs and object keys, so it is 1 to 64 "
            + "letters, digits, '-' and '_'";

    /** Whether a text can be a channel name: it appears in viewer URLs and object keys. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public String name() {
        return name;
    }

    /** The secret stream key. Only the ingest and the start-up banner (for a generated key) use it. */
    public String key() {
        return key;
    }

    /** The UDP port of the channel's SRT listener, if it has one. */
    public OptionalInt srtPort() {
        return srtPort;
    }

    /** True when no key was configured and the application made one up for a demo in embedded mode. */
    public boolean generatedKey() {
        return generatedKey;
    }

    /** Replaces the key in a text that may carry it (an ffmpeg log line, an error message). */
    public String redact(String text) {
        return text == null || key.isEmpty() ? text : text.replace(key, "<stream key>");
    }

    @Override
    public String toString() {
        return "Channel[" + name + "]";
    }
}
