package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** Supervision: an ffmpeg killed under a live publisher, and an RTMP port that is taken at start. */
class SupervisionIT extends StreamingTestSupport {

    private ServerSocket squatter;

    @Override
    protected void settings(Properties properties) {
        properties.setProperty("streaming.reconnect-grace", "2");
        if (getCurrentTestName() != null && getCurrentTestName().contains("PortThatIsTaken")) {
            try {
                squatter = new ServerSocket(rtmpPort, 1, InetAddress.getByName("0.0.0.0"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The ffmpeg that writes the live connection's HLS (it reads FLV on its standard input). */
    private static ProcessHandle hlsWriter() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("pipe:0")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no ffmpeg writes HLS"));
    }

    @Test
    void aKilledFfmpegCutsItsPublisherAndTheSessionStillEndsProperly() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open();
             Publisher publisher = Publisher.start(rtmpPort, KEY, 30, work.resolve("logs"))) {
            Eventually.await("three segments at the origin", Duration.ofSeconds(20),
                    () -> segmentsAtOrigin() >= 3);
            hlsWriter().destroyForcibly(); // ffmpeg crashes mid-stream
            assertNotEquals(0, publisher.await(Duration.ofSeconds(10)), "the publisher is cut");
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the session did not end after the grace");
            assertEquals(1, log.containing("publisher gone (ffmpeg was killed)").size(), log.lines().toString());
            assertEquals(1, log.containing("Channel main: ffmpeg was killed while the publisher was live").size(),
                    log.lines().toString());
        }
        String text = get(playlist("main")).body();
        assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
        for (String segment : OriginPoller.segments(text)) {
            assertEquals(200, get(playlist("main").resolve(segment)).statusCode(), segment);
        }
        assertEquals(List.of(), filesIn(channelFolder("main")));
        aGoodPublisherWorks(); // and the channel takes the next one
    }

    @Test
    void aPortThatIsTakenIsRetriedWithABackOffAndReported() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            String retry = "The RTMP server cannot listen on port " + rtmpPort;
            String next = "trying again in ";
            Eventually.await("three retries", Duration.ofSeconds(10), () -> log.containing(retry).size() >= 3);
            List<Long> delays = log.containing(retry).stream()
                    .map(line -> Long.parseLong(line.substring(line.indexOf(next) + next.length()).split(" ")[0]))
                    .toList();
            for (int i = 1; i < delays.size(); i++) {
                assertEquals(Math.min(delays.get(i - 1) * 2, 10_000), delays.get(i), "a doubling back-off: " + delays);
            }
            assertTrue(log.containing(retry).get(0).contains("Address already in use"),
                    "the reason is reported: " + log.lines());
            HttpResponse<String> health = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health"));
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("cannot listen on port " + rtmpPort), health.body());
            squatter.close();
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(15));
        }
        aGoodPublisherWorks();
    }

    private void aGoodPublisherWorks() throws Exception {
        NotifyBuilder ended = sessionEnded("main");
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(20)), publisher.log());
        }
        assertTrue(ended.matches(20, TimeUnit.SECONDS));
    }

    private long segmentsAtOrigin() {
        try {
            return objectsAtOrigin("main").stream().filter(name -> name.endsWith(".ts")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
