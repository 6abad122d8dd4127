package io.livecamel.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TCP load balancer in front of the nodes' RTMP ports: Debian's haproxy, run in the foreground on a configuration
 * the test writes (the README's, with loopback ports). A connection goes to the next node that is up (round robin,
 * checked every 500 ms; a refused connection is sent to another). Where haproxy is missing the test is skipped with
 * the reason printed (.ci/run installs it).
 */
public final class Haproxy implements AutoCloseable {

    static final Path EXECUTABLE = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Skips the test, printing why, when haproxy is not installed. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(EXECUTABLE);
        if (!installed) {
            System.out.println("Skipped: haproxy is not installed (apt-get install haproxy; .ci/run does)");
        }
        assumeTrue(installed, "haproxy is not installed (apt-get install haproxy)");
    }

    /** Balances RTMP over the nodes' ports; listens on a free port of its own. */
    public static Haproxy start(Path folder, List<Integer> nodes) throws IOException, InterruptedException {
        assumeInstalled();
        int port = FreePort.find();
        StringBuilder conf = new StringBuilder("""
                global
                    maxconn 1000
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    retries 2
                    option redispatch
                frontend rtmp
                    bind 127.0.0.1:%d
                    default_backend nodes
                backend nodes
                    balance roundrobin
                """.formatted(port));
        for (int i = 0; i < nodes.size(); i++) {
            conf.append("    server node").append(i + 1).append(" 127.0.0.1:").append(nodes.get(i))
                    .append(" check inter 500ms fall 2 rise 2\n");
        }
        Files.createDirectories(folder);
        Path file = folder.resolve("haproxy.cfg");
        Files.writeString(file, conf);
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("haproxy.out").toFile()).start();
        Listeners.awaitListening(port, Duration.ofSeconds(10));
        return new Haproxy(process, port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
