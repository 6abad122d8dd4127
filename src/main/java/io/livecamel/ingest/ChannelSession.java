package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.livecamel.hls.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's session, the state machine: a session starts when a checked publisher is ready and ends when none has
 * come back within the reconnect grace; each connection of its publishers gets an ffmpeg of its own
 * ({@link HlsWriter}), which continues the session's playlist after an {@code #EXT-X-DISCONTINUITY}. A second
 * publisher with the channel's key takes over: the first is cut, its ffmpeg finishes, and the session goes on with
 * the newer connection (OBS reconnecting over a half-dead TCP connection is never locked out). Every method runs on
 * the channel's session thread ({@link ChannelIngest#onSessionThread}), so no lock is needed and events never
 * overtake each other.
 */
final class ChannelSession {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelSession.class);

    private final ChannelIngest channel;
    private final IngestComponent component;
    private String session;
    private int connection;
    private boolean sessionStarted;
    private PublisherFeed live;
    private PublisherFeed waiting;
    private ScheduledFuture<?> graceTimeout;
    private boolean stopping;
    private String lastReason;
    /** What the admission gave the session's newest publisher: on every event of the session. */
    private SessionTerms terms = SessionTerms.NONE;
    /** Set when the session must end as soon as its publisher is gone, without a grace: why. */
    private String endingNow;
    private CountDownLatch idle = new CountDownLatch(0);
    private boolean recoveryDone;

    ChannelSession(ChannelIngest channel, IngestComponent component) {
        this.channel = channel;
        this.component = component;
    }

    /** The session now, if there is one. */
    Optional<String> current() {
        return Optional.ofNullable(session);
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
     * reconnect grace, counted from now (OBS reconnects by itself).
     */
    private void recoverLeftSessions() {
        List<LeftSessions.Left> sessions = LeftSessions.in(channel.name(), channel.folder());
        for (LeftSessions.Left found : sessions) {
            String left = found.session();
            channel.journal(left);
            Map<String, Object> event = channel.events().event(IngestEvent.SessionRecovered, left);
            event.put(StreamingHeaders.CONNECTION, found.connections());
            channel.events().add(event);
            if (found != sessions.get(sessions.size() - 1)) {
                channel.journals().forget(left);
                Map<String, Object> ended = channel.events().event(IngestEvent.SessionEnded, left);
                ended.put(StreamingHeaders.REASON, "an earlier run of the application stopped without ending it");
                channel.events().add(ended);
            } else {
                session = left;
                channel.sessionChanged(session, null);
                connection = found.connections();
                sessionStarted = true;
                idle = new CountDownLatch(1);
                lastReason = "the application restarted";
                waitForReturn();
            }
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
        if (session == null) {
            session = Session.newId();
            connection = 0;
            sessionStarted = false;
            endingNow = null;
            idle = new CountDownLatch(1);
        }
        if (graceTimeout != null) {
            graceTimeout.cancel(false);
            graceTimeout = null;
        }
        int number = ++connection;
        HlsWriter writer;
        try {
            Files.createDirectories(channel.folder());
            component.folders().watch(channel.folder(), channel::fileFinished);
            writer = HlsWriter.start(channel.name(), HlsWriter.command(component, channel.folder(), session, number),
                    feed.link(), component.threads(), component.timer(),
                    code -> channel.onSessionThread(() -> ended(feed, code)));
        } catch (IOException e) {
            LOG.error("Channel {}: cannot start ffmpeg: {}", channel.name(), e.getMessage());
            feed.cut("The server could not start writing the stream.");
            connection--;
            if (!sessionStarted) {
                endSession("it could not start");
            }
            return;
        }
        live = feed;
        terms = feed.terms();
        channel.sessionChanged(session, feed);
        if (!feed.go(writer, number)) {
            return; // the publisher went while ffmpeg started: its exit ends the connection
        }
        boolean reconnected = sessionStarted;
        sessionStarted = true;
        Map<String, Object> event = channel.events().event(reconnected ? IngestEvent.PublisherReconnected
                : IngestEvent.SessionStarted, session);
        event.put(StreamingHeaders.CONNECTION, number);
        feed.describe(event);
        terms.describe(event);
        channel.events().add(event);
    }

    /** A connection's ffmpeg has ended: the publisher left, or ffmpeg did (then the publisher is cut). */
    private void ended(PublisherFeed feed, int exitCode) {
        if (feed != live) {
            return;
        }
        live = null;
        channel.sessionChanged(session, null);
        String reason = feed.ended(exitCode, component.disk()::problem);
        lastReason = reason;
        if (sessionStarted && endingNow == null) { // ended now: SessionEnded says why, nobody is waited for
            Map<String, Object> event = channel.events().event(IngestEvent.PublisherLeft, session);
            event.put(StreamingHeaders.CONNECTION, feed.connection());
            event.put(StreamingHeaders.EXIT_CODE, exitCode);
            event.put(StreamingHeaders.REASON, reason);
            terms.describe(event);
            channel.events().add(event);
        }
        if (endingNow != null) {
            endSession(endingNow);
        }
        if (waiting != null) { // a newer publisher took over (after an end now: in a new session)
            PublisherFeed next = waiting;
            waiting = null;
            start(next);
        } else if (session == null) {
            return; // ended now
        } else if (stopping) {
            endSession("the application stopped");
        } else {
            waitForReturn();
        }
    }

    private void waitForReturn() {
        graceTimeout = component.timer().schedule(() -> channel.onSessionThread(this::graceIsOver),
                grace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private Duration grace() {
        return component.reconnectGrace();
    }

    private void graceIsOver() {
        if (live == null && waiting == null && session != null && !stopping) {
            endSession("no publisher came back within " + component.reconnectGraceSeconds() + " s (" + lastReason
                    + ")");
        }
    }

    private void endSession(String reason) {
        if (graceTimeout != null) {
            graceTimeout.cancel(false);
            graceTimeout = null;
        }
        if (session != null) {
            channel.journal(session); // what ffmpeg listed last, before the recording is made from it
            channel.journals().forget(session);
        }
        String ended = session;
        boolean started = sessionStarted;
        SessionTerms endedTerms = terms;
        session = null;
        sessionStarted = false;
        terms = SessionTerms.NONE;
        endingNow = null;
        // the channel has no session before its route can take SessionEnded (and give the channel up in a cluster)
        channel.sessionChanged(null, null);
        if (ended != null && started) {
            Map<String, Object> event = channel.events().event(IngestEvent.SessionEnded, ended);
            event.put(StreamingHeaders.REASON, reason);
            endedTerms.describe(event);
            channel.events().add(event);
        }
        idle.countDown();
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
        if (session == null || only != null && only != live) {
            return;
        }
        endingNow = reason;
        if (waiting != null) {
            waiting.cut("The session was ended (" + reason + ").");
            waiting = null;
        }
        if (live != null) {
            live.cut("The session was ended (" + reason + ").");
        } else {
            endSession(reason);
        }
    }

    /** The channel stops: publishers are cut, the session ends once their ffmpeg has; counted down then. */
    CountDownLatch stop() {
        stopping = true;
        if (waiting != null) {
            waiting.cut("The channel is stopping.");
            waiting = null;
        }
        if (live != null) {
            live.cut("The channel is stopping.");
        } else {
            endSession("the application stopped");
        }
        return idle;
    }
}
