package io.livecamel.ingest;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel in the cluster, as this node holds it (cluster mode): taken for a publisher, for a session this node
 * left before it restarted, or for a session whose node died ({@link ChannelOwnership}), each time with what the
 * origin holds of the channel then ({@link SessionOrigin}): the session to go on with and the playlist's tag, which
 * fences this node's playlist writes. Given up once its session has ended or left this node.
 */
final class ChannelClaim {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelClaim.class);

    private final String channel;
    private final IngestComponent component;
    /** This node took the channel and has not given it up. */
    private volatile boolean claimed;
    /** What this node found when it took the channel, until the session tasks take it. */
    private volatile Taken taken;

    ChannelClaim(String channel, IngestComponent component) {
        this.channel = channel;
        this.component = component;
    }

    /** What this node found when it took the channel: the session to go on with (or null), and the origin's state. */
    record Taken(ChannelOwnership.Continuation continuation, SessionOrigin.Snapshot origin) {
    }

    /**
     * Takes the channel for a publisher, asking the node that has it to hand it over; unless this node has the
     * channel's session ({@code current}) already, reads what the origin holds of it for the session to start or go
     * on with ({@link #taken}). Empty when taken, else why not.
     */
    Optional<String> forPublisher(String current) {
        ChannelOwnership.Claim claim = component.getChannelOwnership().claim(channel, true);
        if (claim.refusal() != null) {
            return Optional.of(claim.refusal());
        }
        claimed = true;
        ChannelOwnership.Continuation continuation = claim.continuation();
        if (current != null && (continuation == null || continuation.session().equals(current))) {
            return Optional.empty(); // this node's session goes on
        }
        try {
            taken = new Taken(continuation, read(continuation == null ? null : continuation.session()));
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Channel {}: the origin could not be read as this node took the channel: {}", channel,
                    e.toString());
            if (current == null) {
                giveUp(null);
            }
            return Optional.of("the origin cannot be reached now");
        }
    }

    /**
     * A session an earlier run of this node left: the channel is taken for it, without asking another node for it,
     * if the cluster and the origin have no other session of the channel. Null when this node may not write it.
     */
    Taken forLeftSession(String left) {
        ChannelOwnership.Claim claim = component.getChannelOwnership().claim(channel, false);
        if (claim.refusal() != null) {
            LOG.info("Channel {}: session {}, left by an earlier run, cannot be taken up: {}", channel, left,
                    claim.refusal());
            return null;
        }
        claimed = true;
        if (claim.continuation() != null && !claim.continuation().session().equals(left)) {
            giveUp(null);
            return null;
        }
        try {
            SessionOrigin.Snapshot origin = read(left);
            if (origin.playlist() != null && !origin.goesOn(left)) { // ended there, or a newer session's
                giveUp(null);
                return null;
            }
            return new Taken(claim.continuation(), origin);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Channel {}: the origin could not be read to take up session {}: {}", channel, left,
                    e.toString());
            giveUp(null);
            return null;
        }
    }

    /** This node took the channel, whose node died with its session: what it goes on with, or null (given up). */
    Taken orphan(ChannelOwnership.Continuation orphan) {
        claimed = true;
        try {
            return new Taken(orphan, read(orphan.session()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Channel {}: the origin could not be read to take up session {}: {}", channel,
                    orphan.session(), e.toString());
            giveUp(null); // another node tries
            return null;
        }
    }

    private SessionOrigin.Snapshot read(String session) throws IOException {
        return component.getSessionOrigin().read(channel, session);
    }

    /** What this node found when it last took the channel, once ({@code null}: nothing new); in the session tasks. */
    Taken taken() {
        Taken found = taken;
        taken = null;
        return found;
    }

    /** The lease is gone: true if this node had it. */
    boolean lost() {
        boolean had = claimed;
        claimed = false;
        return had;
    }

    /** This node no longer writes the channel, if it took it; {@code ended}: its session ended for the cluster. */
    void giveUp(String ended) {
        ChannelOwnership ownership = component.getChannelOwnership();
        if (ownership != null && claimed) {
            claimed = false;
            ownership.release(channel, ended);
        }
    }

    /** A session event in cluster mode names the node that writes the session: this one. */
    void name(Map<String, Object> event) {
        ChannelOwnership ownership = component.getChannelOwnership();
        if (ownership != null) {
            event.put(StreamingHeaders.NODE, ownership.nodeId());
        }
    }

    /**
     * A session event in cluster mode names this node (and the node a session taken up comes from, and the
     * playlist's tag found when the channel was taken), and the cluster's record of the session says this node
     * writes connection {@code number} of it now.
     */
    void describe(Map<String, Object> event, Taken from, String session, int number) {
        ChannelOwnership ownership = component.getChannelOwnership();
        if (ownership == null) {
            return;
        }
        name(event);
        if (from != null) {
            event.put(StreamingHeaders.PLAYLIST_TAG, from.origin().tag());
            if (from.continuation() != null && session.equals(from.continuation().session())) {
                event.put(StreamingHeaders.PREVIOUS_NODE, from.continuation().node());
            }
        }
        ownership.sessionLive(channel, session, number);
    }
}
