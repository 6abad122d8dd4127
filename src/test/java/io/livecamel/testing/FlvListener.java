package io.livecamel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.Ffmpeg;

/**
 * A destination that is not ours: the bundled ffmpeg as an RTMP server ({@code ffmpeg -listen 1 -f flv -i
 * rtmp://127.0.0.1:port/live/key}) copying the one stream it takes into an FLV file. It ends when its publisher ends
 * the stream.
 */
public final class FlvListener implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path file;
    private final Path log;

    private FlvListener(Process process, int port, Path file, Path log) {
        this.process = process;
        this.port = port;
        this.file = file;
        this.log = log;
    }

    /** Listens on a free port for {@code rtmp://127.0.0.1:port/live/<key>}, recording to {@code file}. */
    public static FlvListener start(String key, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        int port = FreePort.find();
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Ffmpeg ffmpeg = Ffmpeg.locate(Optional.empty());
        Process process = new ProcessBuilder(ffmpeg.command(List.of("-nostdin", "-y", "-listen", "1",
                "-rw_timeout", "60000000", "-f", "flv", "-i", "rtmp://127.0.0.1:" + port + "/live/" + key,
                "-c", "copy", "-f", "flv", file.toString())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Listeners.awaitListening(port, Duration.ofSeconds(20));
        return new FlvListener(process, port, file, log);
    }

    public String url(String key) {
        return "rtmp://127.0.0.1:" + port + "/live/" + key;
    }

    public Path file() {
        return file;
    }

    /** Waits for it to end (its stream ended); false if it did not within {@code time}. */
    public boolean awaitEnd(Duration time) throws InterruptedException {
        return process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
