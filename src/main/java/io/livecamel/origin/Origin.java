package io.livecamel.origin;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.settings.StreamingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the origin (the S3 bucket) holds of each channel, and the rules that keep it correct for viewers:
 * a playlist is published only once every segment it lists is on the origin (RFC 8216 §6.2.1), a published
 * playlist is never replaced by an older one, and a local segment is deleted only once it is uploaded and has
 * left the live window. The routes in {@code routes-yaml/origin.camel.yaml} do the uploads; they ask this
 * bean what to upload and tell it what was uploaded. Each channel's events arrive on one thread (its origin
 * lane), so the state of one channel never sees two events at once.
 */
public final class Origin {

    private static final Logger LOG = LoggerFactory.getLogger(Origin.class);
    private static final int BITRATE_WINDOW = 10;

    private final StreamingSettings settings;
    private final OriginMetrics metrics;
    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();

    public Origin(StreamingSettings settings, OriginMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The session a segment or playlist file of ffmpeg's belongs to. */
    public String sessionOf(String fileName) {
        return fileName.endsWith(".m3u8") ? Session.ofPlaylist(fileName) : Session.ofSegment(fileName);
    }

    /** The object key of a file of a channel, e.g. {@code videos/main/20261123-200512123-k3f9-00042.ts}. */
    public String objectKey(String channel, String fileName) {
        return settings.objectKey(channel, fileName);
    }

    /** The object key of a channel's playlist: the same for every session. */
    public String playlistKey(String channel) {
        return settings.playlistKey(channel);
    }

    /** The local folder ffmpeg writes a channel's HLS into. */
    public Path channelDir(String channel) {
        return settings.mediaDir().resolve(channel);
    }

    /**
     * A connection's publisher was let in (its key and codecs checked): only then may its segments reach the origin.
     * Anything a refused publisher might have written never does.
     */
    public void admit(String channel, String session, int connection) {
        ChannelState channelState = state(channel);
        SessionState state = channelState.session(session);
        state.admitted.add(Session.connectionId(session, connection));
        if (state.startedAt == null) {
            state.startedAt = Instant.now();
        }
        channelState.currentSession = session;
        channelState.publisherConnected = true;
    }

    /**
     * A session an earlier run left unfinished ({@link SessionRecovery}): its connections were let in then, the
     * segments in {@code onOrigin} are there already, and {@code published} (if not null) is its playlist there.
     */
    void recovered(String channel, String session, int connections, Set<String> onOrigin, Playlist published)
            throws IOException {
        ChannelState channelState = state(channel);
        SessionState state = channelState.session(session);
        for (int number = 1; number <= connections; number++) {
            state.admitted.add(Session.connectionId(session, number));
        }
        state.startedAt = Session.startedAt(session);
        for (String name : onOrigin) {
            markUploaded(channel, state, name);
        }
        if (published != null) {
            published.segments().forEach(segment -> state.listedOnOrigin.add(segment.uri()));
            state.published = published;
            channelState.liveSession = session;
            channelState.lastPublished = published;
        }
        channelState.currentSession = session;
    }

    /** The publisher's connection ended; the session may still go on (reconnect grace). */
    public void publisherLeft(String channel) {
        state(channel).publisherConnected = false;
    }

    /** True when a finished segment of an admitted connection is on local disk and not yet on the origin. */
    public boolean isPending(String channel, String fileName) {
        SessionState state = state(channel).session(Session.ofSegment(fileName));
        return Files.isRegularFile(channelDir(channel).resolve(fileName))
                && state.admitted.contains(Session.connectionOf(fileName)) && !state.uploaded.contains(fileName);
    }

    public void segmentUploaded(String channel, String fileName) throws IOException {
        long size = markUploaded(channel, state(channel).session(Session.ofSegment(fileName)), fileName);
        if (size >= 0) {
            metrics.segmentUploaded(channel, size);
        }
    }

    /** Counts a segment as on the origin; returns its size, or -1 if it already counted. */
    private long markUploaded(String channel, SessionState state, String fileName) throws IOException {
        if (!state.uploaded.add(fileName)) {
            return -1;
        }
        long size = Files.size(channelDir(channel).resolve(fileName));
        state.bytes += size;
        state.segments++;
        state.sizes.put(fileName, size);
        return size;
    }

    /** What a session put on the origin: {@code segments}, {@code bytes}, {@code durationSeconds} (as headers). */
    public Map<String, Object> summary(String channel, String session) {
        SessionState state = state(channel).session(session);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("segments", state.segments);
        summary.put("bytes", state.bytes);
        summary.put("durationSeconds", state.startedAt == null ? 0
                : Duration.between(state.startedAt, Instant.now()).toSeconds());
        return summary;
    }

    /** The session's segments on local disk that are not on the origin yet, oldest first. */
    public List<File> pendingSegments(String channel, String session) {
        SessionState state = state(channel).session(session);
        // the uploaded ones (most of the folder) are left out before the sort
        return finishedSegments(channel, session,
                name -> !state.uploaded.contains(name) && state.admitted.contains(Session.connectionOf(name)))
                .stream().map(name -> channelDir(channel).resolve(name).toFile()).toList();
    }

    /** The names of the session's finished segments on local disk, oldest first. */
    List<String> finishedSegments(String channel, String session) {
        return finishedSegments(channel, session, name -> true);
    }

    private List<String> finishedSegments(String channel, String session, Predicate<String> which) {
        try (Stream<Path> files = Files.list(channelDir(channel))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> Session.isSegmentOf(name, session) && which.test(name))
                    .sorted(Comparator.comparingLong(Session::sequenceOf))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The playlist the origin should get now: the session's local playlist cut before its first segment that
     * is not uploaded yet, or {@code null} when that is nothing new. With {@code last} (the session has ended)
     * the playlist gets {@code #EXT-X-ENDLIST} even if ffmpeg could not write it (a crash).
     */
    public Playlist nextPlaylist(String channel, String session, Boolean last) throws IOException {
        ChannelState state = state(channel);
        SessionState current = state.sessions.get(session);
        if (current == null || current.admitted.isEmpty()) {
            return null; // not a session of a publisher that was let in (a refused one, or a stray file)
        }
        Path file = channelDir(channel).resolve(Session.playlistFile(session));
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return null; // the session ended and was cleaned up, or has not written a playlist yet
        }
        Playlist local;
        try {
            local = Playlist.parse(text);
        } catch (IllegalArgumentException e) {
            // ffmpeg replaces its playlist atomically, so this is not its: retrying would not help
            LOG.warn("Channel {}: {} is not a playlist ffmpeg wrote ({}); it is not published", channel,
                    file.getFileName(), e.getMessage());
            return null;
        }
        current.listed = new HashSet<>(local.segments().stream().map(Playlist.Segment::uri).toList());
        Playlist candidate = local.upTo(current.uploaded::contains);
        if (Boolean.TRUE.equals(last)) {
            if (candidate.segments().size() < local.segments().size()) {
                LOG.error("Channel {}: session {} ended but segment {} never reached the origin; "
                        + "the final playlist stops before it", channel, session,
                        local.segments().get(candidate.segments().size()).uri());
            }
            candidate = candidate.withEndList();
        } else {
            candidate = candidate.withoutEndList();
        }
        if (candidate.segments().isEmpty() || !candidate.isNewerThan(current.published)
                || state.liveSession != null && session.compareTo(state.liveSession) < 0) {
            return null;
        }
        return candidate;
    }

    /**
     * Records a playlist as published and deletes the local segments that are uploaded and out of the window.
     * Returns true for a session's first playlist: the channel is live again, and a CDN may hold the last one of the
     * session before.
     */
    public boolean playlistPublished(String channel, String session, Playlist playlist) throws IOException {
        ChannelState state = state(channel);
        SessionState current = state.session(session);
        boolean first = current.published == null;
        Instant now = Instant.now();
        for (Playlist.Segment segment : playlist.segments()) {
            if (current.listedOnOrigin.add(segment.uri())) {
                segmentFirstListed(channel, state, current, segment, now);
            }
        }
        current.published = playlist;
        state.liveSession = session;
        state.lastPublished = playlist;
        // a segment older than the window (numbers go on across the session's connections) is done with: its local
        // file goes, and the session forgets it, so that a stream of many hours keeps only its window in memory
        long windowStart = current.listed.stream().mapToLong(Session::sequenceOf).min().orElse(Long.MIN_VALUE);
        for (Iterator<String> names = current.uploaded.iterator(); names.hasNext(); ) {
            String name = names.next();
            if (Session.sequenceOf(name) < windowStart) {
                Files.deleteIfExists(channelDir(channel).resolve(name));
                names.remove();
                current.listedOnOrigin.remove(name);
                current.sizes.remove(name);
            }
        }
        return first;
    }

    private void segmentFirstListed(String channel, ChannelState state, SessionState current,
            Playlist.Segment segment, Instant now) throws IOException {
        Path file = channelDir(channel).resolve(segment.uri());
        if (Files.exists(file)) {
            metrics.segmentListed(channel, Duration.between(Files.getLastModifiedTime(file).toInstant(), now));
        }
        Long size = current.sizes.get(segment.uri());
        if (size != null) {
            state.recent.addLast(new long[] {size, Math.round(segment.duration() * 1000)});
            while (state.recent.size() > BITRATE_WINDOW) {
                state.recent.removeFirst();
            }
        }
        state.lastSegmentAt = now;
    }

    private List<Playlist.Segment> recordedSegments(String channel, String session) {
        try {
            return Playlist.parse("#EXTM3U\n" + Files.readString(
                    channelDir(channel).resolve(Session.recordingFile(session)))).segments();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole session as a video on demand, once it has ended: every segment ffmpeg listed in it (written down on
     * the ingest side as it listed them, also those that left the live window while the origin was down) up to the
     * last one its final playlist lists at the origin; {@code null} when recording is off or it published none. It
     * lives one folder below the segments.
     */
    public Playlist recording(String channel, String session) {
        SessionState state = state(channel).sessions.get(session);
        if (!settings.recording() || state == null || state.published == null) {
            return null;
        }
        List<Playlist.Segment> published = state.published.segments();
        long last = Session.sequenceOf(published.get(published.size() - 1).uri());
        List<Playlist.Segment> segments = recordedSegments(channel, session).stream()
                .filter(segment -> Session.sequenceOf(segment.uri()) <= last).toList();
        return segments.isEmpty() ? null : Playlist.recording(segments, "../");
    }

    public String recordingKey(String channel, String session) {
        return settings.recordingKey(channel, session);
    }

    /** The session's recording is at the origin: its URL, as the session event and the API give it. */
    public String recorded(String channel, String session) {
        String url = settings.publicUrl(settings.recordingKey(channel, session));
        state(channel).lastRecording = url;
        return url;
    }

    /** What viewers and operators see of a channel ({@code /api/channels}). */
    public ChannelView view(String channel) {
        ChannelState state = state(channel);
        String session = state.currentSession;
        SessionState current = session == null ? null : state.sessions.get(session);
        return new ChannelView(channel, state.publisherConnected, session,
                current == null || current.startedAt == null ? null : current.startedAt.toString(),
                current == null ? 0 : current.segments,
                current == null ? 0 : current.bytes,
                state.publisherConnected ? bitrate(state) : 0,
                state.lastSegmentAt == null ? null : state.lastSegmentAt.toString(),
                settings.publicPlaylistUrl(channel), state.lastRecording);
    }

    /** Bits per second over the last segments listed at the origin. */
    private static long bitrate(ChannelState state) {
        long bytes = 0;
        long millis = 0;
        for (long[] segment : state.recent) {
            bytes += segment[0];
            millis += segment[1];
        }
        return millis == 0 ? 0 : bytes * 8 * 1000 / millis;
    }

    /** For each channel with any, how many finished segments on local disk are not on the origin yet. */
    public Map<String, Long> uploadBacklog() {
        Map<String, Long> backlogs = new java.util.TreeMap<>();
        for (String channel : channels.keySet()) {
            long backlog = backlog(channel);
            if (backlog > 0) {
                backlogs.put(channel, backlog);
            }
        }
        return backlogs;
    }

    /** Finished segments of the channel on local disk that are not on the origin yet. */
    private long backlog(String channel) {
        ChannelState state = state(channel);
        try (Stream<Path> files = Files.list(channelDir(channel))) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".ts"))
                    .filter(name -> {
                        SessionState session = state.sessions.get(Session.ofSegment(name));
                        return session == null || !session.uploaded.contains(name);
                    }).count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The playlist last published for a channel, or {@code null}. */
    public Playlist published(String channel) {
        ChannelState state = channels.get(channel);
        return state == null ? null : state.lastPublished;
    }

    /** Deletes every local file of an ended session and forgets it. */
    public void cleanUp(String channel, String session) throws IOException {
        try (Stream<Path> files = Files.list(channelDir(channel))) {
            for (Path file : files.filter(p -> Session.owns(p.getFileName().toString(), session)).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            // nothing was written
        }
        ChannelState state = state(channel);
        state.sessions.remove(session);
        if (session.equals(state.currentSession)) {
            state.currentSession = null;
            state.publisherConnected = false;
            state.recent.clear();
        }
    }

    private ChannelState state(String channel) {
        return channels.computeIfAbsent(channel, c -> {
            ChannelState state = new ChannelState();
            metrics.watch(c, state, s -> backlog(c), s -> s.publisherConnected ? bitrate(s) : 0);
            return state;
        });
    }

    private static final class ChannelState {
        final Map<String, SessionState> sessions = new ConcurrentHashMap<>();
        /** Size and duration (ms) of the last segments listed at the origin. */
        final Deque<long[]> recent = new ConcurrentLinkedDeque<>();
        volatile String liveSession;
        volatile Playlist lastPublished;
        volatile String currentSession;
        volatile boolean publisherConnected;
        volatile Instant lastSegmentAt;
        volatile String lastRecording;

        SessionState session(String session) {
            return sessions.computeIfAbsent(session, s -> new SessionState());
        }
    }

    private static final class SessionState {
        final Set<String> admitted = ConcurrentHashMap.newKeySet();
        final Set<String> uploaded = ConcurrentHashMap.newKeySet();
        final Set<String> listedOnOrigin = ConcurrentHashMap.newKeySet();
        final Map<String, Long> sizes = new ConcurrentHashMap<>();
        volatile long bytes;
        volatile long segments;
        volatile Instant startedAt;
        volatile Set<String> listed = Set.of();
        volatile Playlist published;
    }
}
