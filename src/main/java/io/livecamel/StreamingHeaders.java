package io.livecamel;

/** Header names and event values of the messages that flow through a channel's routes. */
public final class StreamingHeaders {

    /** The channel name (public). */
    public static final String CHANNEL = "StreamingChannel";
    /** The publishing session id (it prefixes the session's segment names). */
    public static final String SESSION = "StreamingSession";
    /** What happened: one of the event values below. */
    public static final String EVENT = "StreamingEvent";
    /** The publisher's connection number within the session (1, then 2 after a reconnect...). */
    public static final String CONNECTION = "StreamingConnection";
    /** On {@link #PUBLISHER_LEFT}: the exit code of the connection's ffmpeg. */
    public static final String EXIT_CODE = "StreamingExitCode";
    /** On {@link #PUBLISHER_LEFT} and {@link #SESSION_ENDED}: why, in words. */
    public static final String REASON = "StreamingReason";
    /** On {@link #SESSION_STARTED} and {@link #PUBLISHER_RECONNECTED}: the publisher's address and port. */
    public static final String REMOTE_ADDRESS = "StreamingRemoteAddress";
    public static final String VIDEO_CODEC = "StreamingVideoCodec";
    public static final String AUDIO_CODEC = "StreamingAudioCodec";
    public static final String RESOLUTION = "StreamingResolution";
    /** On {@link #SESSION_ENDED} once closed at the origin: segments, bytes, durationSeconds. */
    public static final String SUMMARY = "StreamingSummary";

    /** A publisher went live: a new session. */
    public static final String SESSION_STARTED = "SessionStarted";
    /** A publisher came back within the reconnect grace: the session goes on. */
    public static final String PUBLISHER_RECONNECTED = "PublisherReconnected";
    /** A publisher's connection ended; the session ends unless it comes back within the reconnect grace. */
    public static final String PUBLISHER_LEFT = "PublisherLeft";
    /** The session is over: no publisher came back within the grace, or the application stops. */
    public static final String SESSION_ENDED = "SessionEnded";
    public static final String SEGMENT_FINISHED = "SegmentFinished";
    public static final String PLAYLIST_CHANGED = "PlaylistChanged";

    private StreamingHeaders() {
    }
}
