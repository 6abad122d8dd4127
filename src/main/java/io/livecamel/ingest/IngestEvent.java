package io.livecamel.ingest;

/**
 * What happened to a channel: the value of the {@link StreamingHeaders#EVENT} header on every message an
 * {@code hls-ingest} consumer hands its route, in the order it happened. The one list of them: the header's metadata
 * (the component's descriptor), the component's documentation and the comments of the shipped YAML routes name these
 * (a test checks each against this). The constants are the header's values as written in routes
 * ({@code ${header.StreamingEvent} == 'SessionStarted'}), hence their case.
 */
public enum IngestEvent {

    /** A publisher went live: a new session. */
    SessionStarted,
    /**
     * At start, a session an earlier run left unfinished (it stopped without ending it: a crash, a kill): what it
     * wrote goes to the origin, and the session ends unless a publisher comes back within the reconnect grace.
     */
    SessionRecovered,
    /** ffmpeg finished one or more segments (one event for however many came before the route took it). */
    SegmentFinished,
    /** ffmpeg replaced the session's playlist (one event for however many times). */
    PlaylistChanged,
    /** A publisher's connection ended; the session ends unless it comes back within the reconnect grace. */
    PublisherLeft,
    /** A publisher came back within the reconnect grace: the session goes on. */
    PublisherReconnected,
    /** The session is over: no publisher came back within the grace, or the application stops. */
    SessionEnded,
    /**
     * In cluster mode: this node no longer writes the session, which goes on on another node (a hand-over, header
     * StreamingNode), or which this node may no longer write (its lease was lost: no StreamingNode). What it finished
     * goes to the origin, the playlist only on a hand-over; its local files go.
     */
    SessionHandedOver,
    /** A restream destination took the session's stream (header StreamingDestination); again after each failure. */
    RestreamStarted,
    /**
     * A restream destination failed (StreamingDestination, StreamingReason): refused, unreachable, stalled or gone. It
     * is retried with back-off while the session lives; told once per failure, not at every retry.
     */
    RestreamFailed;

    /** Every value, as the header's metadata lists them (checked by a test against the enum). */
    public static final String VALUES = "SessionStarted,SessionRecovered,SegmentFinished,PlaylistChanged,"
            + "PublisherLeft,PublisherReconnected,SessionEnded,SessionHandedOver,RestreamStarted,RestreamFailed";
}
