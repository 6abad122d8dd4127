package io.livecamel.ingest;

import org.apache.camel.spi.Metadata;

/**
 * The headers of the messages an {@code hls-ingest} consumer hands its route: which channel and session, what
 * happened ({@link IngestEvent}), and what the event tells. Never a stream key.
 */
public final class StreamingHeaders {

    /** The channel name (public); from the admission route, the channel it admits the publisher to. */
    @Metadata(description = "The channel name (public). From the admission route: the channel the publisher is "
            + "admitted to.", javaType = "String")
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

    /** On a session's events: the metadata the admission gave the publisher (a map; a user id...). */
    @Metadata(description = "On the session events: the metadata the admission route gave the session's publisher "
            + "(a map), when it gave any.", javaType = "java.util.Map")
    public static final String METADATA = "StreamingMetadata";
    /** On a session's events: whether the session is kept as a recording, when the admission said. */
    @Metadata(description = "On the session events: whether the session is kept as a recording, when the admission "
            + "route said so (else the application's setting decides).", javaType = "Boolean")
    public static final String RECORD = "StreamingRecord";

    // the admission route's message: what a publisher asks for, and the answer

    /** To the admission route: {@code publish} (a publisher asks) or {@code update} (a live one is checked again). */
    @Metadata(label = "admission", description = "To the admission route: publish (a publisher asks to publish) or "
            + "update (a live publisher is checked again).", javaType = "String", enums = "publish,update")
    public static final String CALL = "StreamingCall";
    @Metadata(label = "admission", description = "To the admission route: RTMP or RTMPS.", javaType = "String")
    public static final String PROTOCOL = "StreamingProtocol";
    @Metadata(label = "admission", description = "To the admission route: the application the publisher connected "
            + "to (live).", javaType = "String")
    public static final String APP = "StreamingApp";
    /** To the admission route: the stream name without its query, the secret key. Never log it. */
    @Metadata(label = "admission", description = "To the admission route: the stream name without its query, "
            + "the secret stream key. Never log it.", javaType = "String", secret = true)
    public static final String STREAM_KEY = "StreamingStreamKey";
    @Metadata(label = "admission", description = "To the admission route: the query parameters of the publish URL "
            + "(rtmp://host/live/KEY?token=...), decoded, as a map.", javaType = "java.util.Map")
    public static final String QUERY = "StreamingQuery";
    @Metadata(label = "admission", description = "To the admission route: the URL the publisher says it connected "
            + "to (RTMP's tcUrl).", javaType = "String")
    public static final String TC_URL = "StreamingTcUrl";
    @Metadata(label = "admission", description = "To the admission route: the connection's number on this server "
            + "(nginx-rtmp's clientid).", javaType = "Long")
    public static final String CLIENT_ID = "StreamingClientId";
    /** From the admission route: why the publisher is refused; set, it refuses whatever else is set. */
    @Metadata(label = "admission", description = "From the admission route: why the publisher is refused (told to "
            + "the publisher and the log: never a secret). Set, it refuses.", javaType = "String")
    public static final String REFUSAL = "StreamingRefusal";

    private StreamingHeaders() {
    }
}
