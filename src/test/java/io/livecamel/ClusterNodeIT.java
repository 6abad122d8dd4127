package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node in cluster mode and its ZooKeeper (curator-test's real server): the health check {@code cluster} follows
 * the connection (up, down while ZooKeeper is stopped, up again when it is back); a ZooKeeper that cannot be reached,
 * or a session that would outlast the reconnect grace, stops start-up with one message.
 */
class ClusterNodeIT extends StreamingTestSupport {

    private TestingServer zookeeper;

    @Override
    protected void settings(Properties properties) {
        try {
            zookeeper = new TestingServer(FreePort.find(), true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        useExternalOrigin(properties);
        startExternalOrigin(store -> store);
        properties.setProperty("streaming.cluster.zookeeper", zookeeper.getConnectString());
        properties.setProperty("streaming.cluster.node-id", "node-a");
        properties.setProperty("streaming.cluster.session-timeout", "2");
        properties.setProperty("streaming.reconnect-grace", "5");
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    private String clusterCheck() throws Exception {
        String health = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health")).body();
        var matcher = Pattern.compile("\\{[^{}]*\"name\":\"cluster\"[^{}]*\\}").matcher(health);
        return matcher.find() ? matcher.group() : "no cluster check in " + health;
    }

    @Test
    void theClusterHealthCheckFollowsZooKeeper() throws Exception {
        Eventually.await("the cluster check up", Duration.ofSeconds(20),
                () -> uncheckedCheck().contains("\"status\":\"UP\""));
        assertTrue(clusterCheck().contains("node node-a connected to ZooKeeper"), clusterCheck());
        zookeeper.stop();
        Eventually.await("the cluster check down while ZooKeeper is stopped", Duration.ofSeconds(20),
                () -> uncheckedCheck().contains("\"status\":\"DOWN\""));
        assertTrue(clusterCheck().contains("cut off from ZooKeeper") || clusterCheck().contains("lost its ZooKeeper"),
                clusterCheck());
        zookeeper.restart();
        Eventually.await("the cluster check up again", Duration.ofSeconds(30),
                () -> uncheckedCheck().contains("\"status\":\"UP\""));
    }

    private String uncheckedCheck() {
        try {
            return clusterCheck();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void noZooKeeperOrASessionLongerThanTheGraceStopsStartUpWithOneMessage() throws Exception {
        Path work = Path.of("target", "it", "ClusterNodeIT-processes").toAbsolutePath();
        Map<String, String> base = new HashMap<>();
        base.put("camel.main.routes-reload-enabled", "false");
        base.put("streaming.rtmp.port", Integer.toString(FreePort.find()));
        base.put("streaming.http.port", Integer.toString(FreePort.find()));
        base.put("streaming.s3.embedded", "false");
        base.put("streaming.s3.endpoint", "http://127.0.0.1:" + s3Port);
        base.put("streaming.media-dir", work.resolve("media").toString());
        base.put("streaming.channels.main.key", KEY);
        Map<String, String> cases = Map.of(
                "127.0.0.1:" + FreePort.find(), "ZooKeeper cannot be reached there within 15 s",
                zookeeper.getConnectString(), "streaming.cluster.session-timeout (20.0 s) must be less than "
                        + "streaming.reconnect-grace (15 s)");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            Map<String, String> settings = new HashMap<>(base);
            settings.put("streaming.cluster.zookeeper", entry.getKey());
            if (entry.getValue().contains("session-timeout")) {
                settings.put("streaming.cluster.session-timeout", "20");
            }
            try (ApplicationProcess app = ApplicationProcess.start(settings, Map.of("AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test-secret"), work.resolve("logs"))) {
                assertEquals(1, app.awaitExit(Duration.ofSeconds(90)), app.output());
                String output = app.output();
                assertTrue(output.contains("ERROR: the publisher cannot start. "), output);
                assertEquals(1, output.split(Pattern.quote(entry.getValue()), -1).length - 1,
                        "said once:\n" + output);
                assertFalse(output.contains("=== Live streaming publisher is running ==="), output);
            }
        }
    }
}
