package io.livecamel.cluster;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.ChannelOwnership;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who writes each channel in the cluster, and which session each channel has. A lease is an ephemeral znode
 * {@code /channels/<channel>} holding the id of the node that writes the channel, so it ends by itself with that
 * node's ZooKeeper session (a node killed, or cut off past the session timeout); at most one node holds it, since
 * ZooKeeper creates a znode for one node only. The channel's session is a persistent znode {@code /sessions/<channel>}
 * ({@link SessionRecord}), written by the lease's holder and deleted once the session has ended, so a session
 * outlives the node that wrote it. A node that wants a channel another node holds leaves a request
 * {@code /handovers/<channel>}; the holder hands the session over and lets go. A lease that ends while its channel
 * still has a session and nobody asked for it (its node died) is taken by one of the other nodes, which goes on with
 * the session ({@link ClusterWatch}).
 */
public final class ChannelLeases implements ChannelOwnership, org.apache.camel.Service {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelLeases.class);
    static final String ROOT = "/channels";
    static final String SESSIONS = "/sessions";
    static final String HANDOVERS = "/handovers";

    private final ClusterNode node;
    private ClusterWatch watch;

    public ChannelLeases(ClusterNode node) {
        this.node = node;
    }

    @Override
    public String nodeId() {
        return node.nodeId();
    }

    @Override
    public Claim claim(String channel, boolean askHolder) {
        if (node.state() != ClusterNode.State.CONNECTED) {
            return Claim.refused("the cluster cannot be reached now (ZooKeeper " + node.state().name().toLowerCase()
                    + ")");
        }
        try {
            Lease first = take(channel);
            Lease lease = first.mine() || !askHolder ? first : askHandOver(first);
            return lease.mine() ? Claim.taken(SessionRecord.read(node.client(), channel)
                    .filter(record -> !record.node().equals(node.nodeId()) || !lease.wasMine())
                    .map(SessionRecord::continuation).orElse(null))
                    : Claim.refused("channel " + channel + " is live on node " + lease.holder() + (askHolder
                            ? ", which did not hand it over within " + HAND_OVER.toSeconds() + " s" : ""));
        } catch (Exception e) {
            LOG.warn("Cluster: the lease of channel {} could not be taken: {}", channel, e.toString());
            return Claim.refused("the cluster could not be asked (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Asks the holder of a channel to hand it over: a request znode, then waits for the holder to let go (its
     * lease's znode deleted) and takes the lease.
     */
    private Lease askHandOver(Lease held) throws Exception {
        CuratorFramework client = node.client();
        String request = HANDOVERS + "/" + held.channel();
        try {
            client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(request, node.nodeId().getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException asked) {
            client.setData().forPath(request, node.nodeId().getBytes(StandardCharsets.UTF_8)); // the newest asks
        }
        LOG.info("Cluster: channel {} is live on node {}; node {} asks for it", held.channel(), held.holder(),
                node.nodeId());
        long deadline = System.nanoTime() + HAND_OVER.toNanos();
        Lease lease = held;
        try {
            while (!lease.mine() && System.nanoTime() < deadline) {
                CountDownLatch released = new CountDownLatch(1);
                if (client.checkExists().usingWatcher((org.apache.zookeeper.Watcher) event -> released.countDown())
                        .forPath(ROOT + "/" + held.channel()) != null) {
                    released.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                lease = take(held.channel());
            }
        } finally {
            try {
                client.delete().forPath(request);
            } catch (KeeperException.NoNodeException gone) {
                // taken by a newer request's node meanwhile, or never there
            }
        }
        return lease;
    }

    /** Gives up the channel's lease (and ends its session record); a failure is one WARN. */
    @Override
    public void release(String channel, String endedSession) {
        try {
            if (endedSession != null) {
                SessionRecord.delete(node.client(), channel, endedSession);
            }
            giveUp(channel);
        } catch (Exception e) {
            LOG.warn("Cluster: the lease of channel {} could not be given up: {}", channel, e.toString());
        }
    }

    @Override
    public void sessionLive(String channel, String session, int connection) {
        try {
            new SessionRecord(session, connection, node.nodeId()).write(node.client(), channel);
        } catch (Exception e) {
            LOG.warn("Cluster: the session of channel {} could not be written down: {}", channel, e.toString());
        }
    }

    /**
     * Watches the cluster for this node's ingest ({@link ClusterWatch}): a hand-over asked of it, its leases lost, a
     * channel whose node died with its session.
     */
    @Override
    public synchronized void listen(Listener listener) {
        if (watch == null) {
            watch = new ClusterWatch(node, this, listener);
            watch.start();
        }
    }

    @Override
    public void start() {
        // watching starts with listen(), once the ingest's channels run
    }

    @Override
    public synchronized void stop() {
        if (watch != null) {
            watch.stop();
            watch = null;
        }
    }

    /** True while this node's session holds the channel's lease. */
    boolean holds(String channel) {
        try {
            Stat stat = node.client().checkExists().forPath(ROOT + "/" + channel);
            return stat != null && stat.getEphemeralOwner() == sessionId();
        } catch (Exception e) {
            return false;
        }
    }

    long sessionId() throws Exception {
        return node.client().getZookeeperClient().getZooKeeper().getSessionId();
    }

    /**
     * A channel's lease as a node sees it: who holds it, whether that is this node, and whether this node held it
     * already before it asked.
     */
    public record Lease(String channel, String holder, boolean mine, boolean wasMine) {
    }

    /**
     * Takes the channel's lease for this node, or tells who holds it. A lease this node's session already holds is
     * this node's again.
     */
    public Lease take(String channel) throws Exception {
        CuratorFramework client = node.client();
        String path = ROOT + "/" + channel;
        byte[] id = node.nodeId().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, id);
                return new Lease(channel, node.nodeId(), true, false);
            } catch (KeeperException.NodeExistsException held) {
                Stat stat = new Stat();
                try {
                    String holder = new String(client.getData().storingStatIn(stat).forPath(path),
                            StandardCharsets.UTF_8);
                    boolean mine = stat.getEphemeralOwner() == sessionId();
                    return new Lease(channel, holder, mine, mine);
                } catch (KeeperException.NoNodeException released) {
                    // let go between the two calls: try again
                }
            }
        }
        throw new IllegalStateException("the lease of channel " + channel + " changes hands too fast to take");
    }

    /** Gives up the channel's lease, if this node's session holds it. */
    public void giveUp(String channel) throws Exception {
        CuratorFramework client = node.client();
        String path = ROOT + "/" + channel;
        Stat stat = client.checkExists().forPath(path);
        if (stat != null && stat.getEphemeralOwner() == sessionId()) {
            try {
                client.delete().withVersion(stat.getVersion()).forPath(path);
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
                // already let go
            }
        }
    }

    /** A channel a node serves: that node, and the channel's session ({@code null} when it has none yet). */
    public record Served(String node, String session) {
    }

    /** Every channel a node serves in the cluster (holds its lease), by name. */
    public Map<String, Served> served() throws Exception {
        Map<String, Served> served = new TreeMap<>();
        for (Map.Entry<String, String> lease : held().entrySet()) {
            served.put(lease.getKey(), new Served(lease.getValue(), SessionRecord.read(node.client(), lease.getKey())
                    .map(SessionRecord::session).orElse(null)));
        }
        return served;
    }

    /** Every channel with a lease in the cluster, by name, and the node that holds it. */
    public Map<String, String> held() throws Exception {
        CuratorFramework client = node.client();
        Map<String, String> leases = new TreeMap<>();
        if (client.checkExists().forPath(ROOT) == null) {
            return leases;
        }
        List<String> channels = client.getChildren().forPath(ROOT);
        for (String channel : channels) {
            try {
                leases.put(channel, new String(client.getData().forPath(ROOT + "/" + channel),
                        StandardCharsets.UTF_8));
            } catch (KeeperException.NoNodeException released) {
                // let go meanwhile
            }
        }
        return new LinkedHashMap<>(leases);
    }
}
