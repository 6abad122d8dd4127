package io.livecamel.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper (curator-test's server) in a JVM of its own, so that a test can kill it and start it again on the
 * same port and data folder (what it holds survives, as a real ensemble's would).
 */
public final class ZooKeeperProcess implements AutoCloseable {

    private final int port;
    private final Path data;
    private final Path logDir;
    private ApplicationProcess process;

    private ZooKeeperProcess(int port, Path data, Path logDir) {
        this.port = port;
        this.data = data;
        this.logDir = logDir;
    }

    /** Starts a server on a free port, its data in {@code data}; waits until it listens. */
    public static ZooKeeperProcess start(Path data, Path logDir) throws IOException, InterruptedException {
        ZooKeeperProcess zookeeper = new ZooKeeperProcess(FreePort.find(), data, logDir);
        zookeeper.start();
        return zookeeper;
    }

    /** Starts it (again), on its port and data folder. */
    public void start() throws IOException, InterruptedException {
        Files.createDirectories(data);
        Files.createDirectories(logDir);
        process = ApplicationProcess.run(List.of(ApplicationProcess.java(), "-Xmx128m", "-cp",
                ApplicationProcess.classPath(), ZooKeeperProcess.class.getName(), Integer.toString(port),
                data.toString()), Map.of(), Files.createTempFile(logDir, "zookeeper", ".log"));
        Listeners.awaitListening(port, Duration.ofSeconds(30));
    }

    /** Kills it (SIGKILL): its clients see it gone at once. */
    public void kill() throws InterruptedException {
        process.process().destroyForcibly().waitFor();
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }

    /** The server's JVM: {@code <port> <data folder>}; it runs until it is killed. */
    public static void main(String[] args) throws Exception {
        try (TestingServer server = new TestingServer(Integer.parseInt(args[0]), new File(args[1]), true)) {
            System.out.println("ZooKeeper listens on " + server.getConnectString());
            Thread.currentThread().join();
        }
    }
}
