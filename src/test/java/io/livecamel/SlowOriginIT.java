package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.livecamel.origin.Origin;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.SlowOrigin;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * An origin (s3proxy run by the test) that answers each of the application's requests after a second, while a
 * publisher sends 20 s of 1-s segments: uploads fall behind, the backlog shows in the metrics and the health check,
 * viewers never see a playlist go back or list a missing segment; once the origin is fast again the backlog drains
 * and the session is complete. The longest backlog and the drain time are printed.
 */
class SlowOriginIT extends StreamingTestSupport {

    private SlowOrigin slow;

    @Override
    protected void settings(Properties properties) {
        useExternalOrigin(properties);
        startExternalOrigin(store -> slow = new SlowOrigin(store, Duration.ZERO));
    }

    @Test
    void aSlowOriginFallsBehindInOrderShowsItAndCatchesUp() throws Exception {
        URI playlist = playlist("main");
        Origin origin = context.getRegistry().lookupByNameAndType("origin", Origin.class);
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        AtomicLong longest = new AtomicLong();
        try (SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("capture"));
             OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(50))) {
            slow.delay(Duration.ofSeconds(1));
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    longest.accumulateAndGet(origin.uploadBacklog().getOrDefault("main", 0L), Math::max);
                    try {
                        Thread.sleep(100); // a sampling interval, not a wait for a condition
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "backlog-sampler");
            sampler.setDaemon(true);
            sampler.start();
            try (Publisher publisher = Publisher.start(rtmpPort, KEY, 20, work.resolve("logs"))) {
                Eventually.await("a backlog of 6 segments", Duration.ofSeconds(30),
                        () -> origin.uploadBacklog().getOrDefault("main", 0L) >= 6);
                // uploads go on meanwhile (one a second at most): what is read next is a little less at worst
                String metrics = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/metrics")).body();
                assertTrue(metrics.matches("(?s).*\nstreaming_upload_backlog\\{channel=\"main\"} ([3-9]|\\d\\d).*"),
                        metrics);
                String health = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health")).body();
                assertTrue(health.matches("(?s).*\"name\":\"origin\",\"status\":\"UP\",\"message\":\"bucket live "
                        + "answers; segments waiting to be uploaded: main \\d+.*"), health);
                assertEquals(0, publisher.await(Duration.ofSeconds(40)), publisher.log());
            }
            long fastAgain = System.nanoTime();
            slow.delay(Duration.ZERO);
            Eventually.await("the backlog drained", Duration.ofSeconds(60),
                    () -> origin.uploadBacklog().isEmpty());
            double drainSeconds = (System.nanoTime() - fastAgain) / 1e9;
            assertTrue(ended.matches(30, TimeUnit.SECONDS), "the session did not end");
            sampler.interrupt();
            System.out.printf("Slow origin (1 s per request): longest backlog %d segments, drained %.1f s after "
                    + "the origin was fast again%n", longest.get(), drainSeconds);
            assertEquals(List.of(), viewer.violations());
            String text = OriginPoller.read(playlist);
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertEquals(capture.segments(), OriginPoller.segments(text), "every segment, in order");
            for (String segment : capture.segments()) {
                assertArrayEquals(capture.bytes(segment), getBytes(playlist.resolve(segment)).body(), segment);
            }
        }
    }
}
