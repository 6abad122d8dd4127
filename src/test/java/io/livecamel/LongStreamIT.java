package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * A stream of an hour, sped up: 1 hour of video (160x90, 5 fps, a keyframe every 10 s) published 60 times faster
 * than real time, its RTMP timestamps starting at 16,000 s so that they pass 2^24 ms (4 h 40 min, where RTMP's
 * timestamps need their extended field) 13 minutes in. Local disk, the playlist, heap, threads and file descriptors
 * stay flat: the figures when the live window has first rolled over and at the end of the stream are printed and
 * compared. The recording holds the whole hour, every segment 10 s long (a timestamp that wrapped at 2^24 would
 * show as a segment of the wrong length).
 *
 * <p>A longer soak: {@code mvn verify -Dtest=none -Dit.test=LongStreamIT -Dlong-stream.hours=12} (12 hours of
 * video in 12 minutes; {@code -Dlong-stream.speed} sets the speed-up).
 */
class LongStreamIT extends StreamingTestSupport {

    private static final int SEGMENT_SECONDS = 10;
    private static final int WINDOW = 6;
    private static final double HOURS = Double.parseDouble(System.getProperty("long-stream.hours", "1"));
    private static final int SPEED = Integer.getInteger("long-stream.speed", 60);
    private static final long START_SECONDS = 16_000;

    @Override
    protected void settings(Properties properties) {
        properties.setProperty("streaming.hls.time", Integer.toString(SEGMENT_SECONDS));
        properties.setProperty("streaming.hls.list-size", Integer.toString(WINDOW));
        // a minute of sped-up video may wait for the origin on a busy machine; past it the stream would be cut
        properties.setProperty("streaming.upload.max-backlog", "360");
    }

    /** What the application holds at one moment of the stream. */
    private record Figures(long position, int localSegments, long localBytes, int listed, long heapMb, int threads,
            int descriptors) {
        @Override
        public String toString() {
            return String.format("at %d s of video: %d segments (%d KB) on local disk, %d listed at the origin, "
                    + "heap %d MB, %d threads, %d file descriptors", position, localSegments, localBytes / 1024,
                    listed, heapMb, threads, descriptors);
        }
    }

    private Figures measure(long position, int listed) throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        List<Path> segments;
        try (var files = Files.list(channelFolder("main"))) {
            segments = files.filter(file -> file.getFileName().toString().endsWith(".ts")).toList();
        }
        long bytes = 0;
        int kept = 0;
        for (Path segment : segments) {
            try {
                bytes += Files.size(segment);
                kept++;
            } catch (NoSuchFileException e) {
                // uploaded and out of the window: the application deleted it since the listing
            }
        }
        int descriptors;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            descriptors = (int) fds.count();
        }
        return new Figures(position, kept, bytes, listed, heap,
                ManagementFactory.getThreadMXBean().getThreadCount(), descriptors);
    }

    @Test
    void hoursOfVideoKeepDiskPlaylistHeapThreadsAndDescriptorsFlat() throws Exception {
        long contentSeconds = Math.round(HOURS * 3600);
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        List<Figures> figures = new CopyOnWriteArrayList<>();
        try (LogCapture log = LogCapture.open();
             OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(250));
             Publisher publisher = Publisher.startAccelerated(rtmpPort, KEY, contentSeconds, SPEED, SEGMENT_SECONDS,
                     START_SECONDS, work.resolve("logs"))) {
            // a figure every 5 minutes of video the origin lists, from the second time the window has rolled over
            long lastSeen = -1;
            do {
                String text = viewer.lastRead();
                if (text != null && !text.isEmpty()) {
                    Playlist live = Playlist.parse(text);
                    long newest = live.segments().isEmpty() ? -1
                            : Session.sequenceOf(live.segments().get(live.segments().size() - 1).uri());
                    if (newest / 30 != lastSeen / 30 && newest >= 2L * WINDOW) {
                        figures.add(measure((newest + 1) * SEGMENT_SECONDS, live.segments().size()));
                    }
                    lastSeen = newest;
                }
            } while (!publisher.finishedWithin(Duration.ofMillis(500)));
            assertEquals(0, publisher.await(Duration.ofSeconds(10)), publisher.log());
            assertTrue(ended.matches(120, TimeUnit.SECONDS), "the session did not end");
            assertEquals(List.of(), viewer.violations());
            assertEquals(List.of(), log.containing("WARN"));
            assertEquals(List.of(), log.containing("ERROR"));
        }

        assertTrue(figures.size() >= 10, "figures taken along the stream: " + figures);
        Figures start = figures.get(0);
        Figures end = figures.get(figures.size() - 1);
        System.out.printf("Long stream, %.1f h of video at %dx: start %s%n  end %s%n", HOURS, SPEED, start, end);
        for (Figures at : figures) {
            assertTrue(at.listed() <= WINDOW, "the playlist stays within its window: " + at);
        }
        assertTrue(end.heapMb() <= start.heapMb() + 24, "heap: " + start + " / " + end);
        assertTrue(end.threads() <= start.threads() + 3, "threads: " + start + " / " + end);
        assertTrue(end.descriptors() <= start.descriptors() + 10, "descriptors: " + start + " / " + end);
        int mostOnDisk = figures.stream().mapToInt(Figures::localSegments).max().orElseThrow();
        assertTrue(mostOnDisk <= WINDOW + 360, "local disk stays within the window and the backlog: " + mostOnDisk);

        String session = Session.ofSegment(OriginPoller.segments(OriginPoller.read(playlist)).get(0));
        Playlist recording = Playlist.parse(OriginPoller.read(playlist.resolve(session + "/index.m3u8")));
        List<Playlist.Segment> segments = recording.segments();
        assertEquals(contentSeconds / SEGMENT_SECONDS, segments.size(), "every segment of the stream is recorded");
        for (Playlist.Segment segment : segments.subList(0, segments.size() - 1)) {
            assertEquals(SEGMENT_SECONDS, segment.duration(), 0.25, segment.uri());
        }
        double total = segments.stream().mapToDouble(Playlist.Segment::duration).sum();
        assertEquals(contentSeconds, total, 1.0, "the recording is as long as the stream");
        assertEquals(List.of(), filesIn(channelFolder("main")), "cleaned up");
    }
}
