package io.livecamel.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import io.livecamel.ingest.ChannelOwnership;
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
        assertEquals(new ChannelLeases.Lease("alice", "node-a", true, false), onA.take("alice"));
        assertEquals(new ChannelLeases.Lease("alice", "node-a", false, false), onB.take("alice"));
        assertEquals(new ChannelLeases.Lease("alice", "node-a", true, true), onA.take("alice"),
                "taken again: still a's");
        assertEquals(new ChannelLeases.Lease("bob", "node-b", true, false), onB.take("bob"));
        assertEquals(Map.of("alice", "node-a", "bob", "node-b"), onB.held());

        onB.giveUp("alice"); // not b's: nothing happens
        assertEquals("node-a", onB.held().get("alice"));
        onA.giveUp("alice");
        assertFalse(onB.held().containsKey("alice"));
        assertTrue(onB.take("alice").mine());
        // as the ingest asks without asking the holder: taken, or why not
        assertEquals(ChannelOwnership.Claim.refused("channel alice is live on node node-b"),
                onA.claim("alice", false));
        assertEquals(ChannelOwnership.Claim.taken(null), onB.claim("alice", false));
        zookeeper.stop();
        Eventually.await("a to see ZooKeeper gone", Duration.ofSeconds(10),
                () -> a.state() != ClusterNode.State.CONNECTED);
        assertTrue(onA.claim("carol", true).refusal().startsWith("the cluster cannot be reached now"));
    }

    @Test
    void aLeaseEndsWithItsNodesSession() throws Exception {
        ChannelLeases onA = new ChannelLeases(a);
        ChannelLeases onB = new ChannelLeases(b);
        assertTrue(onA.take("alice").mine());
        a.stop(); // the node is gone: its session closes, and its leases with it
        Eventually.await("a's lease to end with its session", Duration.ofSeconds(10),
                () -> !heldUnchecked(onB).containsKey("alice"));
        assertEquals(new ChannelLeases.Lease("alice", "node-b", true, false), onB.take("alice"));
    }

    @Test
    void theHolderHandsTheChannelOverWhenAskedAndTheSessionGoesOn() throws Exception {
        ChannelLeases onA = new ChannelLeases(a);
        ChannelLeases onB = new ChannelLeases(b);
        Notices toA = new Notices();
        onA.listen(toA);
        assertEquals(ChannelOwnership.Claim.taken(null), onA.claim("alice", true));
        onA.sessionLive("alice", "20261205-120000000-abcd", 2);
        toA.onHandOver = channel -> onA.release(channel, null); // what the ingest does once the session is up
        ChannelOwnership.Claim claim = onB.claim("alice", true);
        assertEquals(ChannelOwnership.Claim.taken(new ChannelOwnership.Continuation("20261205-120000000-abcd", 2,
                "node-a")), claim, "b goes on with a's session");
        assertEquals("alice <- node-b", toA.handOvers.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("node-b", onA.held().get("alice"));
        onA.stop();
    }

    @Test
    void aHolderThatDoesNotLetGoKeepsTheChannel() throws Exception {
        ChannelLeases onA = new ChannelLeases(a);
        ChannelLeases onB = new ChannelLeases(b);
        assertTrue(onA.claim("alice", true).refusal() == null);
        long start = System.nanoTime();
        assertEquals("channel alice is live on node node-a, which did not hand it over within 6 s",
                onB.claim("alice", true).refusal());
        assertTrue(System.nanoTime() - start >= ChannelOwnership.HAND_OVER.toNanos(), "b waited for the hand-over");
        assertEquals("node-a", onB.held().get("alice"));
    }

    @Test
    void aSessionWhoseNodeDiedIsTakenUpByAnotherNode() throws Exception {
        ChannelLeases onA = new ChannelLeases(a);
        ChannelLeases onB = new ChannelLeases(b);
        Notices toB = new Notices();
        onB.listen(toB);
        assertTrue(onA.claim("alice", true).refusal() == null);
        onA.sessionLive("alice", "20261205-120000000-abcd", 1);
        assertTrue(onA.claim("bob", true).refusal() == null); // no session: nothing to take up
        a.stop();
        assertEquals("alice 20261205-120000000-abcd 1 node-a",
                toB.orphans.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("node-b", onB.held().get("alice"));
        assertFalse(onB.held().containsKey("bob"));
        onB.release("alice", "20261205-120000000-abcd"); // the session ended on b
        assertEquals(ChannelOwnership.Claim.taken(null), onB.claim("alice", true), "no session left to go on with");
        onB.stop();
    }

    /** What the cluster told a node's ingest. */
    private static final class Notices implements ChannelOwnership.Listener {
        final java.util.concurrent.BlockingQueue<String> handOvers = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.BlockingQueue<String> orphans = new java.util.concurrent.LinkedBlockingQueue<>();
        volatile java.util.function.Consumer<String> onHandOver = channel -> { };

        @Override
        public void handOverAsked(String channel, String toNode) {
            handOvers.add(channel + " <- " + toNode);
            onHandOver.accept(channel);
        }

        @Override
        public void leasesLost() {
        }

        @Override
        public void orphaned(String channel, ChannelOwnership.Continuation session) {
            orphans.add(channel + " " + session.session() + " " + session.connections() + " " + session.node());
        }
    }

    private static Map<String, String> heldUnchecked(ChannelLeases leases) {
        try {
            return leases.held();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
