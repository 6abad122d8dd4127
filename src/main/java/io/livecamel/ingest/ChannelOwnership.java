package io.livecamel.ingest;

import java.time.Duration;

/**
 * Who may write a channel when several nodes share one origin: this node takes the channel before it admits a
 * publisher to it, and gives it up once the channel's session has ended or gone to another node and its route has
 * closed its part at the origin. The cluster also keeps which session a channel has, so that the node that takes it
 * next goes on with it. Calls may block (ZooKeeper): the component never makes them on a network thread.
 */
public interface ChannelOwnership {

    /** How long taking a channel may wait for the node that writes it to hand it over. */
    Duration HAND_OVER = Duration.ofSeconds(6);

    /** This node's id, named on the events of the sessions it writes. */
    String nodeId();

    /**
     * Takes the channel for this node; when another node writes it and {@code askHolder}, asks that node to hand it
     * over and waits for it (up to {@link #HAND_OVER}).
     */
    Claim claim(String channel, boolean askHolder);

    /** This node no longer writes the channel; {@code endedSession}, if not null, has ended for the whole cluster. */
    void release(String channel, String endedSession);

    /** This node writes the channel's session {@code session}, connection {@code connection} of it now. */
    void sessionLive(String channel, String session, int connection);

    /** Where the cluster tells the ingest what happened to this node's channels. */
    void listen(Listener listener);

    /** What the cluster tells the ingest. */
    interface Listener {

        /** Node {@code toNode} asks for the channel: this node hands the session over, then gives the channel up. */
        void handOverAsked(String channel, String toNode);

        /** This node's leases are gone (its ZooKeeper session expired): it writes none of its channels any more. */
        void leasesLost();

        /**
         * This node took a channel whose session the node that wrote it left (it died): it goes on with it and waits
         * for its publisher for the reconnect grace.
         */
        void orphaned(String channel, Continuation session);
    }

    /** A session of the channel another node wrote, to go on with: its id, the connections it had, that node. */
    record Continuation(String session, int connections, String node) {
    }

    /**
     * The answer to a claim: {@code refusal} (null when taken) and, when taken, the session to go on with
     * ({@code null} for a new one).
     */
    record Claim(String refusal, Continuation continuation) {

        public static Claim refused(String why) {
            return new Claim(why, null);
        }

        public static Claim taken(Continuation continuation) {
            return new Claim(null, continuation);
        }
    }
}
