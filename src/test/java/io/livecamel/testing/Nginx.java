package io.livecamel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * nginx (Debian's package) run in the foreground on a configuration the test writes, its files in a folder of its
 * own: what {@link CachingProxy} and {@link NginxRtmp} start.
 */
final class Nginx {

    static final Path EXECUTABLE = Path.of("/usr/sbin/nginx");

    private Nginx() {
    }

    /** Writes {@code conf} as {@code folder/nginx.conf}, starts nginx on it, waits for it to listen on {@code port}. */
    static Process start(Path folder, String conf, int port) throws IOException, InterruptedException {
        Path file = folder.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "-p", folder.toAbsolutePath().toString(), "-c",
                file.toAbsolutePath().toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(folder.resolve("nginx.out").toFile()).start();
        Listeners.awaitListening(port, Duration.ofSeconds(10));
        return process;
    }

    /** SIGTERM (nginx's fast shutdown), then SIGKILL if it is still there after 10 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
