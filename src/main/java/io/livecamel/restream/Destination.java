package io.livecamel.restream;

import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.livecamel.media.FlvTag;
import io.livecamel.rtmp.RtmpPush;
import io.livecamel.rtmp.RtmpUrl;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination of a session's stream: its connection ({@link RtmpPush}), retried with back-off for as long as the
 * session lives, and the media on its way to it. A connection starts with the stream's metadata, its sequence headers
 * and its recent media from a keyframe, on a clock of its own ({@link Timeline}). What the destination has not taken
 * yet is bounded ({@link Restreams#bufferBytes()}): past it, media is dropped until the next keyframe (one WARN per
 * connection); a destination that takes nothing for {@link Restreams#stallMillis()} is reconnected. Nothing here ever
 * waits for the destination: the publisher's thread only queues.
 */
final class Destination {

    private static final Logger LOG = LoggerFactory.getLogger(Destination.class);
    private static final long FIRST_RETRY_MILLIS = 1000;
    private static final long LAST_RETRY_MILLIS = 30_000;
    /** A connection live this long counts as a success: the back-off starts again from the first delay. */
    private static final long STEADY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long UNPUBLISH_MILLIS = 5000;
    /**
     * A connection counts as started once it has taken the stream this long: one closed sooner (nginx-rtmp's
     * {@code deny publish} closes right after {@code NetStream.Publish.Start}) is a refusal, not a start and a failure.
     */
    static final long CONFIRM_MILLIS = 2000;

    enum State { CONNECTING, LIVE, RETRYING, ENDED }

    /** One connection attempt: what an attempt that is no longer the current one tells is ignored. */
    private final class Attempt implements RtmpPush.Listener {
        RtmpPush push;

        @Override
        public void published() {
            Destination.this.published(this);
        }

        @Override
        public void failed(String reason) {
            Destination.this.failed(this, reason);
        }
    }

    private final Restream session;
    private final Restreams service;
    private final RtmpUrl url;
    private State state = State.CONNECTING;
    private Attempt attempt;
    private String lastError;
    private long bytesSent;
    private long droppedBytes;
    private long failures;
    /** Bytes queued on the connection and not yet written to its socket. */
    private long queued;
    private long lastProgress;
    private long liveSince;
    private long retryMillis = FIRST_RETRY_MILLIS;
    /** A failure was told since the destination last started; retries are silent until it starts again. */
    private boolean failureReported;
    /** The connection now has been told as started. */
    private boolean confirmed;
    private ScheduledFuture<?> pending;
    /** The clock of the connection now. */
    private Timeline timeline = new Timeline();
    private boolean dropWarned;

    Destination(Restream session, Restreams service, RtmpUrl url) {
        this.session = session;
        this.service = service;
        this.url = url;
    }

    String name() {
        return url.name();
    }

    synchronized void connect() {
        if (state == State.ENDED) {
            return;
        }
        state = State.CONNECTING;
        Attempt next = new Attempt();
        attempt = next;
        next.push = service.open(url, next);
        pending = service.schedule(() -> timedOut(next), service.stallMillis());
    }

    private void timedOut(Attempt timed) {
        synchronized (this) {
            if (timed != attempt || state != State.CONNECTING) {
                return;
            }
            timed.push.close();
        }
        failed(timed, "it did not take the stream within " + service.stallMillis() / 1000 + " s");
    }

    /**
     * The destination took the stream: it gets the metadata, the sequence headers and the recent media (from a
     * keyframe), then what comes. Under the stream's lock first, as media comes, so no tag slips in between.
     */
    private void published(Attempt done) {
        synchronized (session) {
            synchronized (this) {
                if (done != attempt || state != State.CONNECTING) {
                    return;
                }
                cancelPending();
                state = State.LIVE;
                lastError = null;
                confirmed = false;
                liveSince = System.nanoTime();
                lastProgress = liveSince;
                queued = 0;
                timeline = new Timeline();
                dropWarned = false;
                if (session.metadata() != null) {
                    done.push.metadata(session.metadata(), 0);
                }
                session.configs().forEach(config -> write(config, 0));
                session.recent().forEach(tag -> media(tag, session.video()));
                pending = service.schedule(() -> confirm(done), CONFIRM_MILLIS);
            }
        }
    }

    /** The connection has taken the stream for a while: the destination started (told once per start). */
    private void confirm(Attempt done) {
        synchronized (this) {
            if (done != attempt || state != State.LIVE) {
                return;
            }
            pending = null;
            confirmed = true;
            failureReported = false;
        }
        LOG.info("Channel {}: restreaming to {}", session.channel(), url);
        session.events().started(url.name());
    }

    private void failed(Attempt failed, String reason) {
        boolean report;
        synchronized (this) {
            if (failed != attempt || state == State.ENDED) {
                return;
            }
            cancelPending();
            boolean wasLive = state == State.LIVE;
            if (wasLive && !confirmed) { // nginx-rtmp's deny publish, a platform's refusal of a key
                reason += " as soon as it took the stream";
            }
            if (wasLive && confirmed && System.nanoTime() - liveSince >= STEADY_NANOS) {
                retryMillis = FIRST_RETRY_MILLIS;
            }
            attempt = null;
            state = State.RETRYING;
            lastError = reason;
            failures++;
            report = !failureReported;
            failureReported = true;
            confirmed = false;
            long delay = retryMillis;
            retryMillis = Math.min(retryMillis * 2, LAST_RETRY_MILLIS);
            pending = service.schedule(this::connect, delay);
        }
        if (report) {
            LOG.warn("Channel {}: restream to {} failed: {}; retrying with back-off (up to {} s) while the session "
                    + "lives", session.channel(), url, reason, LAST_RETRY_MILLIS / 1000);
            session.events().failed(url.name(), reason);
        } else {
            LOG.debug("Channel {}: restream to {} failed again: {}", session.channel(), url, reason);
        }
    }

    /** A new publisher connection starts: its timestamps are rebased at its first keyframe. */
    synchronized void publisherStarted(Map<String, Object> metadata) {
        timeline.publisherStarted();
        if (state == State.LIVE && metadata != null) { // the new connection's, which may have other settings
            attempt.push.metadata(metadata, timeline.last());
        }
    }

    /**
     * One tag of the stream ({@code video}: whether the stream has video, else audio alone starts a connection);
     * the caller keeps the tag (its body is duplicated here).
     */
    synchronized void media(FlvTag tag, boolean video) {
        if (state != State.LIVE) {
            return;
        }
        if (tag.isSequenceHeader()) {
            write(tag, timeline.last());
            return;
        }
        int size = tag.body().readableBytes();
        if (queued + size > service.bufferBytes()) {
            droppedBytes += size;
            if (!timeline.waitsForKeyframe() && !dropWarned) {
                dropWarned = true;
                LOG.warn("Channel {}: restream to {} is not keeping up ({} KiB waiting); media is dropped up to the "
                        + "next keyframe whenever it falls that far behind", session.channel(), url, queued / 1024);
            }
            timeline.dropped();
            return;
        }
        long out = timeline.place(tag, video);
        if (out >= 0) {
            write(tag, out);
        }
    }

    private void write(FlvTag tag, long timestamp) {
        Attempt current = attempt;
        int size = tag.body().readableBytes();
        queued += size;
        ByteBuf body = tag.body().retainedDuplicate();
        current.push.send(tag.type(), timestamp, body, future -> written(current, size, future.isSuccess()));
    }

    private synchronized void written(Attempt current, int size, boolean success) {
        if (current != attempt) {
            return;
        }
        queued -= size;
        if (success) {
            bytesSent += size;
            lastProgress = System.nanoTime();
        }
    }

    /** Called every second: a live connection that took nothing queued for the stall time is reconnected. */
    void checkStall() {
        Attempt stalled;
        long waiting;
        synchronized (this) {
            if (state != State.LIVE || queued == 0
                    || System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(service.stallMillis())) {
                return;
            }
            stalled = attempt;
            waiting = queued;
            stalled.push.close();
        }
        failed(stalled, "it took nothing for " + service.stallMillis() / 1000 + " s (" + waiting / 1024
                + " KiB waiting)");
    }

    /** The session ends (or the destination is no longer wanted): a live one gets FCUnpublish and deleteStream. */
    void end() {
        Attempt last;
        boolean live;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            cancelPending();
            live = state == State.LIVE;
            state = State.ENDED;
            last = attempt;
            attempt = null;
        }
        if (last != null && live) {
            last.push.unpublish(UNPUBLISH_MILLIS);
        } else if (last != null) {
            last.push.close();
        }
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    synchronized DestinationView view() {
        return new DestinationView(url.name(), state.name().toLowerCase(java.util.Locale.ROOT),
                state == State.LIVE ? null : lastError, bytesSent);
    }

    /** What the meters read: bytes sent and dropped, failures, bytes waiting, and whether it is live. */
    record Counts(long sent, long dropped, long failures, long buffered, boolean live) {
    }

    synchronized Counts counts() {
        return new Counts(bytesSent, droppedBytes, failures, queued, state == State.LIVE);
    }
}
