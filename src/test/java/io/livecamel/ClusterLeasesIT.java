package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.HostOrigin;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.RawRtmpClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes, one ZooKeeper (curator-test's server), one external origin: a channel taken for a publisher that never
 * went live is given up by itself, and the other node takes it then (how sessions move between nodes: ClusterIT).
 */
class ClusterLeasesIT {

    private static final String KEY = "cluster-key-3c5e7a9b1d";

    private final Path work = Path.of("target", "it", "ClusterLeasesIT").toAbsolutePath();

    @RegisterExtension
    final HostOrigin origin = new HostOrigin(work);

    private Map<String, String> node(String id, TestingServer zookeeper) {
        Map<String, String> settings = origin.applicationSettings(work.resolve("media-" + id));
        settings.put("streaming.reconnect-grace", "3");
        settings.put("streaming.channels.main.key", KEY);
        settings.put("streaming.cluster.zookeeper", zookeeper.getConnectString());
        settings.put("streaming.cluster.node-id", id);
        settings.put("streaming.cluster.session-timeout", "2");
        return settings;
    }

    @Test
    void aChannelTakenForAPublisherThatNeverWentLiveIsGivenUpByItself() throws Exception {
        try (TestingServer zookeeper = new TestingServer(FreePort.find(), true)) {
            Map<String, String> a = node("node-a", zookeeper);
            Map<String, String> b = node("node-b", zookeeper);
            int portA = Integer.parseInt(a.get("streaming.rtmp.port"));
            int portB = Integer.parseInt(b.get("streaming.rtmp.port"));
            try (ApplicationProcess nodeA = ApplicationProcess.start(a, origin.awsEnvironment(), work.resolve("logs"));
                 ApplicationProcess nodeB = ApplicationProcess.start(b, origin.awsEnvironment(),
                         work.resolve("logs"))) {
                Listeners.awaitListening(portA, Duration.ofSeconds(60));
                Listeners.awaitListening(portB, Duration.ofSeconds(60));
                // a publisher that never goes live (it leaves right after publish) takes the channel on node-a for
                // nothing: node-a gives it up by itself once it has been quiet for 30 s
                try (RawRtmpClient leaving = RawRtmpClient.connect(portA).handshake()
                        .command("connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"))
                        .command("createStream", 2.0, null).commandOn(1, "publish", 3.0, null, KEY, "live")) {
                    assertTrue(leaving.receivedWithin("NetStream.Publish.Start", Duration.ofSeconds(10)));
                }
                assertEquals("held", leaseOf(zookeeper));
                Eventually.await("node-a to give up the channel nobody went live on", Duration.ofSeconds(60),
                        () -> leaseOf(zookeeper) == null);
                try (Publisher next = Publisher.start(portB, KEY, 3, work.resolve("logs"))) {
                    assertEquals(0, next.await(Duration.ofSeconds(30)), next.log());
                }
                nodeB.awaitLine("Channel main: live, session", Duration.ofSeconds(10));
                assertFalse(nodeA.output().contains("Channel main: live"), "nothing went live on node-a");
            }
        }
    }

    /** "held" while a node holds channel main's lease, null once none does: read from ZooKeeper itself. */
    private static String leaseOf(TestingServer zookeeper) {
        try (CuratorFramework look = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
                new RetryOneTime(100))) {
            look.start();
            look.blockUntilConnected(5, java.util.concurrent.TimeUnit.SECONDS);
            return look.checkExists().forPath("/live-streaming/channels/main") == null ? null : "held";
        } catch (Exception e) {
            return "unknown: " + e;
        }
    }
}
