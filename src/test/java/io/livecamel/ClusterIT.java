package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.HostOrigin;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several nodes, one ZooKeeper (curator-test's server), one external origin and a viewer polling the origin's
 * playlist throughout: a channel's session moves between nodes and goes on in the same playlist after an
 * #EXT-X-DISCONTINUITY, its media sequence never going back, a listed segment never missing, #EXT-X-ENDLIST only at
 * its real end, and its events once for the whole cluster.
 */
class ClusterIT {

    private static final String KEY = "cluster-key-7d1f3b5a9c";

    private final Path work = Path.of("target", "it", "ClusterIT").toAbsolutePath();

    @RegisterExtension
    final HostOrigin origin = new HostOrigin(work);

    private Map<String, String> node(String id, TestingServer zookeeper) {
        Map<String, String> settings = origin.applicationSettings(work.resolve("media-" + id));
        settings.put("streaming.reconnect-grace", "8");
        settings.put("streaming.channels.main.key", KEY);
        settings.put("streaming.cluster.zookeeper", zookeeper.getConnectString());
        settings.put("streaming.cluster.node-id", id);
        settings.put("streaming.cluster.session-timeout", "3");
        return settings;
    }

    private static int port(Map<String, String> settings) {
        return Integer.parseInt(settings.get("streaming.rtmp.port"));
    }

    @Test
    void aPublisherThatComesBackOnAnotherNodeGoesOnInTheSameSession() throws Exception {
        URI playlist = origin.playlist("main");
        try (TestingServer zookeeper = new TestingServer(FreePort.find(), true)) {
            Map<String, String> a = node("node-a", zookeeper);
            Map<String, String> b = node("node-b", zookeeper);
            try (ApplicationProcess nodeA = ApplicationProcess.start(a, origin.awsEnvironment(), work.resolve("logs"));
                 ApplicationProcess nodeB = ApplicationProcess.start(b, origin.awsEnvironment(),
                         work.resolve("logs"));
                 OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(100))) {
                Listeners.awaitListening(port(a), Duration.ofSeconds(60));
                Listeners.awaitListening(port(b), Duration.ofSeconds(60));
                try (Publisher first = Publisher.start(port(a), KEY, 6, work.resolve("logs"))) {
                    assertEquals(0, first.await(Duration.ofSeconds(30)), first.log());
                }
                String session = nodeA.awaitLine("Channel main: live, session", Duration.ofSeconds(10))
                        .replaceAll(".*live, session (\\S+),.*", "$1");
                // the publisher comes back within the grace, through another node
                long back = System.nanoTime();
                try (Publisher second = Publisher.start(port(b), KEY, 6, work.resolve("logs"))) {
                    Eventually.await("node-b's first segment listed at the origin", Duration.ofSeconds(30),
                            () -> String.valueOf(viewer.lastRead()).contains(session + "-2-"));
                    long listed = viewer.firstListedNanos(OriginPoller.segments(viewer.lastRead()).stream()
                            .filter(name -> name.startsWith(session + "-2-")).findFirst().orElseThrow());
                    System.out.printf("Hand-over: %d ms from the publisher's reconnect to node-b to its first "
                            + "segment listed at the origin%n", (listed - back) / 1_000_000);
                    assertEquals(0, second.await(Duration.ofSeconds(30)), second.log());
                }
                Eventually.await("the session closed at the origin", Duration.ofSeconds(40),
                        () -> OriginPoller.read(playlist).endsWith("#EXT-X-ENDLIST\n"));
                String last = OriginPoller.read(playlist);
                assertTrue(last.contains("#EXT-X-DISCONTINUITY"), last);
                assertTrue(OriginPoller.segments(last).stream().allMatch(name -> name.startsWith(session)), last);
                assertEquals(List.of(), viewer.violations());
                nodeB.awaitLine("Channel main: session " + session + " ended", Duration.ofSeconds(10));
                String logs = nodeA.output() + nodeB.output();
                assertEquals(1, count(logs, "Channel main: live, session"), "one SessionStarted");
                assertEquals(1, count(logs, "is back, session " + session), "one PublisherReconnected");
                assertEquals(1, count(logs, "session " + session + " ended"), "one SessionEnded");
                assertTrue(nodeA.output().contains("session " + session + " left this node (handed over to node "
                        + "node-b)"), nodeA.output());
                // the recording lists both nodes' segments
                String recording = OriginPoller.read(origin.playlist("main").resolve(session + "/index.m3u8"));
                assertTrue(recording.contains(session + "-1-") && recording.contains(session + "-2-"), recording);
            }
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
