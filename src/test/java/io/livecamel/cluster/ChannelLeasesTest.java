package io.livecamel.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import io.livecamel.settings.ClusterSettings;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Channel leases between two nodes on a real ZooKeeper (curator-test's server): one holder at a time, the other
 * told who it is; a lease given up or whose node's session ended can be taken.
 */
class ChannelLeasesTest {

    private TestingServer zookeeper;
    private ClusterNode a;
    private ClusterNode b;

    @BeforeEach
    void start() throws Exception {
        zookeeper = new TestingServer(FreePort.find(), true);
        a = node("node-a");
        b = node("node-b");
    }

    private ClusterNode node(String id) {
        ClusterNode node = new ClusterNode(new ClusterSettings(zookeeper.getConnectString(), id,
                Duration.ofSeconds(2)));
        node.start();
        return node;
    }

    @AfterEach
    void stop() throws Exception {
        a.stop();
        b.stop();
        zookeeper.close();
    }

    @Test
    void oneNodeHoldsAChannelAndTheOtherIsToldWho() throws Exception {
        ChannelLeases onA = new ChannelLeases(a);
        ChannelLeases onB = new ChannelLeases(b);
        assertEquals(new ChannelLeases.Lease("alice", "node-a", true), onA.take("alice"));
        assertEquals(new ChannelLeases.Lease("alice", "node-a", false), onB.take("alice"));
        assertEquals(new ChannelLeases.Lease("alice", "node-a", true), onA.take("alice"), "taken again: still a's");
        assertEquals(new ChannelLeases.Lease("bob", "node-b", true), onB.take("bob"));
        assertEquals(Map.of("alice", "node-a", "bob", "node-b"), onB.held());

        onB.giveUp("alice"); // not b's: nothing happens
        assertEquals("node-a", onB.held().get("alice"));
        onA.giveUp("alice");
        assertFalse(onB.held().containsKey("alice"));
        assertTrue(onB.take("alice").mine());
        // as the ingest asks: empty when the channel is this node's, else why not
        assertEquals(java.util.Optional.of("channel alice is live on node node-b"), onA.claim("alice"));
        assertEquals(java.util.Optional.empty(), onB.claim("alice"));
        zookeeper.stop();
        Eventually.await("a to see ZooKeeper gone", Duration.ofSeconds(10),
                () -> a.state() != ClusterNode.State.CONNECTED);
        assertTrue(onA.claim("carol").orElseThrow().startsWith("the cluster cannot be reached now"));
    }

    @Test
    void aLeaseEndsWithItsNodesSession() throws Exception {
        ChannelLeases onA = new ChannelLeases(a);
        ChannelLeases onB = new ChannelLeases(b);
        assertTrue(onA.take("alice").mine());
        a.stop(); // the node is gone: its session closes, and its leases with it
        Eventually.await("a's lease to end with its session", Duration.ofSeconds(10),
                () -> !heldUnchecked(onB).containsKey("alice"));
        assertEquals(new ChannelLeases.Lease("alice", "node-b", true), onB.take("alice"));
    }

    private static Map<String, String> heldUnchecked(ChannelLeases leases) {
        try {
            return leases.held();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
