package io.livecamel.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.livecamel.hls.Session;
import io.livecamel.media.Admission;
import io.livecamel.media.PublishRequest;
import io.livecamel.media.PublisherLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel: who may publish to it now, the files ffmpeg finishes in its folder, and its session
 * ({@link ChannelSession}), whose every change runs as one of the channel's session tasks ({@link OneAtATime}: one
 * at a time, in order, on a thread of the component's pool). What happens is queued as events ({@link IngestEvent}),
 * in order, for the channel's route ({@link ChannelEvents}, taken by the {@link IngestConsumer} apart from the
 * session tasks, so a slow origin never holds up a publisher). A finished segment or a new playlist is one event
 * however many files came before the route took it: the route uploads whatever is finished when it does.
 *
 * <p>Sessions live outside the route's lifecycle: while the route is replaced (a YAML file edited), or stopped,
 * publishers go on, new ones are let in and events wait for the next route. Only {@link #stop} (the application
 * stopping) ends them.
 */
final class ChannelIngest {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelIngest.class);

    private volatile Channel channel;
    private final IngestComponent component;
    /** Every change of session state runs as one of these, one at a time, in order. */
    private final OneAtATime sessionTasks;
    private final ChannelEvents events;
    private final ChannelRoom room;
    /** In the session tasks only. */
    private final ChannelSession session;
    private final SessionJournals journals = new SessionJournals();
    /** Between the first route started and {@link #stop}: publishers are let in. */
    private volatile boolean open;
    /** When a publisher was last admitted, or the session last changed (System.nanoTime). */
    private volatile long lastUsed = System.nanoTime();
    /** The session now, if any, and its live publisher: written in the session tasks, read anywhere. */
    private volatile String currentSession;
    private volatile PublisherFeed liveFeed;
    /** The channel in the cluster, as this node holds it (cluster mode). */
    private final ChannelClaim claim;

    ChannelIngest(Channel channel, IngestComponent component) {
        this.channel = channel;
        this.component = component;
        this.sessionTasks = new OneAtATime("Channel " + channel.name() + ": its session", component::threads);
        this.events = new ChannelEvents(channel.name());
        this.room = new ChannelRoom(channel.name(), component);
        this.session = new ChannelSession(this, component);
        this.claim = new ChannelClaim(channel.name(), component);
    }

    /** The channel's key and SRT port from now on (its route was edited): the next publishers use them. */
    void configure(Channel changed) {
        channel = changed;
    }

    String name() {
        return channel.name();
    }

    Channel channel() {
        return channel;
    }

    Path folder() {
        return component.channelFolder(channel.name());
    }

    /** The channel's events, for its consumer. */
    ChannelEvents events() {
        return events;
    }

    SessionJournals journals() {
        return journals;
    }

    /** Runs a task as one of the channel's session tasks, after those before it. */
    void inSession(Runnable task) {
        sessionTasks.execute(task);
    }

    /**
     * A route takes the channel's events: publishers are let in from now on. The first time, the sessions an earlier
     * run left in the channel's folder are taken up first.
     */
    void routeStarted() {
        sessionTasks.execute(session::routeStarted);
        open = true;
    }

    /**
     * A publisher admitted to this channel ({@code request}: what it asked for, null for SRT): it may go on to the
     * check of its tracks. Never blocks.
     */
    Admission admit(PublisherLink link, PublishRequest request, SessionTerms terms) {
        lastUsed = System.nanoTime();
        String protocol = request == null ? "SRT" : request.protocol();
        if (!open) {
            return Admission.failed(channel.name(), "channel " + channel.name() + " is not running");
        }
        Optional<String> noRoom = component.disk().problem().or(room::problem);
        if (noRoom.isPresent()) {
            return Admission.failed(channel.name(), "the server cannot store this stream: " + noRoom.get());
        }
        if (events.full()) {
            return Admission.failed(channel.name(), "channel " + channel.name() + " has had no route to take its "
                    + "events for too long (" + events.waiting() + " wait)");
        }
        if (component.getChannelOwnership() != null) {
            Optional<String> notOurs = claim.forPublisher(currentSession);
            if (notOurs.isPresent()) {
                return Admission.failed(channel.name(), notOurs.get());
            }
        }
        return Admission.admitted(channel.name(), new PublisherFeed(this, link, protocol, request, terms,
                component.ffmpeg().readsEnhancedHevc()));
    }

    /**
     * The channel's session has been closed at the origin, or handed over (its route took SessionEnded or
     * SessionHandedOver at {@code since}): this node gives the channel up, unless a publisher was admitted to it
     * since or it has a session again. {@code ended}: the session that ended for the whole cluster, if it did.
     */
    void sessionClosed(long since, String ended) {
        if (currentSession == null && lastUsed <= since) {
            claim.giveUp(ended);
        }
    }

    /** Node {@code toNode} asks for the channel: the session goes to it, or the channel is given up at once. */
    void handOver(String toNode) {
        sessionTasks.execute(() -> {
            if (!session.leave("handed over to node " + toNode, toNode) && events.idle()) {
                claim.giveUp(null); // no session: nothing to hand over
            }
        });
    }

    /** This node's lease on the channel is gone: it writes nothing more of the session; its publishers are cut. */
    void leaseLost() {
        if (claim.lost()) {
            sessionTasks.execute(() -> session.leave("this node lost the channel's lease in the cluster", null));
        }
    }

    /** Another node wrote the channel's playlist since this node took it: the session leaves, the channel goes. */
    void moved() {
        sessionTasks.execute(() -> {
            if (!session.leave("another node has written the channel since this node took it", null)) {
                claim.giveUp(null);
            }
        });
    }

    /** This node took the channel whose node died with its session ({@link ChannelOwnership.Listener#orphaned}). */
    void adopt(ChannelOwnership.Continuation orphan) {
        lastUsed = System.nanoTime();
        ChannelClaim.Taken found = claim.orphan(orphan);
        if (found != null) {
            sessionTasks.execute(() -> session.adopt(found));
        }
    }

    /**
     * Gives the channel up when it was taken for a publisher that never went live (refused for its codecs, gone
     * before its ffmpeg started) and nothing has happened on it for {@code quiet}.
     */
    void releaseIfUnused(Duration quiet) {
        if (idleFor().compareTo(quiet) >= 0) {
            claim.giveUp(null);
        }
    }

    /** The channel in the cluster, as this node holds it. */
    ChannelClaim claim() {
        return claim;
    }

    /** A checked publisher is ready for its ffmpeg. */
    void open(PublisherFeed feed) {
        sessionTasks.execute(() -> session.open(feed, open));
    }

    /**
     * A file ffmpeg finished in the channel's folder (a segment, or the playlist replaced); {@code null} when the
     * operating system lost count (then both, for the session now).
     */
    void fileFinished(String fileName) {
        if (fileName == null) {
            sessionTasks.execute(() -> session.current().ifPresent(current -> {
                journal(current);
                events.fileFinished(IngestEvent.SegmentFinished, current, "");
                events.fileFinished(IngestEvent.PlaylistChanged, current, "");
            }));
        } else if (fileName.endsWith(".ts") && Session.isSegment(fileName)) {
            events.fileFinished(IngestEvent.SegmentFinished, Session.ofSegment(fileName), fileName);
            sessionTasks.execute(session::checkRoom);
        } else if (fileName.endsWith(".m3u8")) {
            String of = Session.ofPlaylist(fileName);
            if (Session.isId(of)) { // a session that is over here (ended, handed over) has its last entries
                sessionTasks.execute(() -> session.current().filter(of::equals).ifPresent(this::journal));
            }
            events.fileFinished(IngestEvent.PlaylistChanged, of, fileName);
        }
    }

    /** Writes down the segments the session's playlist lists now ({@link SessionJournal}). In the session tasks. */
    void journal(String ofSession) {
        journals.update(folder(), ofSession);
    }

    /** The session tasks tell the session now and its live publisher (null: none). */
    void sessionChanged(String session, PublisherFeed live) {
        currentSession = session;
        liveFeed = live;
        lastUsed = System.nanoTime();
    }

    /** The session now, if any. */
    Optional<String> session() {
        return Optional.ofNullable(currentSession);
    }

    /** The live publisher, if any. */
    PublisherFeed liveFeed() {
        return liveFeed;
    }

    /** How long nothing has happened on the channel: zero while it has a session or events to deliver. */
    Duration idleFor() {
        if (currentSession != null || !events.idle()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(System.nanoTime() - lastUsed);
    }

    /**
     * Ends the session now, with {@code reason} and no reconnect grace ({@code stopped}, {@code revoked}): its
     * publishers are cut. Only while {@code live} is its live publisher, when given. False when it had no session.
     */
    boolean endNow(PublisherFeed live, String reason) {
        if (currentSession == null || live != null && live != liveFeed) {
            return false;
        }
        sessionTasks.execute(() -> session.endNow(live, reason));
        return true;
    }

    /** The channel is gone (made on demand, idle): it takes no more session tasks, its folder is no longer watched. */
    void close() {
        open = false;
        releaseIfUnused(Duration.ZERO);
        component.folders().forget(folder());
        sessionTasks.close();
    }

    /** Why the channel cannot keep more segments on local disk now, or empty ({@link ChannelRoom}). */
    Optional<String> backlogProblem() {
        return room.problem();
    }

    /**
     * Detaches the route: publishers are cut, their ffmpeg finishes, the session ends (its events still go to the
     * route); waits up to {@code timeout} for that.
     */
    void stop(Duration timeout) throws InterruptedException {
        CountDownLatch[] ending = new CountDownLatch[1];
        CountDownLatch cut = new CountDownLatch(1);
        sessionTasks.execute(() -> {
            ending[0] = session.stop(); // counted down when the session has ended
            cut.countDown();
        });
        if (!cut.await(timeout.toMillis(), TimeUnit.MILLISECONDS)
                || !ending[0].await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Channel {}: its session did not end within {} s", channel.name(), timeout.toSeconds());
        }
        open = false;
    }
}
