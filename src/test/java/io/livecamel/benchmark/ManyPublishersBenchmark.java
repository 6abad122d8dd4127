package io.livecamel.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.Ffmpeg;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * Many publishers on the one RTMP port at once ({@code -Dbenchmark.publishers=N}, default 32), each sending the same
 * pre-encoded 720p, 1-s-GOP H.264/AAC file at about 2.5 Mbit/s in real time ({@code -c copy}, so the publishers
 * cost little), for {@code -Dbenchmark.many.seconds} (default 30). For every channel: segment finished on disk ->
 * listed in the origin playlist (read every 100 ms); then the worst channel's figures, listed-but-missing, segments
 * lost, and what the server took: the CPU of its network threads and of its ffmpeg-feeding threads, the JVM's
 * threads and heap. The origin (s3proxy) and the pollers run in the same JVM; their CPU is not counted as the
 * server's.
 */
class ManyPublishersBenchmark extends StreamingTestSupport {

    private static final Duration POLL = Duration.ofMillis(100);
    private final int publishers = Integer.getInteger("benchmark.publishers", 32);
    private final int seconds = Integer.getInteger("benchmark.many.seconds", 30);

    private static String channel(int i) {
        return String.format(Locale.ROOT, "c%02d", i);
    }

    private static String key(int i) {
        return String.format(Locale.ROOT, "bench-key-%02d-0123456789", i);
    }

    @Override
    protected void settings(Properties properties) {
        for (int i = 1; i <= publishers; i++) {
            properties.setProperty("streaming.channels." + channel(i) + ".key", key(i));
        }
    }

    @Test
    void manyPublishersOnOnePort() throws Exception {
        Path source = sourceFile();
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        Ffmpeg ffmpeg = Ffmpeg.locate(Optional.empty());
        List<SegmentCapture> captures = new ArrayList<>();
        List<OriginPoller> pollers = new ArrayList<>();
        List<NotifyBuilder> ends = new ArrayList<>();
        List<Process> running = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long serverCpuBefore;
        long serverCpuAfter;
        long laneCpuBefore;
        long laneCpuAfter;
        int peakThreads = 0;
        int peakServerThreads = 0;
        long heapUsed;
        try {
            for (int i = 1; i <= publishers; i++) {
                captures.add(new SegmentCapture(channelFolder(channel(i)), work.resolve("capture").resolve(channel(i))));
                pollers.add(new OriginPoller(playlist(channel(i)), POLL));
                ends.add(sessionEnded(channel(i)));
            }
            serverCpuBefore = cpu(threads, ManyPublishersBenchmark::isServers);
            laneCpuBefore = cpu(threads, ManyPublishersBenchmark::isLane);
            long start = System.nanoTime();
            for (int i = 1; i <= publishers; i++) {
                Path log = work.resolve("logs").resolve(channel(i) + ".log");
                Files.createDirectories(log.getParent());
                running.add(new ProcessBuilder(ffmpeg.command(List.of("-re", "-i", source.toString(), "-c", "copy",
                        "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key(i))))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start());
            }
            while (running.stream().anyMatch(Process::isAlive)) {
                peakThreads = Math.max(peakThreads, threads.getThreadCount());
                peakServerThreads = Math.max(peakServerThreads, serverThreads(threads));
                running.get(0).waitFor(500, TimeUnit.MILLISECONDS);
            }
            serverCpuAfter = cpu(threads, ManyPublishersBenchmark::isServers);
            laneCpuAfter = cpu(threads, ManyPublishersBenchmark::isLane);
            double wall = (System.nanoTime() - start) / 1e9;
            for (Process process : running) {
                assertEquals(0, process.exitValue(), "a publisher failed; see " + work.resolve("logs"));
            }
            for (NotifyBuilder end : ends) {
                assertTrue(end.matches(60, TimeUnit.SECONDS), "a session did not end");
            }
            System.gc();
            heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

            List<Double> p50s = new ArrayList<>();
            double worstP99 = 0;
            double worstLaterP99 = 0;
            String worstChannel = "";
            String worstSegment = "";
            double worstMax = 0;
            int finished = 0;
            int listed = 0;
            int missing = 0;
            for (int i = 0; i < publishers; i++) {
                List<Double> latencies = new ArrayList<>();
                List<Double> later = new ArrayList<>();
                for (String segment : captures.get(i).segments()) {
                    finished++;
                    Long done = captures.get(i).finishedAtNanos(segment);
                    Long seen = pollers.get(i).firstListedNanos(segment);
                    if (seen != null) {
                        listed++;
                    }
                    if (done != null && seen != null) {
                        if ((seen - done) / 1e6 > worstMax) {
                            worstMax = (seen - done) / 1e6;
                            worstSegment = segment;
                        }
                        latencies.add((seen - done) / 1e6);
                        if (!segment.endsWith("-00000.ts") && !segment.endsWith("-00001.ts")) {
                            later.add((seen - done) / 1e6);
                        }
                    }
                }
                missing += pollers.get(i).violations().size();
                Collections.sort(latencies);
                Collections.sort(later);
                worstLaterP99 = Math.max(worstLaterP99, OriginLatencyBenchmark.percentile(later, 99));
                p50s.add(OriginLatencyBenchmark.percentile(latencies, 50));
                double p99 = OriginLatencyBenchmark.percentile(latencies, 99);
                if (p99 > worstP99) {
                    worstP99 = p99;
                    worstChannel = channel(i + 1);
                }
            }
            Collections.sort(p50s);
            // the application's own measure of the same (file time to the playlist's PUT done), its slowest
            double appMax = 0;
            String metrics = get(java.net.URI.create("http://127.0.0.1:" + httpPort + "/observe/metrics")).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("streaming_segment_to_playlist_seconds_max")) {
                    appMax = Math.max(appMax, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000);
                }
            }
            String figures = String.format(Locale.ROOT, """
                    === Many publishers benchmark ===
                    machine:    %s, %d cores, Java %s
                    load:       %d publishers on one RTMP port at once, %d s each of a 1280x720 H.264/AAC file
                                at about 2.5 Mbit/s (-re -c copy), 1-s segments, embedded s3proxy origin (same JVM)
                    segments:   %d finished on disk, %d listed at the origin (the final playlists), %d listed-but-missing
                    segment finished on disk -> listed in the origin playlist (poll every %d ms, all channels):
                      median of the channels' p50 %.0f ms   worst channel (%s) p99 %.0f ms; slowest %.0f ms (%s)
                      steady state, without each channel's first two segments (all start at once): worst p99 %.0f ms
                      the application's own measure (segment file time -> playlist PUT done), slowest: %.0f ms
                    server:     RTMP network threads + ffmpeg feeding threads %.1f %% of one core (%.1f s CPU in %.0f s)
                    lanes:      the channels' routes (uploads, playlists; the S3 client's calls in them) %.1f %% of one core
                                the server's and the lanes' threads peak %d; JVM threads peak %d
                                (with the %d pollers and the origin); heap used after GC %d MiB
                    """, OriginLatencyBenchmark.machine(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), publishers, seconds, finished, listed, missing,
                    POLL.toMillis(), p50s.get(p50s.size() / 2), worstChannel, worstP99, worstMax, worstSegment, worstLaterP99, appMax,
                    (serverCpuAfter - serverCpuBefore) / 1e9 / wall * 100, (serverCpuAfter - serverCpuBefore) / 1e9,
                    wall, (laneCpuAfter - laneCpuBefore) / 1e9 / wall * 100, peakServerThreads, peakThreads, publishers, heapUsed / (1024 * 1024));
            System.out.println(figures);
            Files.writeString(Path.of("target", "benchmark-many-publishers.txt"), figures);
            assertEquals(0, missing);
            assertEquals(finished, listed, "every finished segment was listed");
        } finally {
            running.forEach(Process::destroyForcibly);
            for (OriginPoller poller : pollers) {
                poller.close();
            }
            for (SegmentCapture capture : captures) {
                capture.close();
            }
        }
    }

    /** The RTMP event loops, the sessions' threads and the threads that feed ffmpeg. */
    private static boolean isServers(ThreadInfo info) {
        return info != null && (info.getThreadName().startsWith("rtmp")
                || info.getThreadName().contains("ingest") && !isLane(info));
    }

    /** A channel's lane: its route, with its uploads. */
    private static boolean isLane(ThreadInfo info) {
        return info != null && info.getThreadName().contains("hls-ingest-");
    }

    private static int serverThreads(ThreadMXBean threads) {
        int count = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (isServers(info) || isLane(info)) {
                count++;
            }
        }
        return count;
    }

    /** CPU time of the threads that {@code which} picks. */
    private static long cpu(ThreadMXBean threads, java.util.function.Predicate<ThreadInfo> which) {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (which.test(info)) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(cpu, 0);
            }
        }
        return total;
    }

    /** The publishers' file, encoded once (kept under target/ between runs). */
    private Path sourceFile() throws Exception {
        Path file = Path.of("target", "benchmark-source-720p-" + seconds + "s.flv").toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            Ffmpeg ffmpeg = Ffmpeg.locate(Optional.empty());
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            Process encode = new ProcessBuilder(ffmpeg.command(List.of(
                    "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                    "-b:v", "2400k", "-maxrate", "2500k", "-bufsize", "2500k",
                    "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
                    "-c:a", "aac", "-b:a", "128k", "-f", "flv", "-y", partial.toString())))
                    .redirectErrorStream(true).start();
            String output = new String(encode.getInputStream().readAllBytes());
            assertTrue(encode.waitFor(10, TimeUnit.MINUTES) && encode.exitValue() == 0, output);
            Files.move(partial, file);
        }
        return file;
    }
}
