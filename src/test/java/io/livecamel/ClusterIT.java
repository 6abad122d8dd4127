package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Haproxy;
import io.livecamel.testing.HostOrigin;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.ZooKeeperProcess;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several nodes (real application processes), one ZooKeeper (curator-test's server in a JVM of its own), one external
 * origin (s3proxy) and a viewer polling the origin's playlist throughout: a channel's session moves between nodes
 * and goes on in the same playlist after an #EXT-X-DISCONTINUITY, its media sequence never going back, a listed
 * segment never missing, #EXT-X-ENDLIST only at its real end, and its events once for the whole cluster.
 */
class ClusterIT {

    private static final String KEY = "cluster-key-7d1f3b5a9c";
    private static final Pattern SESSION = Pattern.compile(".*live, session (\\S+),.*");

    private final Path work = Path.of("target", "it", "ClusterIT").toAbsolutePath();
    private final Path logs = work.resolve("logs");
    private final Map<String, ApplicationProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    private ZooKeeperProcess zookeeper;

    @RegisterExtension
    final HostOrigin origin = new HostOrigin(work);

    @AfterEach
    void stop() throws Exception {
        for (ApplicationProcess node : nodes.values()) {
            node.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private void startZooKeeper() throws Exception {
        zookeeper = ZooKeeperProcess.start(work.resolve("zookeeper-" + System.nanoTime()), logs);
    }

    /** Starts node {@code id} (again, on the same ports and media folder if it ran before). */
    private ApplicationProcess startNode(String id) throws Exception {
        Map<String, String> node = settings.computeIfAbsent(id, name -> {
            Map<String, String> fresh = origin.applicationSettings(work.resolve("media-" + name + "-"
                    + System.nanoTime()));
            fresh.put("streaming.reconnect-grace", "8");
            fresh.put("streaming.channels.main.key", KEY);
            fresh.put("streaming.cluster.zookeeper", zookeeper.connectString());
            fresh.put("streaming.cluster.node-id", name);
            fresh.put("streaming.cluster.session-timeout", "3");
            // a short live window: what a node taking a session up reads of it is not the whole session
            fresh.put("streaming.hls.list-size", "4");
            return fresh;
        });
        ApplicationProcess process = ApplicationProcess.start(node, origin.awsEnvironment(), logs);
        nodes.put(id, process);
        return process;
    }

    private void awaitListening() throws InterruptedException {
        for (String id : nodes.keySet()) {
            Listeners.awaitListening(port(id), Duration.ofSeconds(60));
        }
    }

    private int port(String id) {
        return Integer.parseInt(settings.get(id).get("streaming.rtmp.port"));
    }

    private String allLogs() {
        StringBuilder all = new StringBuilder();
        nodes.values().forEach(node -> all.append(node.output()));
        return all.toString();
    }

    @Test
    void aSessionFollowsItsPublisherFromNodeToNode() throws Exception {
        startZooKeeper();
        startNode("node-a");
        startNode("node-b");
        URI playlist = origin.playlist("main");
        try (OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(100))) {
            awaitListening();
            // two publishers with one key on two nodes at once: the newer takes over, as on one node
            try (Publisher first = Publisher.start(port("node-a"), KEY, 30, logs)) {
                String session = sessionStartedOn("node-a");
                awaitListed(viewer, session + "-1-");
                long takeOver = System.nanoTime();
                try (Publisher second = Publisher.start(port("node-b"), KEY, 6, logs)) {
                    long listed = awaitListed(viewer, session + "-2-");
                    System.out.printf("Take-over: %d ms from a second publisher on node-b to its first segment "
                            + "listed at the origin%n", TimeUnit.NANOSECONDS.toMillis(listed - takeOver));
                    assertNotEquals(0, first.await(Duration.ofSeconds(20)), "the first publisher is cut");
                    // any node lists the channel with the node that serves it
                    String api = channelsApi("node-a");
                    assertTrue(api.contains("{\"name\":\"main\",\"live\":true,\"sessionId\":\"" + session + "\"")
                            && api.contains("\"node\":\"node-b\",\"restream\":[]}"), api);
                    assertEquals(0, second.await(Duration.ofSeconds(30)), second.log());
                }
                // the publisher comes back within the grace on another node, the one before still holding the session
                long back = System.nanoTime();
                try (Publisher third = Publisher.start(port("node-a"), KEY, 5, logs)) {
                    long listed = awaitListed(viewer, session + "-3-");
                    System.out.printf("Hand-over: %d ms from the publisher's reconnect to node-a to its first segment "
                            + "listed at the origin, %d ms from node-a admitting it%n",
                            TimeUnit.NANOSECONDS.toMillis(listed - back), listedMillis(viewer, session + "-3-")
                                    - admittedMillis(nodes.get("node-a"), 2));
                    assertEquals(0, third.await(Duration.ofSeconds(30)), third.log());
                }
                awaitEnded(playlist);
                assertEquals(List.of(), viewer.violations());
                nodes.get("node-a").awaitLine("session " + session + " ended", Duration.ofSeconds(10));
                String logs = allLogs();
                assertEquals(1, count(logs, "Channel main: live, session"), "one SessionStarted");
                assertEquals(2, count(logs, "is back, session " + session), "a PublisherReconnected per move");
                assertEquals(1, count(logs, "session " + session + " ended"), "one SessionEnded");
                assertTrue(nodes.get("node-a").output().contains("session " + session
                        + " left this node (handed over to node node-b)"), nodes.get("node-a").output());
                String recording = OriginPoller.read(playlist.resolve(session + "/index.m3u8"));
                for (int connection = 1; connection <= 3; connection++) {
                    assertTrue(recording.contains(session + "-" + connection + "-"), recording);
                }
                assertEquals(2, count(recording, "#EXT-X-DISCONTINUITY"), recording);
            }
        }
    }

    @Test
    void whenTheNodeServingAChannelIsKilledThePublishersReconnectGoesOnOnAnother() throws Exception {
        Haproxy.assumeInstalled();
        startZooKeeper();
        for (String id : List.of("node-a", "node-b", "node-c")) {
            startNode(id);
        }
        URI playlist = origin.playlist("main");
        awaitListening();
        try (Haproxy balancer = Haproxy.start(work.resolve("haproxy-" + System.nanoTime()),
                nodes.keySet().stream().map(this::port).toList());
             OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(100));
             Publisher first = Publisher.start(balancer.port(), KEY, 60, logs)) {
            Eventually.await("a node to take the channel", Duration.ofSeconds(30), () -> holder() != null);
            String serving = holder();
            String session = sessionStartedOn(serving);
            // twice the live window, so that the first segments have left it when the node dies
            awaitListed(viewer, session + "-1-00008");
            long killed = System.nanoTime();
            nodes.get(serving).process().destroyForcibly().waitFor(); // SIGKILL
            first.kill();
            // OBS reconnects through the load balancer, which sends it to a node that is up
            try (Publisher again = Publisher.start(balancer.port(), KEY, 6, logs)) {
                long listed = awaitListed(viewer, session + "-2-");
                System.out.printf("Node killed: %d ms from the kill to the next segment listed at the origin%n",
                        TimeUnit.NANOSECONDS.toMillis(listed - killed));
                assertEquals(0, again.await(Duration.ofSeconds(30)), again.log());
            }
            awaitEnded(playlist);
            String last = OriginPoller.read(playlist);
            assertTrue(OriginPoller.segments(last).stream().allMatch(name -> name.startsWith(session)), last);
            assertEquals(List.of(), viewer.violations());
            String logs = allLogs();
            assertEquals(1, count(logs, "Channel main: live, session"), "one SessionStarted");
            assertEquals(1, count(logs, "is back, session " + session), "one PublisherReconnected");
            Eventually.await("one SessionEnded", Duration.ofSeconds(10),
                    () -> count(allLogs(), "session " + session + " ended") == 1);
            // the recording lists the session from its first segment, also those only the dead node had listed
            String recording = OriginPoller.read(playlist.resolve(session + "/index.m3u8"));
            assertTrue(recording.contains(session + "-1-00000.ts") && recording.contains(session + "-2-"), recording);
            assertEquals(1, count(recording, "#EXT-X-DISCONTINUITY"), recording);
            // the killed node starts again: what it had finished of the session goes up beside the recording, and it
            // never touches the channel's playlist, which another node ended
            Eventually.await("the viewer to read the ended playlist", Duration.ofSeconds(10),
                    () -> String.valueOf(viewer.lastRead()).endsWith("#EXT-X-ENDLIST\n"));
            int versions = viewer.history().size();
            ApplicationProcess restarted = startNode(serving);
            restarted.awaitLine("session " + session + " left this node", Duration.ofSeconds(60));
            assertTrue(restarted.output().contains("is listed at videos/main/" + session + "/left-" + serving
                    + ".m3u8"), restarted.output());
            assertEquals(last, OriginPoller.read(playlist));
            assertEquals(versions, viewer.history().size(), "no playlist version since the restart");
            assertEquals(List.of(), viewer.violations());
        }
    }

    @Test
    void aPausedNodeWritesNothingMoreOnceItsLeaseIsGoneAndCutsItsPublisher() throws Exception {
        startZooKeeper();
        ApplicationProcess paused = startNode("node-a");
        startNode("node-b");
        URI playlist = origin.playlist("main");
        awaitListening();
        try (OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(100));
             Publisher first = Publisher.start(port("node-a"), KEY, 60, logs)) {
            String session = liveOn("node-a", viewer);
            signal("STOP", paused);
            try {
                // past the session timeout node-a's lease is gone, and node-b takes the session up
                Eventually.await("node-b to take the channel", Duration.ofSeconds(20),
                        () -> "node-b".equals(holder()));
                try (Publisher second = Publisher.start(port("node-b"), KEY, 8, logs)) {
                    awaitListed(viewer, session + "-2-");
                    Set<String> listedBefore = new HashSet<>();
                    viewer.history().forEach(version -> OriginPoller.segments(version.text()).stream()
                            .filter(name -> name.startsWith(session + "-1-")).forEach(listedBefore::add));
                    long movedAt = viewer.firstListedNanos(firstOf(viewer, session + "-2-"));
                    signal("CONT", paused);
                    assertNotEquals(0, first.await(Duration.ofSeconds(30)), "node-a cuts its publisher");
                    assertEquals(0, second.await(Duration.ofSeconds(30)), second.log());
                    awaitEnded(playlist);
                    // seen from the origin: after node-b's first playlist, no playlist lists anything new of node-a's
                    for (OriginPoller.Version version : viewer.history()) {
                        if (version.readNanos() >= movedAt) {
                            for (String name : OriginPoller.segments(version.text())) {
                                assertTrue(!name.startsWith(session + "-1-") || listedBefore.contains(name),
                                        "node-a wrote after it lost the channel: " + version.text());
                            }
                        }
                    }
                    assertEquals(List.of(), viewer.violations());
                }
            } finally {
                signal("CONT", paused);
            }
        }
    }

    @Test
    void whileZooKeeperIsDownNewPublishersAreRefusedAndAllResumesWhenItIsBack() throws Exception {
        startZooKeeper();
        startNode("node-a");
        startNode("node-b");
        URI playlist = origin.playlist("main");
        awaitListening();
        try (OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(100));
             Publisher first = Publisher.start(port("node-a"), KEY, 60, logs)) {
            String session = liveOn("node-a", viewer);
            long down = System.nanoTime();
            zookeeper.kill();
            // once the lease could be lost (the session timeout), the live publisher is cut, nothing lost on disk
            assertNotEquals(0, first.await(Duration.ofSeconds(20)), "node-a cuts its publisher");
            try (Publisher refused = Publisher.start(port("node-b"), KEY, 4, logs)) {
                assertNotEquals(0, refused.await(Duration.ofSeconds(30)), refused.log());
                assertTrue(refused.log().contains("the cluster cannot be reached now"), refused.log());
            }
            long left = Duration.ofSeconds(20).toNanos() - (System.nanoTime() - down);
            if (left > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left)); // the outage the issue names: 20 s
            }
            zookeeper.start();
            nodes.get("node-b").awaitLine("is connected to ZooKeeper again", Duration.ofSeconds(30));
            // OBS retries until it is let in
            List<String> tries = new ArrayList<>();
            for (int attempt = 0; attempt < 5 && (tries.isEmpty() || !tries.get(tries.size() - 1).isEmpty());
                    attempt++) {
                try (Publisher again = Publisher.start(port("node-b"), KEY, 6, logs)) {
                    tries.add(again.await(Duration.ofSeconds(40)) == 0 ? "" : again.log());
                }
            }
            assertEquals("", tries.get(tries.size() - 1), "let in again within 5 tries: " + tries);
            assertTrue(OriginPoller.read(playlist).contains(session + "-2-"), OriginPoller.read(playlist));
            awaitEnded(playlist);
            assertEquals(List.of(), viewer.violations());
            assertTrue(OriginPoller.segments(OriginPoller.read(playlist)).stream()
                    .allMatch(name -> name.startsWith(session)), "the same session goes on");
        }
    }

    private String channelsApi(String id) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + settings.get(id).get("streaming.http.port") + "/api/channels")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The session that went live on node {@code id}, once the viewer has seen 3 of its segments listed. */
    private String liveOn(String id, OriginPoller viewer) throws InterruptedException {
        String session = sessionStartedOn(id);
        Eventually.await("3 segments listed", Duration.ofSeconds(30),
                () -> OriginPoller.segments(String.valueOf(viewer.lastRead())).size() >= 3);
        return session;
    }

    private String sessionStartedOn(String id) throws InterruptedException {
        Matcher matcher = SESSION.matcher(nodes.get(id).awaitLine("Channel main: live, session",
                Duration.ofSeconds(30)));
        assertTrue(matcher.matches());
        return matcher.group(1);
    }

    /** When (wall clock, ms) the viewer first read a playlist listing a segment whose name starts with prefix. */
    private static long listedMillis(OriginPoller viewer, String prefix) {
        return viewer.history().stream().filter(version -> OriginPoller.segments(version.text()).stream()
                .anyMatch(name -> name.startsWith(prefix))).findFirst().orElseThrow().readMillis();
    }

    /** When (wall clock, ms, from its log) a node admitted its {@code nth} publisher of channel main. */
    private static long admittedMillis(ApplicationProcess node, int nth) {
        List<String> lines = node.output().lines().filter(line -> line.contains("Channel main: RTMP publisher")
                && line.contains(" admitted")).toList();
        java.time.LocalTime at = java.time.LocalTime.parse(lines.get(nth - 1).substring(0, 12));
        return java.time.LocalDate.now().atTime(at).atZone(java.time.ZoneId.systemDefault()).toInstant()
                .toEpochMilli(); // the log's times are the JVM's local time, as this one's
    }

    /** Waits for the viewer to see a segment whose name starts with {@code prefix} listed; returns when it did. */
    private static long awaitListed(OriginPoller viewer, String prefix) throws InterruptedException {
        Eventually.await(prefix + "* listed at the origin", Duration.ofSeconds(40),
                () -> firstOf(viewer, prefix) != null);
        return viewer.firstListedNanos(firstOf(viewer, prefix));
    }

    private static String firstOf(OriginPoller viewer, String prefix) {
        for (OriginPoller.Version version : viewer.history()) {
            for (String name : OriginPoller.segments(version.text())) {
                if (name.startsWith(prefix)) {
                    return name;
                }
            }
        }
        return null;
    }

    private static void awaitEnded(URI playlist) throws InterruptedException {
        Eventually.await("the session ended at the origin", Duration.ofSeconds(60),
                () -> OriginPoller.read(playlist).endsWith("#EXT-X-ENDLIST\n"));
    }

    /** The node that holds channel main's lease, read from ZooKeeper itself; null when none does. */
    private String holder() {
        try (CuratorFramework look = CuratorFrameworkFactory.newClient(zookeeper.connectString(),
                new RetryOneTime(100))) {
            look.start();
            if (!look.blockUntilConnected(5, TimeUnit.SECONDS)) {
                return null;
            }
            var path = "/live-streaming/channels/main";
            return look.checkExists().forPath(path) == null ? null
                    : new String(look.getData().forPath(path), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return null;
        }
    }

    private static void signal(String signal, ApplicationProcess process) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.process().pid())).start().waitFor();
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
