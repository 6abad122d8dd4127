package io.livecamel.media;

/**
 * The answer to a publisher that names a stream key: let in on a channel, with the sink its media goes to, or
 * refused with a reason fit for the log and the publisher (never the key, never a backend's own words).
 * {@code channel} names the channel the key belongs to, if any, also when refused (it is busy, stopping...).
 * {@code failed} tells a refusal because nobody could decide (the backend is down, slow, answered nonsense) from a
 * refusal by decision: the publisher is told {@code NetStream.Publish.Failed} rather than {@code .BadName}.
 */
public record Admission(String channel, MediaSink sink, String refusal, boolean failed) {

    public static Admission admitted(String channel, MediaSink sink) {
        return new Admission(channel, sink, null, false);
    }

    public static Admission refused(String channel, String reason) {
        return new Admission(channel, null, reason, false);
    }

    /** Refused because the decision could not be made. */
    public static Admission failed(String channel, String reason) {
        return new Admission(channel, null, reason, true);
    }

    public boolean isAdmitted() {
        return sink != null;
    }
}
