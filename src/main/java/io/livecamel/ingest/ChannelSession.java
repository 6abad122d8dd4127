package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's session, the state machine: a session starts when a checked publisher is ready and ends when none has
 * come back within the reconnect grace; each connection of its publishers gets an ffmpeg of its own
 * ({@link HlsWriter}), which continues the session's playlist after an {@code #EXT-X-DISCONTINUITY}. A second
 * publisher with the channel's key takes over: the first is cut, its ffmpeg finishes, and the session goes on with
 * the newer connection (OBS reconnecting over a half-dead TCP connection is never locked out). In cluster mode a
 * session may also go on from another node, and leave for one. The session itself (id, connections, events) is a
 * {@link SessionLife}; this class decides, with its publishers. Every method runs as one of the channel's session
 * tasks ({@link ChannelIngest#inSession}, one at a time), so no lock is needed and events never overtake each other.
 */
final class ChannelSession {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSession.class);

    private final ChannelIngest channel;
    private final IngestComponent component;
    private final SessionLife session;
    private PublisherFeed live;
    private PublisherFeed waiting;
    private ScheduledFuture<?> graceTimeout;
    private boolean stopping;
    /** Set when the session must end as soon as its publisher is gone, without a grace: why. */
    private String endingNow;
    /** Set when the session leaves this node once its publisher is gone (cluster mode). */
    private Leaving leaving;
    private boolean recoveryDone;

    private record Leaving(String reason, String toNode) {
    }

    ChannelSession(ChannelIngest channel, IngestComponent component) {
        this.channel = channel;
        this.component = component;
        this.session = new SessionLife(channel, component::restreams);
    }

    /** The session now, if there is one. */
    Optional<String> current() {
        return Optional.ofNullable(session.id());
    }

    /** A route takes the channel's events; the first time, the sessions an earlier run left are taken up first. */
    void routeStarted() {
        stopping = false;
        if (!recoveryDone) {
            recoveryDone = true;
            recoverLeftSessions();
        }
    }

    /**
     * The sessions an earlier run left in the channel's folder ({@link LeftSessions}) are recovered (the route puts
     * what is finished on the origin); all but the newest end at once, the newest waits for its publisher for the
     * reconnect grace, counted from now (OBS reconnects by itself). In cluster mode only a session the cluster has
     * no other for is recovered; of another, what this node finished goes up, never its playlist.
     */
    private void recoverLeftSessions() {
        List<LeftSessions.Left> sessions = LeftSessions.in(channel.name(), channel.folder());
        boolean cluster = component.getChannelOwnership() != null;
        for (LeftSessions.Left found : sessions) {
            channel.journal(found.session());
            boolean newest = found == sessions.get(sessions.size() - 1);
            ChannelClaim.Taken taken = cluster && newest ? channel.claim().forLeftSession(found.session()) : null;
            session.resume(found.session(), found.connections(), "the application restarted");
            if (cluster && taken == null) {
                session.close(IngestEvent.SessionHandedOver, "an earlier run of this node left it, and the cluster "
                        + "has the channel", null);
            } else {
                session.recovered(taken);
                if (newest) {
                    waitForReturn();
                } else {
                    endSession("an earlier run of the application stopped without ending it");
                }
            }
        }
    }

    /**
     * This node took a channel whose node died with its session: it goes on with it, and waits for its publisher for
     * the reconnect grace (counted from now).
     */
    void adopt(ChannelClaim.Taken taken) {
        if (session.id() == null && session.takeUp(taken)) {
            session.recovered(taken);
            waitForReturn();
        } else if (session.id() == null) { // ended at the origin: nothing to go on with
            channel.sessionClosed(Long.MAX_VALUE, taken.continuation().session());
        }
    }

    /** A checked publisher is ready for its ffmpeg; {@code channelOpen} is false once the channel stops. */
    void open(PublisherFeed feed, boolean channelOpen) {
        if (stopping || !channelOpen) {
            feed.cut("The channel is stopping.");
        } else if (live != null) {
            if (waiting != null) {
                waiting.cut("A newer connection with this channel's key took over.");
            }
            waiting = feed;
            LOG.info("Channel {}: a new {} publisher {} takes over from {}", channel.name(), feed.protocol(),
                    feed.link().address(), live.link().address());
            live.cut("Another connection published with this channel's key and took over.");
        } else {
            start(feed);
        }
    }

    private void start(PublisherFeed feed) {
        ChannelClaim.Taken taken = channel.claim().taken();
        if (session.id() == null && !session.takeUp(taken)) {
            session.begin();
            endingNow = null;
        }
        cancelGrace();
        int number = session.nextConnection();
        HlsWriter writer;
        try {
            Files.createDirectories(channel.folder());
            component.folders().watch(channel.folder(), channel::fileFinished);
            writer = HlsWriter.start(channel.name(), HlsWriter.command(component, channel.folder(), session.id(),
                    number), feed.link(), component.threads(), component.timer(),
                    code -> channel.inSession(() -> ended(feed, code)));
        } catch (IOException e) {
            LOG.error("Channel {}: cannot start ffmpeg: {}", channel.name(), e.getMessage());
            feed.cut("The server could not start writing the stream.");
            session.connectionFailed();
            if (!session.started()) {
                endSession("it could not start");
            }
            return;
        }
        live = feed;
        session.publisher(feed);
        channel.sessionChanged(session.id(), feed);
        if (feed.go(writer, number, session.restream(feed))) { // else the publisher went while ffmpeg started: its exit ends the connection
            session.live(feed, number, taken);
        }
    }

    /** A connection's ffmpeg has ended: the publisher left, or ffmpeg did (then the publisher is cut). */
    private void ended(PublisherFeed feed, int exitCode) {
        if (feed != live) {
            return;
        }
        live = null;
        channel.sessionChanged(session.id(), null);
        String reason = feed.ended(exitCode, component.disk()::problem);
        session.lastReason(reason);
        if (leaving != null) {
            handOff();
            return;
        }
        if (endingNow == null) { // ended now: SessionEnded says why, nobody is waited for
            session.publisherLeft(feed, exitCode, reason);
        } else {
            endSession(endingNow);
        }
        if (waiting != null) { // a newer publisher took over (after an end now: in a new session)
            PublisherFeed next = waiting;
            waiting = null;
            start(next);
        } else if (session.id() == null) {
            return; // ended now
        } else if (stopping) {
            endSession("the application stopped");
        } else {
            waitForReturn();
        }
    }

    private void waitForReturn() {
        graceTimeout = component.timer().schedule(() -> channel.inSession(this::graceIsOver),
                component.reconnectGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelGrace() {
        if (graceTimeout != null) {
            graceTimeout.cancel(false);
            graceTimeout = null;
        }
    }

    private void graceIsOver() {
        if (live == null && waiting == null && session.id() != null && !stopping) {
            endSession("no publisher came back within " + component.reconnectGraceSeconds() + " s ("
                    + session.lastReason() + ")");
        }
    }

    private void endSession(String reason) {
        cancelGrace();
        endingNow = null;
        session.close(IngestEvent.SessionEnded, reason, null);
    }

    /**
     * This node no longer writes the session: it goes to node {@code toNode} (a hand-over), or this node lost the
     * channel ({@code toNode} null). Publishers are cut; once their ffmpeg has ended, what is finished goes to the
     * origin (SessionHandedOver) and the session is over here. False when there is no session.
     */
    boolean leave(String reason, String toNode) {
        if (session.id() == null) {
            return false;
        }
        leaving = new Leaving(reason, toNode);
        if (!cut("The channel moved to another server.")) {
            handOff();
        }
        return true;
    }

    private void handOff() {
        cancelGrace();
        endingNow = null;
        Leaving left = leaving;
        leaving = null;
        session.close(IngestEvent.SessionHandedOver, left.reason(), left.toNode());
    }

    /**
     * A segment was finished: if the disk is short of space, or the channel's segments on local disk reach what it
     * may keep, the live publisher is cut while what it sent can still be uploaded (it is told why; OBS retries, and
     * is let in again once there is room).
     */
    void checkRoom() {
        if (live != null) {
            component.disk().spaceProblem().or(channel::backlogProblem).ifPresent(problem ->
                    live.cut("The server cannot store more of this stream now: " + problem + "."));
        }
    }

    /**
     * The session ends now with {@code reason} ({@code stopped}, {@code revoked}), without waiting for its publisher
     * to come back: publishers are cut, and the session ends once their ffmpeg has. When {@code only} is given, only
     * while it is the live publisher.
     */
    void endNow(PublisherFeed only, String reason) {
        if (session.id() == null || only != null && only != live) {
            return;
        }
        endingNow = reason;
        if (!cut("The session was ended (" + reason + ").")) {
            endSession(reason);
        }
    }

    /** The channel stops: publishers are cut, the session ends once their ffmpeg has; counted down then. */
    CountDownLatch stop() {
        stopping = true;
        if (!cut("The channel is stopping.")) {
            endSession("the application stopped");
        }
        return session.idle();
    }

    /** Cuts the waiting and the live publisher, telling them why; true if a live one was cut (its end goes on). */
    private boolean cut(String why) {
        if (waiting != null) {
            waiting.cut(why);
            waiting = null;
        }
        if (live != null) {
            live.cut(why);
            return true;
        }
        return false;
    }
}
