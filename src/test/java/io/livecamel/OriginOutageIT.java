package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.FlakyUploads;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The application pointed at an external S3-compatible service (s3proxy run by the test), with credentials from the
 * AWS SDK's default provider chain, when that service is down at start or refuses an upload.
 */
class OriginOutageIT extends StreamingTestSupport {

    private FlakyUploads flaky;

    @Override
    protected void settings(Properties properties) {
        useExternalOrigin(properties);
    }

    private void startS3(String failingSuffix, int failures) {
        startExternalOrigin(store -> flaky = new FlakyUploads(store, failingSuffix, failures));
    }

    @Test
    void anOriginDownAtStartGetsEverySegmentOnceItIsBack() throws Exception {
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("capture"))) {
            try (Publisher publisher = Publisher.start(rtmpPort, KEY, 6, work.resolve("logs"))) {
                assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
            }
            assertTrue(capture.segments().size() >= 5);
            assertTrue(filesIn(channelFolder("main")).containsAll(capture.segments()),
                    "while the origin is down, every segment waits on disk");
            var health = get(java.net.URI.create("http://127.0.0.1:" + httpPort + "/observe/health"));
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"name\":\"origin\",\"status\":\"DOWN\""), health.body());

            startS3("never", 0);
            try (OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(50))) {
                assertTrue(ended.matches(60, TimeUnit.SECONDS), "the session was not closed once S3 was back");
                assertEquals(List.of(), poller.violations());
            }
            String text = get(playlist).body();
            assertEquals(capture.segments(), OriginPoller.segments(text));
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            Eventually.await("health UP once the origin is back", Duration.ofSeconds(15), () -> {
                try {
                    return get(java.net.URI.create("http://127.0.0.1:" + httpPort + "/observe/health"))
                            .statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            for (String segment : capture.segments()) {
                assertArrayEquals(capture.bytes(segment), getBytes(playlist.resolve(segment)).body(), segment);
            }
            assertEquals(List.of(), filesIn(channelFolder("main")));
        }
    }

    @Test
    void aSegmentWhoseUploadFailsIsRetriedAndNoPlaylistListsItBeforeItIsUp() throws Exception {
        startS3("-00002.ts", 5);
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("capture"));
             OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(50))) {
            try (Publisher publisher = Publisher.start(rtmpPort, KEY, 8, work.resolve("logs"))) {
                assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
            }
            assertTrue(ended.matches(60, TimeUnit.SECONDS), "the session was not closed");
            assertEquals(5, flaky.refused().size(), "the injected failures happened: " + flaky.refused());
            String metrics = get(java.net.URI.create("http://127.0.0.1:" + httpPort + "/observe/metrics")).body();
            assertTrue(metrics.matches("(?s).*\nstreaming_upload_failures_total\\{channel=\"main\"} [1-9].*"), metrics);
            assertEquals(List.of(), poller.violations());

            String text = get(playlist).body();
            assertEquals(capture.segments(), OriginPoller.segments(text), "nothing was skipped");
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            String failed = flaky.refused().get(0).substring("videos/main/".length());
            assertArrayEquals(capture.bytes(failed), getBytes(playlist.resolve(failed)).body());
        }
    }
}
