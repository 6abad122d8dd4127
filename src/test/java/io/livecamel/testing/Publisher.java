package io.livecamel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.Ffmpeg;

/**
 * A broadcaster for tests: the bundled ffmpeg encodes a test pattern with a tone, H.264 with a 1-s GOP (as OBS with
 * keyframe interval 1 s) and AAC, in real time ({@code -re}), and publishes it over RTMP.
 */
public final class Publisher implements AutoCloseable {

    private static final int FPS = 25;

    /** A small picture: cheap to encode, for functional tests. */
    public static final String SMALL = "426x240";
    /** 720p, what the seed system was measured with: for benchmarks. */
    public static final String HD = "1280x720";

    private final Process process;
    private final Path log;

    private Publisher(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts publishing {@code seconds} of video to {@code rtmp://127.0.0.1:port/live/key}. */
    public static Publisher start(int port, String key, int seconds, Path logDir) throws IOException {
        return start(port, key, seconds, logDir, SMALL);
    }

    /** Starts publishing {@code seconds} of video of the given size ({@link #SMALL}, {@link #HD}). */
    public static Publisher start(int port, String key, int seconds, Path logDir, String size) throws IOException {
        return startEncoded(port, key, seconds, logDir, size, List.of(
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-b:v", SMALL.equals(size) ? "400k" : "2500k",
                "-g", Integer.toString(FPS), "-keyint_min", Integer.toString(FPS), "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k"));
    }

    /** Starts publishing {@code seconds} of a small picture over SRT, MPEG-TS encrypted with the passphrase. */
    public static Publisher startSrt(int port, String passphrase, int seconds, Path logDir) throws IOException {
        Ffmpeg ffmpeg = Ffmpeg.locate(Optional.empty());
        Files.createDirectories(logDir);
        Path log = Files.createTempFile(logDir, "publisher-srt", ".log");
        List<String> command = ffmpeg.command(List.of(
                "-re",
                "-f", "lavfi", "-i", "testsrc2=size=" + SMALL + ":rate=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", Integer.toString(FPS), "-keyint_min", Integer.toString(FPS), "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k",
                "-f", "mpegts",
                "srt://127.0.0.1:" + port + "?pbkeylen=16&passphrase=" + passphrase));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Publisher(process, log);
    }

    /**
     * Starts publishing {@code contentSeconds} of a tiny picture (160x90, 5 fps, H.264, a keyframe every {@code gop}
     * seconds, no audio) {@code speed} times faster than real time, its timestamps starting at {@code startSeconds}:
     * hours of stream in minutes, and RTMP timestamps past 2^24 ms without waiting 4 h 40 min. The source is made
     * {@code speed} times faster than real time and stretched back to 5 fps ({@code -re} paces the source).
     */
    public static Publisher startAccelerated(int port, String key, long contentSeconds, int speed, int gop,
            long startSeconds, Path logDir) throws IOException {
        Ffmpeg ffmpeg = Ffmpeg.locate(Optional.empty());
        Files.createDirectories(logDir);
        Path log = Files.createTempFile(logDir, "publisher-accelerated", ".log");
        int fps = 5;
        List<String> command = ffmpeg.command(List.of(
                "-re",
                "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=" + fps * speed,
                "-vf", "setpts=" + speed + "*PTS",
                "-r", Integer.toString(fps),
                "-t", Long.toString(contentSeconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-b:v", "50k",
                "-g", Integer.toString(gop * fps), "-keyint_min", Integer.toString(gop * fps), "-sc_threshold", "0",
                "-output_ts_offset", Long.toString(startSeconds),
                "-f", "flv", "rtmp://127.0.0.1:" + port + "/live/" + key));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Publisher(process, log);
    }

    /** Starts publishing a small picture encoded with the given ffmpeg options (codecs HLS may not carry...). */
    public static Publisher startEncoded(int port, String key, int seconds, Path logDir, String size,
            List<String> encoding) throws IOException {
        // an IP, not "localhost": the static ffmpeg cannot resolve host names (static glibc)
        return startEncoded("rtmp://127.0.0.1:" + port + "/live/" + key, seconds, logDir, size, encoding);
    }

    /** Starts publishing {@code seconds} of a small picture, H.264 and AAC, to any URL (rtmps://...). */
    public static Publisher startTo(String url, int seconds, Path logDir) throws IOException {
        return startEncoded(url, seconds, logDir, SMALL, List.of(
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-b:v", "400k", "-g", Integer.toString(FPS), "-keyint_min", Integer.toString(FPS),
                "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k"));
    }

    private static Publisher startEncoded(String url, int seconds, Path logDir, String size, List<String> encoding)
            throws IOException {
        Ffmpeg ffmpeg = Ffmpeg.locate(Optional.empty());
        Files.createDirectories(logDir);
        Path log = Files.createTempFile(logDir, "publisher", ".log");
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "-re",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds)));
        arguments.addAll(encoding);
        arguments.addAll(List.of("-f", "flv", url));
        List<String> command = ffmpeg.command(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Publisher(process, log);
    }

    /**
     * Publishes with the given ffmpeg ({@code executable}) H.264 + AAC and a text track (subtitles, which FLV carries
     * as {@code onTextData} data messages, as real encoders send captions).
     */
    public static Publisher startWithTextTrack(Path executable, int port, String key, int seconds, Path logDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path subtitles = Files.createTempFile(logDir, "captions", ".srt");
        StringBuilder srt = new StringBuilder();
        for (int i = 0; i < seconds; i++) {
            srt.append(i + 1).append('\n').append(String.format("00:00:%02d,000 --> 00:00:%02d,900%n", i, i))
                    .append("caption ").append(i + 1).append("\n\n");
        }
        Files.writeString(subtitles, srt.toString());
        Path log = Files.createTempFile(logDir, "publisher-text", ".log");
        List<String> command = List.of(executable.toString(), "-hide_banner", "-nostdin", "-nostats",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=" + SMALL + ":rate=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-i", subtitles.toString(),
                "-t", Integer.toString(seconds),
                "-map", "0:v", "-map", "1:a", "-map", "2:s",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", Integer.toString(FPS), "-keyint_min", Integer.toString(FPS), "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k", "-c:s", "text",
                "-f", "flv", "rtmp://127.0.0.1:" + port + "/live/" + key);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Publisher(process, log);
    }

    /** The GStreamer elements {@link #startGStreamer} uses: each comes from one of the plugin packages. */
    static final List<String> GSTREAMER_ELEMENTS = List.of("videotestsrc", "x264enc", "h264parse", "flvmux",
            "rtmpsink", "audiotestsrc", "audioconvert", "voaacenc", "aacparse");

    /**
     * Why {@link #startGStreamer} cannot run here, or empty when it can: {@code gst-launch-1.0} and every element it
     * uses must be installed ({@code gst-inspect-1.0} finds each; x264enc is in gstreamer1.0-plugins-ugly). Without
     * this check a missing element ends the publisher at once and a test would wait for a stream that never comes.
     */
    public static java.util.Optional<String> gstreamerMissing() throws IOException, InterruptedException {
        String install = "apt-get install gstreamer1.0-tools gstreamer1.0-plugins-{base,good,bad,ugly}; .ci/run does";
        if (!Files.isExecutable(Path.of("/usr/bin/gst-launch-1.0"))
                || !Files.isExecutable(Path.of("/usr/bin/gst-inspect-1.0"))) {
            return java.util.Optional.of("GStreamer (gst-launch-1.0, gst-inspect-1.0) is missing (" + install + ")");
        }
        List<String> missing = new java.util.ArrayList<>();
        for (String element : GSTREAMER_ELEMENTS) {
            Process inspect = new ProcessBuilder("gst-inspect-1.0", "--exists", element)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!inspect.waitFor(20, TimeUnit.SECONDS)) {
                inspect.destroyForcibly();
                return java.util.Optional.of("gst-inspect-1.0 did not answer within 20 s");
            }
            if (inspect.exitValue() != 0) {
                missing.add(element);
            }
        }
        return missing.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of("the GStreamer elements " + missing + " are missing (" + install + ")");
    }

    /**
     * Publishes with GStreamer's {@code rtmpsink}, which is librtmp (the library OBS's RTMP output comes from):
     * H.264 (x264) and AAC in FLV, with its onMetaData, from {@code gst-launch-1.0}.
     */
    public static Publisher startGStreamer(int port, String key, int seconds, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = Files.createTempFile(logDir, "publisher-gstreamer", ".log");
        String url = "rtmp://127.0.0.1:" + port + "/live/" + key + " live=1";
        List<String> command = List.of("gst-launch-1.0", "-q",
                "videotestsrc", "is-live=true", "num-buffers=" + seconds * FPS, "!",
                "video/x-raw,width=426,height=240,framerate=" + FPS + "/1", "!",
                "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "bitrate=400", "key-int-max=" + FPS, "!",
                "h264parse", "!", "flvmux", "name=mux", "streamable=true", "!", "rtmpsink", "location=" + url,
                "audiotestsrc", "is-live=true", "num-buffers=" + seconds * 44100 / 1024, "!", "audioconvert", "!",
                "voaacenc", "bitrate=64000", "!", "aacparse", "!", "mux.");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Publisher(process, log);
    }

    /** Waits up to {@code timeout} for the publisher to finish; true if it has. */
    public boolean finishedWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Waits for the publisher to finish its stream; returns ffmpeg's exit code. */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the publisher did not finish in " + timeout + "; its log:\n" + log());
        }
        return process.exitValue();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Ends the stream as a broadcaster pressing "Stop streaming" does: ffmpeg gets SIGINT, finishes what it is
     * sending and closes the stream (deleteStream); returns its exit code (255 for the signal).
     */
    public int stop(Duration timeout) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        return await(timeout);
    }

    /** Cuts the connection at once, as a crashed encoder or a dropped network would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
