package io.livecamel;

import org.apache.camel.spi.Metadata;

/** Header names and event values of the messages that flow through a channel's routes. */
public final class StreamingHeaders {

    /** The channel name (public). */
    @Metadata(description = "The channel name (public).", javaType = "String")
    public static final String CHANNEL = "StreamingChannel";
    /** The publishing session id (it prefixes the session's segment names). */
    @Metadata(description = "The session id; it prefixes the session's segment names.", javaType = "String")
    public static final String SESSION = "StreamingSession";
    /** What happened: one of the event values below. */
    @Metadata(description = "What happened: SessionStarted, SessionRecovered, PublisherLeft, PublisherReconnected or SessionEnded.", javaType = "String")
    public static final String EVENT = "StreamingEvent";
    /** The publisher's connection number within the session (1, then 2 after a reconnect...). */
    @Metadata(description = "The publisher's connection number within the session (1, then 2 after a reconnect...).", javaType = "Integer")
    public static final String CONNECTION = "StreamingConnection";
    /** On {@link #PUBLISHER_LEFT}: the exit code of the connection's ffmpeg. */
    @Metadata(description = "On PublisherLeft: the exit code of the connection's ffmpeg.", javaType = "Integer")
    public static final String EXIT_CODE = "StreamingExitCode";
    /** On {@link #PUBLISHER_LEFT} and {@link #SESSION_ENDED}: why, in words. */
    @Metadata(description = "On PublisherLeft and SessionEnded: why, in words.", javaType = "String")
    public static final String REASON = "StreamingReason";
    /** On {@link #SESSION_STARTED} and {@link #PUBLISHER_RECONNECTED}: the publisher's address and port. */
    @Metadata(description = "On SessionStarted and PublisherReconnected: the publisher's address and port.", javaType = "String")
    public static final String REMOTE_ADDRESS = "StreamingRemoteAddress";
    @Metadata(description = "On SessionStarted and PublisherReconnected: the video codec (h264, hevc) or none.", javaType = "String")
    public static final String VIDEO_CODEC = "StreamingVideoCodec";
    @Metadata(description = "On SessionStarted and PublisherReconnected: the audio codec (aac, mp3) or none.", javaType = "String")
    public static final String AUDIO_CODEC = "StreamingAudioCodec";
    @Metadata(description = "On SessionStarted and PublisherReconnected: the video's width x height, when known.", javaType = "String")
    public static final String RESOLUTION = "StreamingResolution";
    /** On {@link #SESSION_ENDED} with recording on: the URL of the session's recording (a VOD playlist). */
    @Metadata(description = "On SessionEnded with streaming.recording on: the URL of the session's recording.", javaType = "String")
    public static final String RECORDING = "StreamingRecording";
    /** On {@link #SESSION_ENDED} once closed at the origin: segments, bytes, durationSeconds. */
    public static final String SUMMARY = "StreamingSummary";

    /** A publisher went live: a new session. */
    public static final String SESSION_STARTED = "SessionStarted";
    /**
     * At start, a session an earlier run left unfinished (it stopped without ending it: a crash, a kill): what it
     * wrote goes to the origin, and the session ends unless a publisher comes back within the reconnect grace.
     */
    public static final String SESSION_RECOVERED = "SessionRecovered";
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
