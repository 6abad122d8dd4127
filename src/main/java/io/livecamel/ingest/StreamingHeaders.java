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
            + "SegmentFinished, PlaylistChanged, PublisherLeft, PublisherReconnected, SessionEnded, SessionHandedOver, "
            + "RestreamStarted or RestreamFailed.",
            javaType = "String", enums = IngestEvent.VALUES)
    public static final String EVENT = "StreamingEvent";
    /** The publisher's connection number within the session (1, then 2 after a reconnect...). */
    @Metadata(description = "The publisher's connection number within the session (1, then 2 after a reconnect...).", javaType = "Integer")
    public static final String CONNECTION = "StreamingConnection";
    /** On {@link IngestEvent#PublisherLeft}: the exit code of the connection's ffmpeg. */
    @Metadata(description = "On PublisherLeft: the exit code of the connection's ffmpeg.", javaType = "Integer")
    public static final String EXIT_CODE = "StreamingExitCode";
    /** On {@link IngestEvent#PublisherLeft}, {@link IngestEvent#SessionEnded}, a hand-over, a restream failure: why. */
    @Metadata(description = "On PublisherLeft, SessionEnded, SessionHandedOver and RestreamFailed: why, in words.",
            javaType = "String")
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

    /** On RestreamStarted and RestreamFailed: the destination, by its host and a short hash (never its key). */
    @Metadata(description = "On RestreamStarted and RestreamFailed: the destination, named by its host and a short "
            + "hash of its URL (never its key).", javaType = "String")
    public static final String DESTINATION = "StreamingDestination";

    /** On a session's events: the metadata the admission gave the publisher (a map; a user id...). */
    @Metadata(description = "On the session events: the metadata the admission route gave the session's publisher "
            + "(a map), when it gave any.", javaType = "java.util.Map")
    public static final String METADATA = "StreamingMetadata";
    /** On a session's events: whether the session is kept as a recording, when the admission said. */
    @Metadata(description = "On the session events: whether the session is kept as a recording, when the admission "
            + "route said so (else the application's setting decides).", javaType = "Boolean")
    public static final String RECORD = "StreamingRecord";

    /** In cluster mode, on a session's events: the node that writes the session now (the one it goes to, on SessionHandedOver). */
    @Metadata(description = "In cluster mode, on the session events: the id of the node that writes the session "
            + "(on SessionHandedOver: the node it goes to; none when this node lost the channel).", javaType = "String")
    public static final String NODE = "StreamingNode";
    /** On a session's event when it was taken up from another node: that node. */
    @Metadata(description = "In cluster mode, on the PublisherReconnected or SessionRecovered of a session taken up "
            + "from another node: that node's id.", javaType = "String")
    public static final String PREVIOUS_NODE = "StreamingPreviousNode";
    /**
     * In cluster mode: the ETag of the channel's playlist at the origin when this node took the channel (empty: there
     * was none), which its next playlist write must match.
     */
    @Metadata(description = "In cluster mode, on SessionStarted, SessionRecovered and a PublisherReconnected that "
            + "takes a session up: the ETag of the channel's playlist at the origin when this node took the channel "
            + "(empty: there was none). The node's playlist writes are fenced with it.", javaType = "String")
    public static final String PLAYLIST_TAG = "StreamingPlaylistTag";

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
    /** From the admission route: where the session's stream goes on to (rtmp:// and rtmps:// URLs with their keys). */
    @Metadata(label = "admission", description = "From the admission route: the destinations the session's stream "
            + "is restreamed to, rtmp:// or rtmps:// URLs whose last path element is the destination's key (a list, or "
            + "one text separated by commas). Secret: never log it.", javaType = "String", secret = true)
    public static final String RESTREAM = "StreamingRestream";

    private StreamingHeaders() {
    }
}
