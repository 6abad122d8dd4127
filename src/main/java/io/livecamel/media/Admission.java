package io.livecamel.media;

/**
 * The answer to a publisher that names a stream key: let in on a channel, with the sink its media goes to, or
 * refused with a reason fit for the log and the publisher (never the key). {@code channel} names the channel the
 * key belongs to, if any, also when refused (it is busy, stopping...).
 */
public record Admission(String channel, MediaSink sink, String refusal) {

    public static Admission admitted(String channel, MediaSink sink) {
        return new Admission(channel, sink, null);
    }

    public static Admission refused(String channel, String reason) {
        return new Admission(channel, null, reason);
    }

    public boolean isAdmitted() {
        return sink != null;
    }
}
