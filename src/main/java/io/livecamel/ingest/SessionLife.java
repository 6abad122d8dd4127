package io.livecamel.ingest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import io.livecamel.hls.Session;
import io.livecamel.restream.Restream;
import io.livecamel.restream.RestreamEvents;
import io.livecamel.restream.Restreams;
import io.livecamel.rtmp.RtmpUrl;

/**
 * The channel's session on this node, apart from its publishers: its id, its connections, what the admission gave
 * it, and the events that start, resume and close it. A session begins with its first publisher, or resumes after
 * connections already written (by an earlier run of this node, or by another node), and closes when it ends or
 * leaves for another node. In the channel's session tasks only ({@link ChannelSession}).
 */
final class SessionLife {

    private final ChannelIngest channel;
    private final Supplier<Restreams> restreams;
    private String id;
    private int connection;
    private boolean started;
    /** What the admission gave the session's newest publisher: on every event of the session. */
    private SessionTerms terms = SessionTerms.NONE;
    /** Why the last publisher went (for the end of the grace). */
    private String lastReason;
    private CountDownLatch idle = new CountDownLatch(0);
    /** Where the session's stream goes on to, once a publisher's admission named destinations. */
    private Restream restream;

    SessionLife(ChannelIngest channel, Supplier<Restreams> restreams) {
        this.channel = channel;
        this.restreams = restreams;
    }

    /** The session's id, or null when there is none. */
    String id() {
        return id;
    }

    /** Counted down once the session now has closed. */
    CountDownLatch idle() {
        return idle;
    }

    String lastReason() {
        return lastReason;
    }

    void lastReason(String reason) {
        lastReason = reason;
    }

    /** A new session, for a publisher about to start. */
    void begin() {
        resume(Session.newId(), 0, null);
        started = false;
    }

    /** The session goes on here after {@code connections} already written (by an earlier run, or another node). */
    void resume(String session, int connections, String reason) {
        id = session;
        connection = connections;
        started = true;
        idle = new CountDownLatch(1);
        lastReason = reason;
    }

    /**
     * Goes on with the session another node wrote ({@code taken}): the origin's playlist of it becomes the local one
     * (ffmpeg appends to it after an #EXT-X-DISCONTINUITY, numbering on) and its recording so far the local list.
     * False when there is none to go on with, or it has ended at the origin: a new one starts.
     */
    boolean takeUp(ChannelClaim.Taken taken) {
        ChannelOwnership.Continuation from = taken == null ? null : taken.continuation();
        if (from == null || !SessionTakeUp.seed(channel.name(), channel.folder(), from.session(), taken.origin())) {
            return false;
        }
        channel.journals().forget(from.session()); // its list of segments is read anew from what was seeded
        resume(from.session(), from.connections(), "node " + from.node() + " no longer writes it");
        return true;
    }

    /** The number of the next connection. */
    int nextConnection() {
        return ++connection;
    }

    /** The connection numbered last never started. */
    void connectionFailed() {
        connection--;
    }

    boolean started() {
        return started;
    }

    /** A session taken up without a publisher (SessionRecovered): it waits for one. */
    void recovered(ChannelClaim.Taken taken) {
        channel.sessionChanged(id, null);
        Map<String, Object> event = channel.events().event(IngestEvent.SessionRecovered, id);
        event.put(StreamingHeaders.CONNECTION, connection);
        event.put(StreamingHeaders.REASON, lastReason);
        channel.claim().describe(event, taken, id, connection);
        channel.events().add(event);
    }

    /** A publisher went live on connection {@code number}: SessionStarted, or PublisherReconnected. */
    void live(PublisherFeed feed, int number, ChannelClaim.Taken taken) {
        boolean reconnected = started;
        started = true;
        Map<String, Object> event = channel.events().event(reconnected ? IngestEvent.PublisherReconnected
                : IngestEvent.SessionStarted, id);
        event.put(StreamingHeaders.CONNECTION, number);
        feed.describe(event);
        terms.describe(event);
        channel.claim().describe(event, taken, id, number);
        channel.events().add(event);
    }

    /** The publisher now, whose admission's terms the session's events carry. */
    void publisher(PublisherFeed feed) {
        terms = feed.terms();
    }

    /**
     * The session's restream, with the destinations the admission gave its publisher now ({@code feed}): new ones
     * start, those no longer named end. Null while no publisher of the session had any.
     */
    Restream restream(PublisherFeed feed) {
        List<RtmpUrl> destinations = feed.terms().restream();
        if (restream == null && destinations.isEmpty()) {
            return null;
        }
        if (restream == null) {
            restream = restreams.get().open(channel.name(), new Told(id));
        }
        restream.destinations(destinations);
        return restream;
    }

    /** What the session's destinations tell, as the session's events. */
    private final class Told implements RestreamEvents {

        private final String session;

        Told(String session) {
            this.session = session;
        }

        @Override
        public void started(String destination) {
            Map<String, Object> event = channel.events().event(IngestEvent.RestreamStarted, session);
            event.put(StreamingHeaders.DESTINATION, destination);
            channel.events().add(event);
        }

        @Override
        public void failed(String destination, String reason) {
            Map<String, Object> event = channel.events().event(IngestEvent.RestreamFailed, session);
            event.put(StreamingHeaders.DESTINATION, destination);
            event.put(StreamingHeaders.REASON, reason);
            channel.events().add(event);
        }
    }

    /** A publisher's connection ended (PublisherLeft): the session waits for it to come back. */
    void publisherLeft(PublisherFeed feed, int exitCode, String reason) {
        if (!started) {
            return;
        }
        Map<String, Object> event = channel.events().event(IngestEvent.PublisherLeft, id);
        event.put(StreamingHeaders.CONNECTION, feed.connection());
        event.put(StreamingHeaders.EXIT_CODE, exitCode);
        event.put(StreamingHeaders.REASON, reason);
        terms.describe(event);
        channel.claim().name(event);
        channel.events().add(event);
    }

    /**
     * The session is over on this node: it ended (SessionEnded), or it left for another node (SessionHandedOver, to
     * {@code toNode}, null when this node lost the channel). The channel has no session before its route takes the
     * event (and gives the channel up in a cluster).
     */
    void close(IngestEvent kind, String reason, String toNode) {
        if (id != null) {
            channel.journal(id); // what ffmpeg listed last, before the recording is made from it
            channel.journals().forget(id);
        }
        if (restream != null) { // its destinations get FCUnpublish, here as on a hand-over
            restream.end();
            restream = null;
        }
        String closed = id;
        boolean report = started || kind == IngestEvent.SessionHandedOver;
        SessionTerms closedTerms = terms;
        id = null;
        started = false;
        terms = SessionTerms.NONE;
        channel.sessionChanged(null, null);
        if (closed != null && report) {
            Map<String, Object> event = channel.events().event(kind, closed);
            event.put(StreamingHeaders.REASON, reason);
            if (kind == IngestEvent.SessionHandedOver) {
                event.put(StreamingHeaders.CONNECTION, connection);
                event.put(StreamingHeaders.NODE, toNode);
            } else {
                channel.claim().name(event);
            }
            closedTerms.describe(event);
            channel.events().add(event);
        }
        idle.countDown();
    }
}
