package io.livecamel.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * How fast a finished segment becomes visible to viewers: the time from ffmpeg finishing a segment on local disk
 * (the moment it appears under its final name) to the origin playlist listing it, read by a poller every 10 ms.
 * Also the time from the publisher's disconnect to #EXT-X-ENDLIST at the origin.
 * Run with {@code mvn verify -Pbenchmark} ({@code -Dbenchmark.seconds=N} for the stream length, default 120).
 */
class OriginLatencyBenchmark extends StreamingTestSupport {

    private static final Duration POLL = Duration.ofMillis(10);

    @Test
    void segmentFinishedToListedAtTheOrigin() throws Exception {
        int seconds = Integer.getInteger("benchmark.seconds", 120);
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        List<Double> latencies = new ArrayList<>();
        int slowest = -1;
        double endListSeconds;
        int versions;
        int violations;
        try (SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("capture"));
             OriginPoller poller = new OriginPoller(playlist("main"), POLL);
             Publisher publisher = Publisher.start(rtmpPort, KEY, seconds, work.resolve("logs"), Publisher.HD)) {
            assertEquals(0, publisher.await(Duration.ofSeconds(seconds + 60L)), publisher.log());
            long disconnected = System.nanoTime();
            Eventually.await("#EXT-X-ENDLIST at the origin", Duration.ofSeconds(30), () -> ended());
            endListSeconds = (System.nanoTime() - disconnected) / 1e9;
            assertTrue(ended.matches(30, TimeUnit.SECONDS));
            for (String segment : capture.segments()) {
                Long finished = capture.finishedAtNanos(segment);
                Long listed = poller.firstListedNanos(segment);
                if (finished != null && listed != null) {
                    double latency = (listed - finished) / 1e6;
                    if (slowest < 0 || latency > latencies.get(slowest)) {
                        slowest = latencies.size();
                    }
                    latencies.add(latency);
                }
            }
            versions = poller.versionsSeen();
            violations = poller.violations().size();
            assertEquals(capture.segments().size(), latencies.size(), "every segment was seen both finished and listed");
        }
        Collections.sort(latencies);
        String figures = String.format(Locale.ROOT, """
                === Origin latency benchmark ===
                machine:   %s, %d cores, Java %s
                stream:    %d s of %s, 1-s segments (hls.time=1), embedded s3proxy origin
                segments:  %d finished, %d listed-but-missing seen by the poller (%d playlist versions)
                segment finished on disk -> listed in the origin playlist (poll every %d ms):
                  p50 %.0f ms   p90 %.0f ms   p99 %.0f ms   max %.0f ms (segment %d of the stream)
                publisher disconnect -> #EXT-X-ENDLIST at the origin: %.2f s (reconnect grace %s s)
                """, machine(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                seconds, Publisher.HD, latencies.size(), violations, versions, POLL.toMillis(),
                percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
                latencies.get(latencies.size() - 1), slowest + 1, endListSeconds,
                context.resolvePropertyPlaceholders("{{streaming.reconnect-grace}}"));
        System.out.println(figures);
        Files.writeString(Path.of("target", "benchmark-origin-latency.txt"), figures);
        assertEquals(0, violations);
    }

    private boolean ended() {
        try {
            return get(playlist("main")).body().endsWith("#EXT-X-ENDLIST\n");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    static String machine() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
