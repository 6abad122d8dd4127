package io.livecamel.origin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;

/**
 * What the origin holds of each channel and session, and the local folder ffmpeg writes each channel's files in: the
 * record every origin bean reads and writes. Each channel's events arrive on one thread (its route's), so one
 * channel's record never sees two events at once; the API and the gauges read it from other threads.
 */
final class OriginRecords {

    private final Path mediaDir;
    private final OriginMetrics metrics;
    private final Map<String, ChannelRecord> channels = new ConcurrentHashMap<>();

    OriginRecords(Path mediaDir, OriginMetrics metrics) {
        this.mediaDir = mediaDir;
        this.metrics = metrics;
    }

    OriginMetrics metrics() {
        return metrics;
    }

    /** The local folder ffmpeg writes a channel's HLS into. */
    Path folder(String channel) {
        return mediaDir.resolve(channel);
    }

    ChannelRecord channel(String channel) {
        return channels.computeIfAbsent(channel, c -> {
            ChannelRecord record = new ChannelRecord();
            metrics.watch(c, record, r -> backlog(c), r -> r.publisherConnected ? r.bitrate() : 0);
            return record;
        });
    }

    /** The channels seen since the start (an event of theirs came), by name. */
    java.util.Set<String> seen() {
        return java.util.Set.copyOf(channels.keySet());
    }

    /** The channel's record if it has one, without making it. */
    ChannelRecord existing(String channel) {
        return channels.get(channel);
    }

    SessionRecord session(String channel, String session) {
        return channel(channel).session(session);
    }

    /** The names of the session's finished segments on local disk that pass {@code which}, oldest first. */
    List<String> finishedSegments(String channel, String session, Predicate<String> which) {
        try (Stream<Path> files = Files.list(folder(channel))) {
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

    /** For each channel with any, how many finished segments on local disk are not on the origin yet. */
    Map<String, Long> uploadBacklog() {
        Map<String, Long> backlogs = new TreeMap<>();
        for (String channel : channels.keySet()) {
            long backlog = backlog(channel);
            if (backlog > 0) {
                backlogs.put(channel, backlog);
            }
        }
        return backlogs;
    }

    private long backlog(String channel) {
        ChannelRecord record = channel(channel);
        try (Stream<Path> files = Files.list(folder(channel))) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".ts"))
                    .filter(name -> {
                        SessionRecord session = record.sessions.get(Session.ofSegment(name));
                        return session == null || !session.uploaded.contains(name);
                    }).count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** One channel: its sessions, the one live at the origin, the last segments listed there (bitrate). */
    static final class ChannelRecord {
        final Map<String, SessionRecord> sessions = new ConcurrentHashMap<>();
        /** Size and duration (ms) of the last segments listed at the origin. */
        final Deque<long[]> recent = new ConcurrentLinkedDeque<>();
        volatile String liveSession;
        volatile Playlist lastPublished;
        volatile String currentSession;
        volatile boolean publisherConnected;
        volatile Instant lastSegmentAt;
        volatile String lastRecording;
        /** Cluster mode: the ETag of the playlist this node last wrote or found when it took the channel. */
        volatile String playlistTag;

        SessionRecord session(String session) {
            return sessions.computeIfAbsent(session, s -> new SessionRecord());
        }

        /** Bits per second over the last segments listed at the origin. */
        long bitrate() {
            long bytes = 0;
            long millis = 0;
            for (long[] segment : recent) {
                bytes += segment[0];
                millis += segment[1];
            }
            return millis == 0 ? 0 : bytes * 8 * 1000 / millis;
        }
    }

    /** One session: its admitted connections, its segments uploaded and listed, what it published. */
    static final class SessionRecord {
        final Set<String> admitted = ConcurrentHashMap.newKeySet();
        final Set<String> uploaded = ConcurrentHashMap.newKeySet();
        /** Cluster mode: this node may no longer write the channel, so no playlist of the session is published. */
        volatile boolean noPlaylist;
        /** Cluster mode: the last segment the session's recording so far listed when it last went to the origin. */
        volatile long sofarUpTo = -1;
        final Set<String> listedOnOrigin = ConcurrentHashMap.newKeySet();
        final Map<String, Long> sizes = new ConcurrentHashMap<>();
        volatile long bytes;
        volatile long segments;
        volatile Instant startedAt;
        volatile Set<String> listed = Set.of();
        volatile Playlist published;

        /** Counts a segment of {@code folder} as on the origin; returns its size, or -1 if it already counted. */
        long markUploaded(Path folder, String fileName) throws IOException {
            if (!uploaded.add(fileName)) {
                return -1;
            }
            long size = Files.size(folder.resolve(fileName));
            bytes += size;
            segments++;
            sizes.put(fileName, size);
            return size;
        }
    }
}
