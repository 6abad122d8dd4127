package io.livecamel.benchmark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.livecamel.benchmark.Stacks.Channel;
import io.livecamel.benchmark.Stacks.Stack;
import org.junit.jupiter.api.Test;

/**
 * The same load through this project, the stack it replaces (Node-Media-Server + chokidar + aws-sdk) and ffmpeg
 * alone (the floor), side by side in one run: N channels ({@code -Dbenchmark.scale.channels=1,8,16,32,64}) publishing
 * a 720p, 1-s-GOP, 2.5 Mbit/s stream in real time for {@code -Dbenchmark.scale.seconds} (60), their starts spread
 * over one second, to an S3 server over HTTP ({@code -Dbenchmark.scale.origin=https} for HTTPS). For every segment:
 * from the publisher sending the keyframe that ends it (the earliest any segmenter can cut it) to the origin listing
 * it, and from the segmenter listing it on disk to the origin listing it; playlist versions listing a segment the
 * origin did not hold; segments lost; the stack's CPU, memory and threads, its ffmpeg children apart. Prints the
 * table and writes it into the README between its markers.
 */
class ScaleBenchmark {

    private static final String START = "<!-- scale-benchmark:start -->";
    private static final String END = "<!-- scale-benchmark:end -->";
    private static final Duration END_TIMEOUT = Duration.ofSeconds(40);

    private final int seconds = Integer.getInteger("benchmark.scale.seconds", 60);
    private final List<Integer> counts = Arrays.stream(System.getProperty("benchmark.scale.channels", "1,8,16,32,64")
            .split(",")).map(String::trim).map(Integer::parseInt).toList();

    /** One stack at one channel count. */
    record Result(String stack, int channels, Stats sent, Stats finished, int missingVersions, int atOrigin,
            int expected, int ended, Stats endToEndList, ProcessUsage.Figures usage, double steadyCpu,
            double loadShare,
            double originShare) {
    }

    /** Percentiles in ms over all segments, and the worst channel's p99. */
    record Stats(double p50, double p99, double worstChannelP99, int samples) {
        static Stats of(List<List<Double>> perChannel) {
            List<Double> all = new ArrayList<>();
            double worst = 0;
            for (List<Double> channel : perChannel) {
                all.addAll(channel);
                worst = Math.max(worst, percentile(channel, 99));
            }
            return new Stats(percentile(all, 50), percentile(all, 99), worst, all.size());
        }
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    @Test
    void sameLoadThroughThisProjectTheReplacedStackAndFfmpegAlone() throws Exception {
        SourceStream source = SourceStream.of(seconds);
        List<byte[]> chunked = LoadPublisher.chunked(source);
        Optional<String> noNode = Stacks.NodeMediaServer.unavailable();
        noNode.ifPresent(reason -> System.out.println("Node-Media-Server is left out: " + reason));
        List<String> chosen = Arrays.asList(System.getProperty("benchmark.scale.stacks", "floor,this,nms").split(","));
        List<Supplier<Stack>> stacks = new ArrayList<>();
        if (chosen.contains("floor")) {
            stacks.add(Stacks.FfmpegAlone::new);
        }
        if (chosen.contains("this")) {
            stacks.add(() -> new Stacks.ThisApplication(false, 0));
        }
        for (String name : chosen) { // restream1, restream3...: each channel restreamed to that many destinations
            if (name.matches("restream[1-9][0-9]?") && !java.nio.file.Files.exists(io.livecamel.testing.NginxRtmp.MODULE)) {
                System.out.println("The stack " + name + " is left out: its destinations are nginx-rtmp's "
                        + "(apt-get install nginx libnginx-mod-rtmp)");
            } else if (name.matches("restream[1-9][0-9]?")) {
                int destinations = Integer.parseInt(name.substring("restream".length()));
                stacks.add(() -> new Stacks.ThisApplication(false, destinations));
            }
        }
        if (chosen.contains("cluster")) {
            stacks.add(() -> new Stacks.ThisApplication(true, 0));
        }
        if (chosen.contains("nms") && noNode.isEmpty()) {
            stacks.add(Stacks.NodeMediaServer::new);
        }
        List<Result> results = new ArrayList<>();
        for (int count : counts) {
            for (Supplier<Stack> stack : stacks) {
                Result result = run(stack.get(), count, source, chunked);
                results.add(result);
                System.out.println(row(result, results));
            }
        }
        String table = table(results);
        System.out.println(table);
        Files.writeString(Path.of("target", "benchmark-scale.md"), table);
        Path readme = Path.of("README.md");
        String text = Files.readString(readme);
        int from = text.indexOf(START);
        int to = text.indexOf(END);
        if (from >= 0 && to > from && Boolean.parseBoolean(System.getProperty("benchmark.scale.readme", "true"))) {
            Files.writeString(readme, text.substring(0, from + START.length()) + "\n" + table + text.substring(to));
            System.out.println("The table is in README.md");
        }
    }

    private Result run(Stack stack, int count, SourceStream source, List<byte[]> chunked) throws Exception {
        List<Channel> channels = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            channels.add(Channel.of(i));
        }
        try (stack) {
            stack.start(channels);
            try (ListingWatch watch = new ListingWatch(stack.roots());
                 ProcessUsage usage = new ProcessUsage(stack.pid());
                 ProcessUsage load = new ProcessUsage(ProcessHandle.current().pid());
                 ProcessUsage origin = stack.originPid().isPresent() ? new ProcessUsage(stack.originPid().get())
                         : null) {
                long base = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                List<LoadPublisher> publishers = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (Channel channel : channels) {
                    LoadPublisher publisher = new LoadPublisher(stack.port(channel), channel.key(), source, chunked,
                            base + (channel.index() - 1) * 1_000_000_000L / count);
                    publishers.add(publisher);
                    Thread thread = new Thread(publisher, "publisher-" + channel.name());
                    thread.setDaemon(true);
                    threads.add(thread);
                    thread.start();
                }
                LockSupport.parkNanos(base - System.nanoTime());
                ProcessUsage.Mark started = usage.mark();
                ProcessUsage.Mark loadStarted = load.mark();
                ProcessUsage.Mark originStarted = origin == null ? null : origin.mark();
                // the second half of the stream: the steady state, after start-up and the JIT's first compilations
                long half = base + Duration.ofSeconds(seconds).toNanos() / 2 - System.nanoTime();
                threads.get(0).join(Math.max(1, half / 1_000_000));
                ProcessUsage.Mark halfway = usage.mark();
                for (Thread thread : threads) {
                    thread.join(Duration.ofSeconds(seconds + 120).toMillis());
                }
                // CPU is counted while the stream runs: a stack that never ends its playlists is not credited with
                // the idle time spent waiting for it
                ProcessUsage.Mark streamed = usage.mark();
                double steadyCpu = halfway.shareUntil(streamed);
                for (LoadPublisher publisher : publishers) {
                    if (publisher.failure() != null) {
                        throw new AssertionError(stack.name() + ": a publisher failed", publisher.failure());
                    }
                }
                long published = System.nanoTime();
                // until every channel's origin playlist has its end marker (the replaced stack may never write it)
                while (System.nanoTime() - published < END_TIMEOUT.toNanos() && channels.stream()
                        .anyMatch(c -> watch.listing(stack.originFolder(c)).endListAt() == 0)) {
                    Thread.sleep(100); // polling the watch's record, not waiting for time
                }
                ProcessUsage.Figures figures = usage.figures(started, streamed);
                StringBuilder byThread = new StringBuilder(stack.name() + ", " + count + " channels, CPU s by thread:");
                usage.cpuByThread().entrySet().stream().limit(12).forEach(e -> byThread.append(String.format(
                        Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue())));
                System.out.println(byThread);
                double loadShare = loadStarted.shareUntil(load.mark());
                double originShare = origin == null ? 0 : originStarted.shareUntil(origin.mark());
                assertTrue(watch.failure() == null, () -> "the watch failed: " + watch.failure());
                return measure(stack, channels, publishers, watch, source, figures, steadyCpu, loadShare,
                        originShare);
            }
        }
    }

    private static Result measure(Stack stack, List<Channel> channels, List<LoadPublisher> publishers,
            ListingWatch watch, SourceStream source, ProcessUsage.Figures figures, double steadyCpu,
            double loadShare, double originShare) throws IOException {
        List<Integer> keyframes = source.keyframes();
        List<List<Double>> sent = new ArrayList<>();
        List<List<Double>> finished = new ArrayList<>();
        List<List<Double>> endToEndList = new ArrayList<>();
        int missingVersions = 0;
        int atOrigin = 0;
        int ended = 0;
        // every segment's figures, for a look at where and when the tail is: a file beside the table
        StringBuilder rows = new StringBuilder("channel,segment,listed_s,sent_to_listed_ms,on_disk_to_listed_ms\n");
        long firstSent = publishers.stream().mapToLong(LoadPublisher::startedAt).min().orElse(0);
        for (Channel channel : channels) {
            LoadPublisher publisher = publishers.get(channel.index() - 1);
            ListingWatch.Listing origin = watch.listing(stack.originFolder(channel));
            ListingWatch.Listing local = watch.listing(stack.localFolder(channel));
            List<Double> channelSent = new ArrayList<>();
            List<Double> channelFinished = new ArrayList<>();
            java.util.Set<Integer> covered = new java.util.HashSet<>();
            for (Map.Entry<String, Long> listed : origin.firstListed().entrySet()) {
                Path file = stack.originFolder(channel).resolve(listed.getKey());
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                int start = SourceStream.stampOf(Files.readAllBytes(file));
                if (start < 0) {
                    continue;
                }
                long duration = Math.round(origin.duration(listed.getKey()) * 1000);
                Optional<Integer> end = keyframes.stream().filter(k -> k >= start + duration - 100).findFirst();
                keyframes.stream().filter(k -> k >= start && k < start + duration - 100).forEach(covered::add);
                double sentToListed = Double.NaN;
                if (end.isPresent() && publisher.keyframeSentAt(end.get()) != null) {
                    sentToListed = (listed.getValue() - publisher.keyframeSentAt(end.get())) / 1e6;
                    channelSent.add(sentToListed);
                }
                Long onDisk = local.firstListed().get(listed.getKey());
                double onDiskToListed = Double.NaN;
                if (onDisk != null && local != origin) {
                    onDiskToListed = (listed.getValue() - onDisk) / 1e6;
                    channelFinished.add(onDiskToListed);
                }
                rows.append(String.format(Locale.ROOT, "%s,%s,%.3f,%.0f,%.0f%n", channel.name(), listed.getKey(),
                        (listed.getValue() - firstSent) / 1e9, sentToListed, onDiskToListed));
            }
            sent.add(channelSent);
            finished.add(channelFinished);
            missingVersions += origin.versionsMissing();
            atOrigin += covered.size();
            if (origin.endListAt() != 0) {
                ended++;
                endToEndList.add(List.of((origin.endListAt() - publisher.endedAt()) / 1e6));
            }
        }
        Path segments = Path.of("target", "bench", "segments-" + stack.name().replaceAll("\\W+", "-") + "-"
                + channels.size() + ".csv");
        Files.createDirectories(segments.getParent());
        Files.writeString(segments, rows);
        return new Result(stack.name(), channels.size(), Stats.of(sent), Stats.of(finished), missingVersions,
                atOrigin, keyframes.size() * channels.size(), ended, Stats.of(endToEndList), figures, steadyCpu,
                loadShare, originShare);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String row(Result r, List<Result> all) {
        Optional<Result> floor = all.stream().filter(o -> o.channels() == r.channels() && o.stack().startsWith("ffmpeg"))
                .findFirst();
        String vsFloor = floor.filter(f -> f != r).map(f -> String.format(Locale.ROOT, " (%+.0f / %+.0f)",
                r.sent().p50() - f.sent().p50(), r.sent().p99() - f.sent().p99())).orElse("");
        ProcessUsage.Figures u = r.usage();
        return String.format(Locale.ROOT, "| %d | %s | %s / %s%s | %s | %s / %s | %d | %d of %d | %d of %d | %s | "
                + "%.1f %% (%.1f %%) / %.1f %% | %.0f / %.0f MiB | %d | %.1f %% / %.1f %% |",
                r.channels(), r.stack(), ms(r.sent().p50()), ms(r.sent().p99()), vsFloor,
                ms(r.sent().worstChannelP99()), ms(r.finished().p50()), ms(r.finished().p99()), r.missingVersions(),
                r.atOrigin(), r.expected(), r.ended(), r.channels(), ms(r.endToEndList().p50()), u.cpuShare(), r.steadyCpu(),
                u.childrenShare(), u.peakRss(), u.peakChildrenRss(), u.peakThreads(), r.loadShare(), r.originShare());
    }

    private String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s, %s, %d cores, %d GiB, Java %s, node %s; %d s of 1280x720 25 fps "
                + "H.264 (1-s GOP) + AAC at about 2.5 Mbit/s per channel, starts spread over 1 s; the publishers "
                + "(one JVM, a thread each), the stacks and their S3 server (s3proxy, its own JVM, over %s) on the same "
                + "machine.%n%n",
                LocalDate.now(), machine(), Runtime.getRuntime().availableProcessors(),
                Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getTotalMemorySize() / Math.pow(1024, 3)),
                System.getProperty("java.version"), nodeVersion(), seconds,
                System.getProperty("benchmark.scale.origin", "http").toUpperCase(Locale.ROOT)));
        out.append("| channels | stack | sent → listed p50 / p99 ms (vs floor) | worst channel p99 ms "
                + "| on disk → listed p50 / p99 ms | versions listing a missing segment | GOPs at the origin "
                + "| ended | end → end marker ms | CPU, % of one core: stack (second half) / its ffmpeg | peak RSS: stack / ffmpeg "
                + "| threads | CPU of the publishers / of s3proxy |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Result> sofar = new ArrayList<>();
        for (Result result : results) {
            sofar.add(result);
            out.append(row(result, sofar)).append('\n');
        }
        return out.toString();
    }

    private static String machine() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return new String(node.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "none";
        }
    }
}
