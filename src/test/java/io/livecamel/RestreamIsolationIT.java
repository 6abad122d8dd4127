package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.livecamel.rtmp.RtmpUrl;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.NginxRtmp;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.Recording;
import io.livecamel.testing.StreamingTestSupport;
import io.livecamel.testing.WebhookReceiver;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No destination can hurt the others: two channels publish at once for 30 s, {@code calm} to one good destination,
 * {@code main} to the same kind of good destination and three bad ones: one that refuses the stream (nginx-rtmp,
 * {@code deny publish all}), one that accepts TCP and reads nothing, one that disappears mid-stream (nginx-rtmp
 * stopped) and comes back. Main's HLS keeps the pace of calm's, its good destination records as much as calm's, and
 * the bad ones are retried: the one that came back takes the stream again.
 */
class RestreamIsolationIT extends StreamingTestSupport {

    private static final String CALM_KEY = "calm-key-5e0b7d2c91f4";
    private static final double GOP = 1.0;

    private NginxRtmp good;
    private NginxRtmp comesBack;
    private int comesBackPort;
    private Stalling stalling;
    private WebhookReceiver webhook;
    private final LogCapture logs = LogCapture.open();
    private String refusing;
    private String stalled;
    private String gone;

    /** Accepts TCP connections and never reads from them, with a small receive window. */
    private static final class Stalling implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        Stalling() throws IOException {
            server = new ServerSocket();
            server.setReceiveBufferSize(4096);
            server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread thread = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "stalling-destination");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Override
    protected void settings(Properties properties) {
        Recording.assumeProbe();
        try {
            Files.createDirectories(work.resolve("recordings"));
            good = NginxRtmp.start(work.resolve("nginx"), FreePort.find(), Map.of(
                    "live", "record all; record_path " + work.resolve("recordings") + "; record_unique on;",
                    "refuse", "deny publish all;"));
            comesBackPort = FreePort.find();
            comesBack = NginxRtmp.start(work.resolve("nginx-back"), comesBackPort, Map.of("live", ""));
            stalling = new Stalling();
            webhook = new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        String refuseUrl = "rtmp://127.0.0.1:" + good.port() + "/refuse/refused-key";
        String stallUrl = "rtmp://127.0.0.1:" + stalling.port() + "/live/stalled-key";
        String goneUrl = "rtmp://127.0.0.1:" + comesBackPort + "/live/gone-key";
        refusing = RtmpUrl.parse(refuseUrl).name();
        stalled = RtmpUrl.parse(stallUrl).name();
        gone = RtmpUrl.parse(goneUrl).name();
        properties.setProperty("streaming.reconnect-grace", "4");
        properties.setProperty("streaming.restream.stall-timeout", "3");
        properties.setProperty("streaming.webhook.url", webhook.url().toString());
        properties.setProperty("streaming.channels.calm.key", CALM_KEY);
        properties.setProperty("streaming.channels.calm.restream", "rtmp://127.0.0.1:" + good.port()
                + "/live/calm-destination");
        properties.setProperty("streaming.channels.main.restream", String.join(",", "rtmp://127.0.0.1:"
                + good.port() + "/live/main-destination", refuseUrl, stallUrl, goneUrl));
    }

    @AfterEach
    void stopDestinations() throws Exception {
        logs.close();
        for (AutoCloseable closing : new AutoCloseable[] {good, comesBack, stalling, webhook}) {
            if (closing != null) {
                closing.close();
            }
        }
    }

    @Test
    void badDestinationsHoldUpNeitherHlsNorTheOthersAndAreRetried() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder mainEnded = sessionEnded("main");
        NotifyBuilder calmEnded = sessionEnded("calm");
        try (OriginPoller mainViewer = new OriginPoller(playlist("main"), Duration.ofMillis(100));
             OriginPoller calmViewer = new OriginPoller(playlist("calm"), Duration.ofMillis(100));
             Publisher main = Publisher.start(rtmpPort, KEY, 30, work.resolve("logs"));
             Publisher calm = Publisher.start(rtmpPort, CALM_KEY, 30, work.resolve("logs"))) {
            awaitEvent("RestreamStarted", gone, 1);
            awaitEvent("RestreamFailed", refusing, 1);
            comesBack.close(); // the destination disappears mid-stream
            awaitEvent("RestreamFailed", gone, 1);
            comesBack = NginxRtmp.start(work.resolve("nginx-back"), comesBackPort, Map.of("live", ""));
            awaitEvent("RestreamStarted", gone, 2); // it came back: the stream goes to it again
            awaitEvent("RestreamFailed", stalled, 1);
            assertEquals(0, main.await(Duration.ofSeconds(60)), main.log());
            assertEquals(0, calm.await(Duration.ofSeconds(60)), calm.log());
            assertTrue(mainEnded.matches(30, TimeUnit.SECONDS) && calmEnded.matches(30, TimeUnit.SECONDS),
                    "both sessions ended");
            assertEquals(List.of(), mainViewer.violations());
            double mainGap = largestGap(mainViewer);
            double calmGap = largestGap(calmViewer);
            System.out.printf("Restream isolation: largest gap between segments listed: main %.2f s (with bad "
                    + "destinations), calm %.2f s%n", mainGap, calmGap);
            assertTrue(mainGap <= calmGap + 1.5, "main's segments kept calm's pace: " + mainGap + " s vs " + calmGap);
        }
        assertEquals(1, logs.containing("restream to " + stalled + " failed: it did not take the stream within 3 s")
                .size(), String.join("\n", logs.containing(stalled)));
        // nginx-rtmp closes or resets the connection right after NetStream.Publish.Start: a refusal either way
        List<String> told = webhook.events().stream().filter(json -> refusing.equals(json.get("destination")))
                .map(json -> json.get("event") + ": " + json.get("reason")).toList();
        assertTrue(told.size() == 1 && told.get(0).startsWith("RestreamFailed: ")
                && told.get(0).endsWith(" as soon as it took the stream"),
                "one RestreamFailed for the refusal, however many retries, and no RestreamStarted: " + told);
        assertEquals(1, logs.containing("restream to " + refusing + " failed").size(), "one WARN for the refusal");
        Recording mainRecording = Recording.probe(Recording.recordedBy(work.resolve("recordings"),
                "main-destination"));
        Recording calmRecording = Recording.probe(Recording.recordedBy(work.resolve("recordings"),
                "calm-destination"));
        System.out.printf("Restream isolation: the good destination recorded %.2f s of main, %.2f s of calm%n",
                mainRecording.duration(), calmRecording.duration());
        assertEquals(List.of(), mainRecording.backwards(), mainRecording.toString());
        assertTrue(mainRecording.duration() >= 30 - GOP - 0.1, mainRecording.toString());
        assertTrue(Math.abs(mainRecording.duration() - calmRecording.duration()) <= GOP + 0.1,
                mainRecording + " / " + calmRecording);
    }

    private void awaitEvent(String event, String destination, int times) throws InterruptedException {
        Eventually.await(event + " for " + destination + " (" + times + ")", Duration.ofSeconds(25),
                () -> webhook.events().stream().filter(json -> event.equals(json.get("event"))
                        && destination.equals(json.get("destination"))).count() >= times);
    }

    /** The longest time between two segments of the channel first listed at the origin, in seconds. */
    private static double largestGap(OriginPoller viewer) {
        List<Long> listed = new ArrayList<>();
        for (OriginPoller.Version version : viewer.history()) {
            for (String segment : OriginPoller.segments(version.text())) {
                Long at = viewer.firstListedNanos(segment);
                if (at != null && !listed.contains(at)) {
                    listed.add(at);
                }
            }
        }
        listed.sort(Long::compare);
        long gap = 0;
        for (int i = 1; i < listed.size(); i++) {
            gap = Math.max(gap, listed.get(i) - listed.get(i - 1));
        }
        return gap / 1e9;
    }
}
