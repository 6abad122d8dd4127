package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.livecamel.hls.Session;
import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.HostOrigin;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The application is killed outright (SIGKILL: no shutdown hook, no clean-up) in the middle of a stream, and started
 * again: what it left is published, and the session ends properly or goes on when its publisher comes back. The
 * origin is an S3 service of the test's own, so viewers (a poller) go on reading it through the crash.
 */
class CrashRecoveryIT {

    private static final String KEY = "crash-key-5d2e7a1c9b04";

    private final Path work = Path.of("target", "it", "CrashRecoveryIT").toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final HostOrigin origin = new HostOrigin(work);

    private Map<String, String> settings(String grace) {
        Map<String, String> settings = origin.applicationSettings(work.resolve("media"));
        settings.put("streaming.reconnect-grace", grace);
        settings.put("streaming.channels.main.key", KEY);
        return settings;
    }

    @Test
    void whatAKilledApplicationLeftIsPublishedAndTheSessionEnds() throws Exception {
        Map<String, String> settings = settings("2");
        int rtmpPort = Integer.parseInt(settings.get("streaming.rtmp.port"));
        Path folder = work.resolve("media").resolve("main");
        URI playlist = origin.playlist("main");
        String lastSeenLive;
        Map<String, byte[]> left;
        try (ApplicationProcess first = ApplicationProcess.start(settings, origin.awsEnvironment(),
                work.resolve("logs"))) {
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(60));
            try (OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(100));
                 Publisher publisher = Publisher.start(rtmpPort, KEY, 60, work.resolve("logs"))) {
                Eventually.await("3 segments listed at the origin", Duration.ofSeconds(30),
                        () -> poller.lastRead() != null && OriginPoller.segments(poller.lastRead()).size() >= 3);
                poller.close();
                assertEquals(List.of(), poller.violations());
                lastSeenLive = poller.lastRead();
                // an outage first, so that finished segments wait on disk when the application dies
                origin.stop();
                int listed = OriginPoller.segments(lastSeenLive).size();
                Eventually.await("3 segments more on disk than at the origin", Duration.ofSeconds(30),
                        () -> finishedSegments(folder).size() >= listed + 3);
                first.process().destroyForcibly(); // SIGKILL
                first.awaitExit(Duration.ofSeconds(10));
                publisher.kill();
            }
            left = finishedSegments(folder);
        }
        assertFalse(lastSeenLive.contains("#EXT-X-ENDLIST"));

        origin.start();
        long restart = System.nanoTime();
        try (OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(100));
             ApplicationProcess second = ApplicationProcess.start(settings, origin.awsEnvironment(),
                     work.resolve("logs"))) {
            second.awaitLine("is taken up (the application restarted)", Duration.ofSeconds(60));
            Eventually.await("the session closed at the origin", Duration.ofSeconds(60),
                    () -> OriginPoller.read(playlist).endsWith("#EXT-X-ENDLIST\n"));
            double seconds = (System.nanoTime() - restart) / 1e9;
            assertEquals(List.of(), poller.violations());
            String closed = OriginPoller.read(playlist);
            assertNull(OriginPoller.backwards(lastSeenLive, closed), "the playlist went back over the crash");
            for (Map.Entry<String, byte[]> segment : left.entrySet()) {
                HttpResponse<byte[]> object = http.send(HttpRequest.newBuilder(playlist.resolve(segment.getKey()))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, object.statusCode(), segment.getKey() + " left on disk never reached the origin");
                assertArrayEquals(segment.getValue(), object.body(), segment.getKey() + " differs at the origin");
            }
            List<String> listed = OriginPoller.segments(closed);
            String newest = left.keySet().stream().max(java.util.Comparator.comparingLong(Session::sequenceOf))
                    .orElseThrow();
            assertTrue(Session.sequenceOf(listed.get(listed.size() - 1)) >= Session.sequenceOf(newest) - 1,
                    "the final playlist stops at " + listed.get(listed.size() - 1) + "; " + newest + " was on disk");
            System.out.printf(Locale.ROOT, "crash recovery: %d finished segments left on disk (%d not at the origin "
                    + "yet), origin complete and the session closed %.1f s after the restart (grace 2 s)%n",
                    left.size(), left.size() - OriginPoller.segments(lastSeenLive).size(), seconds);
            Eventually.await("the local folder cleaned", Duration.ofSeconds(10),
                    () -> finishedSegments(folder).isEmpty());
        }
    }

    @Test
    void aPublisherBackWithinTheGraceContinuesTheSessionAfterADiscontinuity() throws Exception {
        Map<String, String> settings = settings("20");
        int rtmpPort = Integer.parseInt(settings.get("streaming.rtmp.port"));
        URI playlist = origin.playlist("main");
        try (ApplicationProcess first = ApplicationProcess.start(settings, origin.awsEnvironment(),
                work.resolve("logs"))) {
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(60));
            try (Publisher publisher = Publisher.start(rtmpPort, KEY, 60, work.resolve("logs"))) {
                Eventually.await("3 segments listed at the origin", Duration.ofSeconds(30),
                        () -> OriginPoller.segments(OriginPoller.read(playlist)).size() >= 3);
                first.process().destroyForcibly(); // SIGKILL
                first.awaitExit(Duration.ofSeconds(10));
                publisher.kill();
            }
        }
        String session = Session.ofSegment(OriginPoller.segments(OriginPoller.read(playlist)).get(0));
        try (OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(100));
             ApplicationProcess second = ApplicationProcess.start(settings, origin.awsEnvironment(),
                     work.resolve("logs"))) {
            second.awaitLine("is taken up (the application restarted)", Duration.ofSeconds(60));
            // OBS reconnecting by itself
            try (Publisher again = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                assertEquals(0, again.await(Duration.ofSeconds(60)), again.log());
            }
            Eventually.await("the new connection's segments listed", Duration.ofSeconds(30),
                    () -> OriginPoller.segments(OriginPoller.read(playlist)).stream()
                            .anyMatch(segment -> Session.connectionNumber(segment, session) == 2));
            int exit = second.stop(Duration.ofSeconds(40));
            assertTrue(exit == 0 || exit == 143, "exit " + exit + ":\n" + second.output());
            String closed = OriginPoller.read(playlist);
            assertTrue(closed.endsWith("#EXT-X-ENDLIST\n"), closed);
            assertTrue(closed.contains("#EXT-X-DISCONTINUITY"), closed);
            assertTrue(OriginPoller.segments(closed).stream().allMatch(segment -> Session.isSegmentOf(segment,
                    session)), "one session throughout: " + closed);
            assertEquals(List.of(), poller.violations());
            assertTrue(second.output().contains("is back, session " + session + " goes on"), second.output());
        }
    }

    private static Map<String, byte[]> finishedSegments(Path folder) {
        Map<String, byte[]> segments = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> Session.isSegment(f.getFileName().toString())).toList()) {
                segments.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            // not there yet, or a file went while listing: the next look counts again
        }
        return segments;
    }
}
