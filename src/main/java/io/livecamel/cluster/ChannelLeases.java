package io.livecamel.cluster;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.livecamel.ingest.ChannelOwnership;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who writes each channel in the cluster: a lease is an ephemeral znode {@code /channels/<channel>} holding the id of
 * the node that writes it, so it ends by itself with that node's ZooKeeper session (a node killed, or cut off past
 * the session timeout). At most one node holds a channel's lease at a time: taking one is creating its znode, which
 * ZooKeeper does for one node only. As the ingest's {@link ChannelOwnership}, a node takes a channel's lease before it
 * admits a publisher to it; while it is cut off from ZooKeeper it takes none.
 */
public final class ChannelLeases implements ChannelOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelLeases.class);
    static final String ROOT = "/channels";

    private final ClusterNode node;

    public ChannelLeases(ClusterNode node) {
        this.node = node;
    }

    @Override
    public Optional<String> claim(String channel) {
        if (node.state() != ClusterNode.State.CONNECTED) {
            return Optional.of("the cluster cannot be reached now (ZooKeeper " + node.state().name().toLowerCase()
                    + ")");
        }
        try {
            Lease lease = take(channel);
            return lease.mine() ? Optional.empty()
                    : Optional.of("channel " + channel + " is live on node " + lease.holder());
        } catch (Exception e) {
            LOG.warn("Cluster: the lease of channel {} could not be taken: {}", channel, e.toString());
            return Optional.of("the cluster could not be asked (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Gives up the channel's lease; a failure is one WARN (the lease ends with the session anyway). */
    @Override
    public void release(String channel) {
        try {
            giveUp(channel);
        } catch (Exception e) {
            LOG.warn("Cluster: the lease of channel {} could not be given up: {}", channel, e.toString());
        }
    }

    /** A channel's lease as a node sees it: who holds it, and whether that is this node. */
    public record Lease(String channel, String holder, boolean mine) {
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
                return new Lease(channel, node.nodeId(), true);
            } catch (KeeperException.NodeExistsException held) {
                Stat stat = new Stat();
                try {
                    String holder = new String(client.getData().storingStatIn(stat).forPath(path),
                            StandardCharsets.UTF_8);
                    long session = client.getZookeeperClient().getZooKeeper().getSessionId();
                    return new Lease(channel, holder, stat.getEphemeralOwner() == session);
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
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        if (stat != null && stat.getEphemeralOwner() == session) {
            try {
                client.delete().withVersion(stat.getVersion()).forPath(path);
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
                // already let go
            }
        }
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
