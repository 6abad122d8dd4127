package io.livecamel.ingest;

import org.apache.camel.spi.Metadata;

/**
 * The headers of the messages an {@code hls-ingest} consumer hands its route: which channel and session, what
 * happened ({@link IngestEvent}), and what the event tells. Never a stream key.
 */
public final class StreamingHeaders {

    /** The channel name (public). */
    @Metadata(description = "The channel name (public).", javaType = "String")
    public static final String CHANNEL = "StreamingChannel";
    /** The publishing session id (it prefixes the session's segment names). */
    @Metadata(description = "The session id; it prefixes the session's segment names.", javaType = "String")
    public static final String SESSION = "StreamingSession";
    /** What happened: an {@link IngestEvent}'s name. */
    @Metadata(description = "What happened (io.livecamel.ingest.IngestEvent): SessionStarted, SessionRecovered, "
            + "SegmentFinished, PlaylistChanged, PublisherLeft, PublisherReconnected or SessionEnded.",
            javaType = "String", enums = IngestEvent.VALUES)
    public static final String EVENT = "StreamingEvent";
    /** The publisher's connection number within the session (1, then 2 after a reconnect...). */
    @Metadata(description = "The publisher's connection number within the session (1, then 2 after a reconnect...).", javaType = "Integer")
    public static final String CONNECTION = "StreamingConnection";
    /** On {@link IngestEvent#PublisherLeft}: the exit code of the connection's ffmpeg. */
    @Metadata(description = "On PublisherLeft: the exit code of the connection's ffmpeg.", javaType = "Integer")
    public static final String EXIT_CODE = "StreamingExitCode";
    /** On {@link IngestEvent#PublisherLeft} and {@link IngestEvent#SessionEnded}: why, in words. */
    @Metadata(description = "On PublisherLeft and SessionEnded: why, in words.", javaType = "String")
    public static final String REASON = "StreamingReason";
    /** On {@link IngestEvent#SessionStarted} and {@link IngestEvent#PublisherReconnected}: the publisher's address and port. */
    @Metadata(description = "On SessionStarted and PublisherReconnected: the publisher's address and port.", javaType = "String")
    public static final String REMOTE_ADDRESS = "StreamingRemoteAddress";
    @Metadata(description = "On SessionStarted and PublisherReconnected: the video codec (h264, hevc) or none.", javaType = "String")
    public static final String VIDEO_CODEC = "StreamingVideoCodec";
    @Metadata(description = "On SessionStarted and PublisherReconnected: the audio codec (aac, mp3) or none.", javaType = "String")
    public static final String AUDIO_CODEC = "StreamingAudioCodec";
    @Metadata(description = "On SessionStarted and PublisherReconnected: the video's width x height, when known.", javaType = "String")
    public static final String RESOLUTION = "StreamingResolution";

    private StreamingHeaders() {
    }
}
