package io.livecamel.origin;

/**
 * The headers the origin routes ({@code origin.camel.yaml}) add to a channel's messages, beside the {@code hls-ingest}
 * component's ({@link io.livecamel.ingest.StreamingHeaders}).
 */
public final class OriginHeaders {

    /** On the stream-end route: the playlist to publish is the session's last (it gets #EXT-X-ENDLIST). */
    public static final String FINAL = "StreamingFinal";
    /** On SessionEnded once closed at the origin: segments, bytes, durationSeconds. */
    public static final String SUMMARY = "StreamingSummary";
    /** On SessionEnded with recording on: the URL of the session's recording (a VOD playlist). */
    public static final String RECORDING = "StreamingRecording";

    private OriginHeaders() {
    }
}
