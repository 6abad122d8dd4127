package io.livecamel;

/** Header names and event values of the messages that flow through a channel's routes. */
public final class StreamingHeaders {

    /** The channel name (public). */
    public static final String CHANNEL = "StreamingChannel";
    /** The publishing session id (it prefixes the session's segment names). */
    public static final String SESSION = "StreamingSession";
    /** What happened: one of the event values below. */
    public static final String EVENT = "StreamingEvent";
    /** On {@link #SESSION_ENDED}: ffmpeg's exit code. */
    public static final String EXIT_CODE = "StreamingExitCode";
    /** On {@link #SESSION_STARTED}: the publisher's input as ffmpeg describes it (codecs, resolution). */
    public static final String INPUT = "StreamingInput";

    public static final String SESSION_STARTED = "SessionStarted";
    public static final String SESSION_ENDED = "SessionEnded";
    public static final String SEGMENT_FINISHED = "SegmentFinished";
    public static final String PLAYLIST_CHANGED = "PlaylistChanged";

    private StreamingHeaders() {
    }
}
