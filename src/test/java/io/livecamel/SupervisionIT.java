package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
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

/** The listener's supervision: ffmpeg killed, idle or mid-stream, and a port that is taken. */
class SupervisionIT extends StreamingTestSupport {

    private ServerSocket squatter;
    private long orphan;

    @Override
    protected void settings(Properties properties) {
        properties.setProperty("streaming.reconnect-grace", "2");
        if (getCurrentTestName() != null && getCurrentTestName().contains("Orphan")) {
            orphan = startOrphanListener();
        }
        if (getCurrentTestName() != null && getCurrentTestName().contains("PortThatIsTaken")) {
            try {
                squatter = new ServerSocket(rtmpPort, 1, InetAddress.getByName("0.0.0.0"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static ProcessHandle listener() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("-listen")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no ffmpeg listener is running"));
    }

    @Test
    void aKilledListenerIsBackWithinASecondAndAKilledSessionStillEndsProperly() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        listener().destroyForcibly();
        Eventually.await("the killed listener's port to close", Duration.ofSeconds(2),
                () -> !Listeners.isListening(rtmpPort));
        Duration back = Listeners.awaitListening(rtmpPort, Duration.ofSeconds(1));
        assertTrue(back.toMillis() < 1000, "back after " + back);

        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open();
             Publisher publisher = Publisher.start(rtmpPort, KEY, 20, work.resolve("logs"))) {
            Eventually.await("three segments at the origin", Duration.ofSeconds(20),
                    () -> segmentsAtOrigin() >= 3);
            ProcessHandle serving = listener();
            serving.destroyForcibly(); // ffmpeg crashes mid-stream
            Eventually.await("a new listener", Duration.ofSeconds(1),
                    () -> Listeners.isListening(rtmpPort) && !serving.isAlive());
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the session did not end after the grace");
            assertEquals(1, log.containing("publisher gone (ffmpeg was killed)").size(), log.lines().toString());
        }
        String text = get(playlist("main")).body();
        assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
        for (String segment : OriginPoller.segments(text)) {
            assertEquals(200, get(playlist("main").resolve(segment)).statusCode(), segment);
        }
        assertEquals(List.of(), filesIn(channelFolder("main")));
    }

    @Test
    void aPortThatIsTakenIsRetriedWithABackOffAndReported() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            String retry = "Channel main: the listener failed; trying again in ";
            Eventually.await("three retries", Duration.ofSeconds(10), () -> log.containing(retry).size() >= 3);
            List<Long> delays = log.containing(retry).stream()
                    .map(line -> Long.parseLong(line.substring(line.indexOf(retry) + retry.length()).split(" ")[0]))
                    .toList();
            for (int i = 1; i < delays.size(); i++) {
                assertEquals(Math.min(delays.get(i - 1) * 2, 10_000), delays.get(i), "a doubling back-off: " + delays);
            }
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("Address already in use")),
                    "the reason is reported: " + log.lines());
            squatter.close();
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(15));
        }
        NotifyBuilder ended = sessionEnded("main");
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(20)), publisher.log());
        }
        assertTrue(ended.matches(20, TimeUnit.SECONDS));
    }

    /** An ffmpeg listener as a killed earlier run leaves it: re-parented to init, holding the channel's port. */
    private long startOrphanListener() {
        try {
            String ffmpeg = io.livecamel.ingest.Ffmpeg.locate(java.util.Optional.empty()).executable().toString();
            Process shell = new ProcessBuilder("sh", "-c", "'" + ffmpeg + "' -hide_banner -nostdin -listen 1 -i "
                    + "rtmp://0.0.0.0:" + rtmpPort + "/live/ingest-0123456789abcdef -f null - >/dev/null 2>&1 & "
                    + "echo $!").start();
            long pid = Long.parseLong(new String(shell.getInputStream().readAllBytes()).trim());
            shell.waitFor();
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(10));
            return pid;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOrphanListenerOfAKilledEarlierRunIsStoppedAndTheChannelListens() throws Exception {
        ProcessHandle leftOver = ProcessHandle.of(orphan).orElseThrow();
        assertEquals(1, leftOver.parent().map(ProcessHandle::pid).orElse(1L), "an orphan");
        Eventually.await("the orphan to be stopped", Duration.ofSeconds(10), () -> !leftOver.isAlive());
        Eventually.await("our own listener", Duration.ofSeconds(5), () -> {
            try {
                return Listeners.isListening(rtmpPort) && listener().pid() != orphan;
            } catch (AssertionError e) {
                return false;
            }
        });
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
