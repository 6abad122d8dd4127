package io.livecamel.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.Ffmpeg;
import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import org.apache.camel.util.FileUtil;

/** The three systems the scale benchmark runs the same load through. */
final class Stacks {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private Stacks() {
    }

    /** A benchmark channel: its name and its stream key. */
    record Channel(int index, String name, String key) {
        static Channel of(int index) {
            return new Channel(index, String.format(Locale.ROOT, "c%02d", index),
                    String.format(Locale.ROOT, "bench-key-%02d-0123456789", index));
        }
    }

    /** A system under load: started for some channels, measured, stopped. */
    interface Stack extends AutoCloseable {

        String name();

        void start(List<Channel> channels) throws Exception;

        /** The RTMP port a channel publishes to. */
        int port(Channel channel);

        /** The folders to watch: where the segmenter writes and the origin's store. */
        Map<Path, ListingWatch.Side> roots();

        /** Where the channel's segmenter writes its playlist. */
        Path localFolder(Channel channel);

        /** Where the origin keeps the channel's live playlist and segments. */
        Path originFolder(Channel channel);

        /** The process measured as "the application" (its children: the ffmpeg processes). */
        long pid();

        /** The S3 server's process, if it runs one. */
        default Optional<Long> originPid() {
            return Optional.empty();
        }

        @Override
        void close() throws Exception;
    }

    static Path work(String name) {
        Path work = Path.of("target", "bench", name).toAbsolutePath();
        FileUtil.removeDir(work.toFile());
        return work;
    }

    /**
     * An s3proxy in a process of its own (the class path of this JVM), with made-up credentials; over HTTPS with
     * {@code -Dbenchmark.scale.origin=https}, as S3 is: over plain HTTP the AWS SDK signs every body it sends, a cost
     * no upload to S3 has (it pays for TLS instead).
     */
    static final class Origin implements AutoCloseable {
        final Path store;
        final Map<String, String> credentials;
        final Optional<OriginTls> tls;
        /** Where it serves, as it says once ready ({@code http} or {@code https}). */
        final String endpoint;
        private final ApplicationProcess process;

        Origin(Path work) throws IOException, InterruptedException {
            store = work.resolve("s3");
            byte[] secret = new byte[20];
            new SecureRandom().nextBytes(secret);
            credentials = Map.of("AWS_ACCESS_KEY_ID", "bench-" + HexFormat.of().formatHex(secret, 0, 4),
                    "AWS_SECRET_ACCESS_KEY", HexFormat.of().formatHex(secret), "AWS_REGION", "us-east-1");
            tls = "https".equals(System.getProperty("benchmark.scale.origin", "http"))
                    ? Optional.of(OriginTls.get()) : Optional.empty();
            Map<String, String> environment = new HashMap<>(credentials);
            List<String> command = new ArrayList<>(List.of(ApplicationProcess.java()));
            tls.ifPresent(origin -> command.addAll(List.of(origin.javaOptions().split(" "))));
            command.addAll(List.of("-cp", ApplicationProcess.classPath(), OriginServer.class.getName(),
                    Integer.toString(FreePort.find()), store.toString()));
            tls.ifPresent(origin -> {
                command.add(origin.keystore().toString());
                environment.put(OriginServer.KEYSTORE_PASSWORD, origin.password());
            });
            process = ApplicationProcess.run(command, environment, work.resolve("s3.log"));
            String ready = "origin ready on ";
            String line = process.awaitLine(ready, START_TIMEOUT);
            endpoint = line.substring(line.indexOf(ready) + ready.length()).trim();
        }

        long pid() {
            return process.process().pid();
        }

        @Override
        public void close() throws Exception {
            process.endInput(Duration.ofSeconds(30));
        }
    }

    /**
     * A stack that takes every channel on one RTMP port, writes HLS under {@code <work>/media} and uploads to an
     * s3proxy of its own: what {@code start} starts is stopped by {@link #stopServer}.
     */
    abstract static class UploadingStack implements Stack {
        protected Path work;
        protected Origin origin;
        protected final int rtmpPort = FreePort.find();

        @Override
        public int port(Channel channel) {
            return rtmpPort;
        }

        @Override
        public Map<Path, ListingWatch.Side> roots() {
            return Map.of(work.resolve("media"), ListingWatch.Side.LOCAL, origin.store, ListingWatch.Side.ORIGIN);
        }

        @Override
        public Optional<Long> originPid() {
            return Optional.of(origin.pid());
        }

        /** Stops what {@code start} started, if it did; the origin is stopped after it. */
        abstract void stopServer() throws Exception;

        @Override
        public void close() throws Exception {
            try {
                stopServer();
            } finally {
                if (origin != null) {
                    origin.close();
                }
            }
        }
    }

    /**
     * This project, as {@code camel:run} starts it, against an S3 server of its own; in cluster mode, one node with
     * a ZooKeeper of its own (what a cluster adds to each segment: the fenced playlist write); with destinations, each
     * channel restreamed to that many of them on an nginx-rtmp of their own (what restreaming costs).
     */
    static final class ThisApplication extends UploadingStack {
        private final boolean cluster;
        private final int destinations;
        private ApplicationProcess app;
        private io.livecamel.testing.ZooKeeperProcess zookeeper;
        private io.livecamel.testing.NginxRtmp nginx;

        ThisApplication(boolean cluster, int destinations) {
            this.cluster = cluster;
            this.destinations = destinations;
        }

        @Override
        public String name() {
            return cluster ? "this project, cluster mode" : destinations > 0 ? "this project, restreamed to "
                    + destinations : "this project";
        }

        @Override
        public void start(List<Channel> channels) throws Exception {
            work = work((cluster ? "cluster-" : destinations > 0 ? "restream" + destinations + "-" : "this-")
                    + channels.size());
            origin = new Origin(work);
            Map<String, String> settings = new HashMap<>();
            settings.put("camel.main.routes-reload-enabled", "false");
            settings.put("streaming.rtmp.port", Integer.toString(rtmpPort));
            settings.put("streaming.http.port", Integer.toString(FreePort.find()));
            settings.put("streaming.s3.embedded", "false");
            settings.put("streaming.s3.endpoint", origin.endpoint);
            settings.put("streaming.media-dir", work.resolve("media").toString());
            settings.put("streaming.reconnect-grace", "1");
            if (cluster) {
                zookeeper = io.livecamel.testing.ZooKeeperProcess.start(work.resolve("zookeeper"), work.resolve("logs"));
                settings.put("streaming.cluster.zookeeper", zookeeper.connectString());
                settings.put("streaming.cluster.session-timeout", "1");
                settings.put("streaming.reconnect-grace", "2"); // more than the session timeout
            }
            if (destinations > 0) {
                nginx = io.livecamel.testing.NginxRtmp.start(work.resolve("nginx"), FreePort.find(), Map.of("live",
                        ""));
            }
            for (Channel channel : channels) {
                settings.put("streaming.channels." + channel.name() + ".key", channel.key());
                List<String> urls = new ArrayList<>();
                for (int i = 1; i <= destinations; i++) {
                    urls.add("rtmp://127.0.0.1:" + nginx.port() + "/live/" + channel.name() + "-" + i);
                }
                if (!urls.isEmpty()) {
                    settings.put("streaming.channels." + channel.name() + ".restream", String.join(",", urls));
                }
            }
            Map<String, String> environment = new HashMap<>(origin.credentials);
            String options = origin.tls.map(OriginTls::javaOptions).orElse("") + " "
                    + System.getProperty("benchmark.scale.jvm", "");
            if (Boolean.getBoolean("benchmark.scale.profile")) {
                // where the application's CPU goes, Java and native (JIT, GC, system calls) alike: one line per
                // stack with its samples, a file for each 30 s from the application's start (warm-up apart from
                // the steady state)
                options += " -agentpath:" + profiler() + "=start,event=itimer,interval=5ms,collapsed,loop=30s,file="
                        + work.resolve("profile-%n.collapsed");
            }
            if (!options.isBlank()) {
                environment.put("JAVA_TOOL_OPTIONS", options.trim());
            }
            app = ApplicationProcess.start(settings, environment, work.resolve("logs"));
            app.awaitLine("=== Live streaming publisher is running ===", START_TIMEOUT);
            Listeners.awaitListening(rtmpPort, START_TIMEOUT);
        }

        @Override
        public Path localFolder(Channel channel) {
            return work.resolve("media").resolve(channel.name());
        }

        @Override
        public Path originFolder(Channel channel) {
            return origin.store.resolve("live").resolve("videos").resolve(channel.name());
        }

        @Override
        public long pid() {
            return app.process().pid();
        }

        @Override
        void stopServer() throws Exception {
            if (app != null) {
                app.stop(Duration.ofSeconds(60));
                app.close();
            }
            if (zookeeper != null) {
                zookeeper.close();
            }
            if (nginx != null) {
                nginx.close();
            }
        }
    }

    /**
     * The stack this project replaces: Node-Media-Server 2.6.6 with its {@code trans} task (the bundled ffmpeg,
     * {@code hls_time=1:hls_list_size=100:hls_flags=delete_segments}) and a chokidar watcher uploading with aws-sdk
     * v2 ({@code bench/node-media-server}), installed from npm into target/ the first time.
     */
    static final class NodeMediaServer extends UploadingStack {
        private ApplicationProcess node;

        /** Why it cannot run here, or empty. */
        static Optional<String> unavailable() {
            for (String tool : List.of("node", "npm")) {
                try {
                    Process which = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                    which.getInputStream().readAllBytes();
                    if (which.waitFor() != 0) {
                        return Optional.of(tool + " --version failed");
                    }
                } catch (IOException | InterruptedException e) {
                    return Optional.of(tool + " is not installed (" + e.getMessage() + ")");
                }
            }
            return Optional.empty();
        }

        /** target/bench/node-media-server with its node_modules (npm install on the first run). */
        static Path installed() throws IOException, InterruptedException {
            Path home = Path.of("target", "bench", "node-media-server").toAbsolutePath();
            Path source = Path.of("bench", "node-media-server").toAbsolutePath();
            Files.createDirectories(home);
            for (String file : List.of("package.json", "server.js")) {
                Files.copy(source.resolve(file), home.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.isDirectory(home.resolve("node_modules").resolve("node-media-server"))) {
                Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts")
                        .directory(home.toFile()).redirectErrorStream(true).start();
                String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    throw new IllegalStateException("npm install failed:\n" + output);
                }
            }
            return home;
        }

        @Override
        public String name() {
            return "Node-Media-Server";
        }

        @Override
        public void start(List<Channel> channels) throws Exception {
            Path home = installed();
            work = work("nms-" + channels.size());
            origin = new Origin(work);
            Map<String, String> environment = new HashMap<>(origin.credentials);
            environment.put("RTMP_PORT", Integer.toString(rtmpPort));
            environment.put("HTTP_PORT", Integer.toString(FreePort.find()));
            environment.put("MEDIA_ROOT", work.resolve("media").toString());
            environment.put("FFMPEG", Ffmpeg.locate(Optional.empty()).executable().toString());
            environment.put("S3_ENDPOINT", origin.endpoint);
            origin.tls.ifPresent(tls -> environment.put("NODE_EXTRA_CA_CERTS", tls.certificate().toString()));
            environment.put("S3_BUCKET", "live");
            Files.createDirectories(work.resolve("media"));
            node = ApplicationProcess.run(List.of("node", home.resolve("server.js").toString()), environment,
                    work.resolve("node.log"));
            node.awaitLine("Node Media Trans Server started", START_TIMEOUT);
            node.awaitLine("uploader watching", START_TIMEOUT);
            Listeners.awaitListening(rtmpPort, START_TIMEOUT);
        }

        @Override
        public Path localFolder(Channel channel) {
            return work.resolve("media").resolve("live").resolve(channel.key());
        }

        @Override
        public Path originFolder(Channel channel) {
            return origin.store.resolve("live").resolve("live").resolve(channel.key());
        }

        @Override
        public long pid() {
            return node.process().pid();
        }

        @Override
        void stopServer() throws Exception {
            if (node != null) {
                node.endInput(Duration.ofSeconds(30));
            }
        }
    }

    /**
     * The floor: ffmpeg alone, one RTMP listener per channel ({@code -listen 1}), writing HLS to local disk, which
     * is also what "the origin" is here. The ffmpeg processes are children of one shell, measured as the stack.
     */
    static final class FfmpegAlone implements Stack {
        private Path work;
        private final Map<Integer, Integer> ports = new HashMap<>();
        private ApplicationProcess shell;

        @Override
        public String name() {
            return "ffmpeg alone (floor)";
        }

        @Override
        public void start(List<Channel> channels) throws Exception {
            work = work("floor-" + channels.size());
            String ffmpeg = Ffmpeg.locate(Optional.empty()).executable().toString();
            StringBuilder script = new StringBuilder();
            for (Channel channel : channels) {
                int port = FreePort.find();
                ports.put(channel.index(), port);
                Path out = work.resolve("out").resolve(channel.name());
                Files.createDirectories(out);
                // -fpsprobesize 0 as the application runs it: no 20 frames read before the first segment
                script.append(String.format(Locale.ROOT, "'%s' -nostdin -hide_banner -loglevel error -fpsprobesize 0 "
                        + "-listen 1 -i rtmp://127.0.0.1:%d/live/%s -c copy -f hls -hls_time 1 -hls_list_size 100 "
                        + "-hls_flags delete_segments '%s' & ", ffmpeg, port, channel.key(), out.resolve("index.m3u8")));
            }
            script.append("echo floor ready; wait; echo floor done; read -r _");
            shell = ApplicationProcess.run(List.of("bash", "-c", script.toString()), Map.of(),
                    work.resolve("ffmpeg.log"));
            shell.awaitLine("floor ready", START_TIMEOUT);
            for (int port : ports.values()) {
                Listeners.awaitListening(port, START_TIMEOUT);
            }
        }

        @Override
        public int port(Channel channel) {
            return ports.get(channel.index());
        }

        @Override
        public Map<Path, ListingWatch.Side> roots() {
            return Map.of(work.resolve("out"), ListingWatch.Side.ORIGIN);
        }

        @Override
        public Path localFolder(Channel channel) {
            return originFolder(channel);
        }

        @Override
        public Path originFolder(Channel channel) {
            return work.resolve("out").resolve(channel.name());
        }

        @Override
        public long pid() {
            return shell.process().pid();
        }

        @Override
        public void close() throws Exception {
            if (shell != null) {
                shell.endInput(Duration.ofSeconds(30));
            }
        }
    }

    /** async-profiler's library for this machine, taken out of its jar (a test dependency) into target/. */
    static Path profiler() throws IOException {
        Path library = Path.of("target", "bench", "libasyncProfiler.so").toAbsolutePath();
        if (!Files.isRegularFile(library)) {
            try (var in = Stacks.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
                if (in == null) {
                    throw new IllegalStateException("async-profiler's linux-x64 library is not on the class path");
                }
                Files.createDirectories(library.getParent());
                Files.copy(in, library);
            }
        }
        return library;
    }
}
