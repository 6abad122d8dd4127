package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.livecamel.media.Admission;
import io.livecamel.media.PublisherLink;
import io.livecamel.hls.Session;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's sessions. A session starts when a publisher is let in and ends when none has come back within the
 * reconnect grace; each connection of its publishers gets an ffmpeg of its own ({@link HlsWriter}), which continues
 * the session's playlist after an {@code #EXT-X-DISCONTINUITY}. A second publisher with the channel's key takes
 * over: the first is cut, its ffmpeg finishes, and the session goes on with the newer connection (OBS reconnecting
 * over a half-dead TCP connection is never locked out).
 *
 * <p>What happens is queued as events, in order, for the channel's route ({@link IngestConsumer}): {@code
 * SessionStarted}, {@code SegmentFinished}, {@code PlaylistChanged}, {@code PublisherLeft}, {@code
 * PublisherReconnected}, {@code SessionEnded}. Every change of session state runs on the channel's own thread, so
 * events never overtake each other and no lock is needed; the route takes them on a thread of its own, so a slow
 * origin never holds up a publisher. A finished segment or a new playlist is one event however many files came
 * before the route took it: the route uploads whatever is finished when it does.
 *
 * <p>Sessions live outside the route's lifecycle: while the route is replaced (a YAML file edited), or stopped,
 * publishers go on, new ones are let in and events wait for the next route. Only {@link #stop} (the application
 * stopping) ends them.
 */
final class ChannelIngest {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelIngest.class);
    /** Events that may wait for the route; past it, new publishers are refused (a route stopped for good). */
    static final int MAX_WAITING_EVENTS = 1000;

    private volatile Channel channel;
    private final IngestComponent component;
    private final ExecutorService lane;
    /** Between the first route started and {@link #stop}: publishers are let in. */
    private volatile boolean open;
    /** Whether the last look found the channel's segments on local disk past what it may keep. */
    private volatile boolean backlogFull;
    private final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
    /** The file events (event and session) queued and not yet taken: a new file adds nothing to them. */
    private final Set<String> fileEventsQueued = ConcurrentHashMap.newKeySet();

    // on the lane only
    private String session;
    private int connection;
    private boolean sessionStarted;
    private PublisherFeed live;
    private PublisherFeed waiting;
    private ScheduledFuture<?> graceTimeout;
    private boolean stopping;
    private String lastReason;
    private CountDownLatch idle = new CountDownLatch(0);
    private boolean recoveryDone;
    private final Map<String, SessionJournal> journals = new HashMap<>();

    ChannelIngest(Channel channel, IngestComponent component, ExecutorService lane) {
        this.channel = channel;
        this.component = component;
        this.lane = lane;
    }

    /** The channel's key and SRT port from now on (its route was edited): the next publishers use them. */
    void configure(Channel changed) {
        channel = changed;
    }

    private Duration grace() {
        return Duration.ofMillis(Math.round(component.getReconnectGrace() * 1000));
    }

    String name() {
        return channel.name();
    }

    Channel channel() {
        return channel;
    }

    /**
     * A route takes the channel's events: publishers are let in from now on. The first time, the sessions an earlier
     * run left in the channel's folder are taken up first.
     */
    void routeStarted() {
        lane.execute(() -> {
            stopping = false;
            if (!recoveryDone) {
                recoveryDone = true;
                recoverLeftSessions();
            }
        });
        open = true;
    }

    /**
     * The sessions whose playlist an earlier run left in the channel's folder: it stopped without ending them (a
     * crash, a kill). Each is recovered (the route puts what is finished on the origin); all but the newest end at
     * once, the newest waits for its publisher for the reconnect grace, counted from now (OBS reconnects by itself).
     * Segments of a session that never wrote a playlist were never published: they go. Files not named the way this
     * application names them are left alone.
     */
    private void recoverLeftSessions() {
        List<String> names;
        try (var files = Files.list(folder())) {
            names = files.map(file -> file.getFileName().toString()).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.error("Channel {}: cannot read {} for sessions an earlier run left: {}", channel.name(), folder(),
                    e.getMessage());
            return;
        }
        List<String> sessions = names.stream().filter(name -> name.endsWith(".m3u8")).map(Session::ofPlaylist)
                .filter(Session::isId).sorted().toList();
        for (String name : names) {
            String of = Session.ofSegmentFile(name); // null for a file not named the way this application names them
            if (of != null && !sessions.contains(of)) {
                try {
                    Files.deleteIfExists(folder().resolve(name));
                    LOG.info("Channel {}: {}, left by an earlier run in a session with no playlist, is deleted",
                            channel.name(), name);
                } catch (IOException e) {
                    LOG.warn("Channel {}: cannot delete {}: {}", channel.name(), name, e.getMessage());
                }
            }
        }
        for (String left : sessions) {
            journal(left);
            int connections = names.stream().mapToInt(name -> Session.connectionNumber(name, left)).max().orElse(0);
            Map<String, Object> event = event(IngestEvent.SessionRecovered, left);
            event.put(StreamingHeaders.CONNECTION, connections);
            emit(event);
            if (!left.equals(sessions.get(sessions.size() - 1))) {
                journals.remove(left);
                Map<String, Object> ended = event(IngestEvent.SessionEnded, left);
                ended.put(StreamingHeaders.REASON, "an earlier run of the application stopped without ending it");
                emit(ended);
            } else {
                session = left;
                connection = connections;
                sessionStarted = true;
                idle = new CountDownLatch(1);
                lastReason = "the application restarted";
                graceTimeout = component.timer().schedule(() -> lane.execute(this::graceIsOver), grace().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The next event for the route, waiting up to {@code timeout} for one; {@code null} if none came. */
    Map<String, Object> nextEvent(long timeout, TimeUnit unit) throws InterruptedException {
        Map<String, Object> event = events.poll(timeout, unit);
        if (event != null && event.containsKey(Exchange.FILE_NAME)) {
            fileEventsQueued.remove(fileEventKey(event));
        }
        return event;
    }

    /** Events not yet taken by the route. */
    int waitingEvents() {
        return events.size();
    }

    /**
     * A file ffmpeg finished in the channel's folder (a segment, or the playlist replaced); {@code null} when the
     * operating system lost count (then both, for the session now).
     */
    void fileFinished(String fileName) {
        if (fileName == null) {
            lane.execute(() -> {
                if (session != null) {
                    journal(session);
                    fileEvent(IngestEvent.SegmentFinished, session, "");
                    fileEvent(IngestEvent.PlaylistChanged, session, "");
                }
            });
        } else if (fileName.endsWith(".ts") && Session.isSegment(fileName)) {
            fileEvent(IngestEvent.SegmentFinished, Session.ofSegment(fileName), fileName);
            lane.execute(this::checkRoom);
        } else if (fileName.endsWith(".m3u8")) {
            String of = Session.ofPlaylist(fileName);
            if (Session.isId(of)) {
                lane.execute(() -> journal(of));
            }
            fileEvent(IngestEvent.PlaylistChanged, of, fileName);
        }
    }

    /** Writes down the segments the session's playlist lists now ({@link SessionJournal}). On the lane. */
    private void journal(String ofSession) {
        if (Files.isRegularFile(folder().resolve(Session.playlistFile(ofSession)))) {
            journals.computeIfAbsent(ofSession, s -> new SessionJournal(folder(), s)).update();
        } else {
            journals.remove(ofSession); // ended and cleaned up
        }
    }

    private void fileEvent(IngestEvent name, String ofSession, String fileName) {
        Map<String, Object> event = event(name, ofSession);
        event.put(Exchange.FILE_NAME, fileName);
        if (fileEventsQueued.add(fileEventKey(event))) {
            events.add(event);
        }
    }

    private static String fileEventKey(Map<String, Object> event) {
        return event.get(StreamingHeaders.EVENT) + "/" + event.get(StreamingHeaders.SESSION);
    }

    /** A publisher with this channel's key: it may go on to the check of its tracks. Never blocks. */
    Admission admit(PublisherLink link, String protocol) {
        if (!open) {
            return Admission.refused(channel.name(), "channel " + channel.name() + " is not running");
        }
        Optional<String> noRoom = component.disk().problem().or(this::backlogProblem);
        if (noRoom.isPresent()) {
            return Admission.refused(channel.name(), "the server cannot store this stream now: " + noRoom.get());
        }
        if (events.size() >= MAX_WAITING_EVENTS) {
            return Admission.refused(channel.name(), "channel " + channel.name() + " has had no route to take its "
                    + "events for too long (" + events.size() + " wait)");
        }
        return Admission.admitted(channel.name(), new PublisherFeed(this, link, protocol,
                component.ffmpeg().readsEnhancedHevc()));
    }

    /**
     * A segment was finished: if the disk is short of space, or the channel's segments on local disk reach what it
     * may keep, the live publisher is cut while what it sent can still be uploaded (it is told why; OBS retries, and
     * is let in again once there is room).
     */
    private void checkRoom() {
        if (live != null) {
            component.disk().spaceProblem().or(this::backlogProblem).ifPresent(problem ->
                    live.cut("The server cannot store more of this stream now: " + problem + "."));
        }
    }

    /**
     * Why the channel cannot keep more segments on local disk, or empty: they fill its live window and the backlog
     * it may hold for the origin. The log says so once when that starts (ERROR) and once when it is over (INFO).
     */
    Optional<String> backlogProblem() {
        int allowed = component.getHlsListSize() + component.getMaxBacklog();
        long kept = localSegments();
        boolean full = kept >= allowed;
        boolean before = backlogFull;
        backlogFull = full;
        if (full && !before) {
            LOG.error("Channel {}: {} segments wait on local disk, the most it may keep (a live window of {} and a "
                    + "backlog of {} for the origin): the origin has not taken them; the publisher is cut and new "
                    + "ones are refused until it has", channel.name(), kept, component.getHlsListSize(),
                    component.getMaxBacklog());
        } else if (!full && before) {
            LOG.info("Channel {}: the origin has taken the backlog ({} segments on local disk): publishers are let "
                    + "in", channel.name(), kept);
        }
        return full ? Optional.of("channel " + channel.name() + " keeps " + kept + " segments on local disk, the "
                + "most it may (its live window and what the origin has not taken)") : Optional.empty();
    }

    /** The finished segments in the channel's folder. */
    private long localSegments() {
        try (var files = Files.list(folder())) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".ts") && Session.isSegment(name)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A checked publisher is ready for its ffmpeg. */
    void open(PublisherFeed feed) {
        lane.execute(() -> {
            if (stopping || !open) {
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
        });
    }

    private void start(PublisherFeed feed) {
        if (session == null) {
            session = Session.newId();
            connection = 0;
            sessionStarted = false;
            idle = new CountDownLatch(1);
        }
        if (graceTimeout != null) {
            graceTimeout.cancel(false);
            graceTimeout = null;
        }
        int number = ++connection;
        HlsWriter writer;
        try {
            Files.createDirectories(folder());
            component.folders().watch(folder(), this::fileFinished);
            writer = HlsWriter.start(channel.name(), command(session, number), feed.link(), component.threads(),
                    component.timer(), code -> lane.execute(() -> ended(feed, code)));
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
        if (!feed.go(writer, number)) {
            return; // the publisher went while ffmpeg started: its exit ends the connection
        }
        boolean reconnected = sessionStarted;
        sessionStarted = true;
        Map<String, Object> event = event(reconnected ? IngestEvent.PublisherReconnected
                : IngestEvent.SessionStarted);
        event.put(StreamingHeaders.CONNECTION, number);
        event.put(StreamingHeaders.REMOTE_ADDRESS, feed.link().address());
        event.put(StreamingHeaders.VIDEO_CODEC, feed.tracks().videoCodec());
        event.put(StreamingHeaders.AUDIO_CODEC, feed.tracks().audioCodec());
        event.put(StreamingHeaders.RESOLUTION, feed.tracks().resolution());
        emit(event);
    }

    /** A connection's ffmpeg has ended: the publisher left, or ffmpeg did (then the publisher is cut). */
    private void ended(PublisherFeed feed, int exitCode) {
        if (feed != live) {
            return;
        }
        live = null;
        String reason = feed.endReason();
        if (reason == null) { // ffmpeg ended under a publisher still sending
            reason = switch (exitCode) {
                case 137 -> "ffmpeg was killed";
                default -> "ffmpeg exited with code " + exitCode
                        + component.disk().problem().map(problem -> " (" + problem + ")").orElse("");
            };
            LOG.warn("Channel {}: {} while the publisher was live; its last lines:\n  {}", channel.name(), reason,
                    String.join("\n  ", feed.ffmpegTail()));
            feed.cut("The server stopped writing the stream.");
        } else if (exitCode != 0 && exitCode != 255 && exitCode != 137) { // 137: stopped by us, already said why
            LOG.warn("Channel {}: ffmpeg exited with code {}; its last lines:\n  {}", channel.name(), exitCode,
                    String.join("\n  ", feed.ffmpegTail()));
        }
        lastReason = reason;
        if (sessionStarted) {
            Map<String, Object> event = event(IngestEvent.PublisherLeft);
            event.put(StreamingHeaders.CONNECTION, feed.connection());
            event.put(StreamingHeaders.EXIT_CODE, exitCode);
            event.put(StreamingHeaders.REASON, reason);
            emit(event);
        }
        if (waiting != null) {
            PublisherFeed next = waiting;
            waiting = null;
            start(next);
        } else if (stopping) {
            endSession("the application stopped");
        } else {
            graceTimeout = component.timer().schedule(() -> lane.execute(this::graceIsOver), grace().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void graceIsOver() {
        if (live == null && waiting == null && session != null && !stopping) {
            endSession("no publisher came back within " + StreamingSettings.seconds(grace()) + " s (" + lastReason + ")");
        }
    }

    private void endSession(String reason) {
        if (graceTimeout != null) {
            graceTimeout.cancel(false);
            graceTimeout = null;
        }
        if (session != null) {
            journal(session); // what ffmpeg listed last, before the recording is made from it
            journals.remove(session);
        }
        if (session != null && sessionStarted) {
            Map<String, Object> event = event(IngestEvent.SessionEnded);
            event.put(StreamingHeaders.REASON, reason);
            emit(event);
        }
        session = null;
        sessionStarted = false;
        idle.countDown();
    }

    /**
     * Detaches the route: publishers are cut, their ffmpeg finishes, the session ends (its events still go to the
     * route); waits up to {@code timeout} for that.
     */
    void stop(Duration timeout) throws InterruptedException {
        CountDownLatch[] ending = new CountDownLatch[1];
        CountDownLatch cut = new CountDownLatch(1);
        lane.execute(() -> {
            ending[0] = idle; // counted down when the session has ended
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
            cut.countDown();
        });
        if (!cut.await(timeout.toMillis(), TimeUnit.MILLISECONDS)
                || !ending[0].await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Channel {}: its session did not end within {} s", channel.name(), timeout.toSeconds());
        }
        open = false;
    }

    private Map<String, Object> event(IngestEvent name) {
        return event(name, session);
    }

    private Map<String, Object> event(IngestEvent name, String ofSession) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(StreamingHeaders.CHANNEL, channel.name());
        event.put(StreamingHeaders.SESSION, ofSession);
        event.put(StreamingHeaders.EVENT, name.name());
        return event;
    }

    private void emit(Map<String, Object> event) {
        events.add(event);
    }

    Path folder() {
        return component.channelFolder(channel.name());
    }

    /**
     * The ffmpeg command for one connection of a session: FLV on standard input, copied ({@code -c copy}) into HLS
     * in the channel's folder, named after the session and the connection.
     */
    List<String> command(String forSession, int forConnection) {
        Path playlist = folder().resolve(Session.playlistFile(forSession));
        // append_list only onto a playlist of the session: on a new one ffmpeg would open with a discontinuity
        String flags = "temp_file+program_date_time+independent_segments"
                + (Files.isRegularFile(playlist) ? "+append_list" : "");
        return component.ffmpeg().command(List.of(
                // the frame rate is not probed (ffmpeg would otherwise read 20 frames, about 0.6 s of a 25-fps
                // stream, before its first segment): -c copy keeps the stream's timestamps anyway
                "-fpsprobesize", "0",
                "-f", "flv", "-i", "pipe:0",
                "-c", "copy",
                "-f", "hls",
                "-hls_time", String.format(Locale.ROOT, "%s", component.getHlsTime()),
                "-hls_list_size", Integer.toString(component.getHlsListSize()),
                // temp_file: a segment appears under its name only when complete; no delete_segments: the
                // origin deletes a local segment once it is uploaded and out of the window; append_list: a
                // publisher that comes back continues the session's playlist after an #EXT-X-DISCONTINUITY
                "-hls_flags", flags,
                "-hls_segment_filename", folder().resolve(Session.segmentPattern(forSession, forConnection)).toString(),
                playlist.toString()));
    }
}
