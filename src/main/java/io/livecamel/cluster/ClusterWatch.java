package io.livecamel.cluster;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.livecamel.ingest.ChannelOwnership.Listener;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cluster tells this node's ingest ({@link Listener}), watched in ZooKeeper (a Curator cache of the
 * namespace): a request for a channel this node holds (hand it over), this node's session expired (its leases are
 * gone), and a lease that ended while its channel still has a session nobody asked for (its node died: one node
 * takes it up). What the ingest is told runs on a thread of its own, one notice at a time.
 */
final class ClusterWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    private final ClusterNode node;
    private final ChannelLeases leases;
    private final Listener listener;
    private final ExecutorService notices = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "cluster-notices"));
    private CuratorCache cache;

    ClusterWatch(ClusterNode node, ChannelLeases leases, Listener listener) {
        this.node = node;
        this.leases = leases;
        this.listener = listener;
    }

    void start() {
        CuratorFramework client = node.client();
        client.getConnectionStateListenable().addListener((curator, change) -> {
            if (change == ConnectionState.LOST) {
                notices.execute(listener::leasesLost);
            }
        });
        cache = CuratorCache.build(client, "/");
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(this::created)
                .forDeletes(this::deleted)
                .forInitialized(() -> notices.execute(this::adoptOrphans))
                .build());
        cache.start();
    }

    void stop() {
        if (cache != null) {
            cache.close();
        }
        notices.shutdownNow();
    }

    private void created(ChildData created) {
        String path = created.getPath();
        if (path.startsWith(ChannelLeases.HANDOVERS + "/")) {
            String channel = path.substring(ChannelLeases.HANDOVERS.length() + 1);
            String asking = new String(created.getData(), StandardCharsets.UTF_8);
            notices.execute(() -> {
                if (!asking.equals(node.nodeId()) && leases.holds(channel)) {
                    LOG.info("Cluster: node {} asks for channel {}; node {} hands it over", asking, channel,
                            node.nodeId());
                    listener.handOverAsked(channel, asking);
                }
            });
        }
    }

    private void deleted(ChildData deleted) {
        String path = deleted.getPath();
        if (path.startsWith(ChannelLeases.ROOT + "/")) {
            String channel = path.substring(ChannelLeases.ROOT.length() + 1);
            notices.execute(() -> adoptOrphan(channel));
        }
    }

    /** At start: every channel with a session and no lease (the whole cluster was down) is taken up by some node. */
    private void adoptOrphans() {
        try {
            if (node.client().checkExists().forPath(ChannelLeases.SESSIONS) != null) {
                node.client().getChildren().forPath(ChannelLeases.SESSIONS).forEach(this::adoptOrphan);
            }
        } catch (Exception e) {
            LOG.warn("Cluster: the sessions left by nodes that are gone could not be listed: {}", e.toString());
        }
    }

    /**
     * The channel's lease ended: if its session goes on (its record is there) and nobody asked for the channel, this
     * node tries to take it; the one node that does goes on with the session.
     */
    private void adoptOrphan(String channel) {
        CuratorFramework client = node.client();
        try {
            if (node.state() != ClusterNode.State.CONNECTED || SessionRecord.read(client, channel).isEmpty()
                    || client.checkExists().forPath(ChannelLeases.HANDOVERS + "/" + channel) != null
                    || client.checkExists().forPath(ChannelLeases.ROOT + "/" + channel) != null) {
                return;
            }
            ChannelLeases.Lease lease = leases.take(channel);
            var record = SessionRecord.read(client, channel);
            if (!lease.mine() || lease.wasMine()) {
                return;
            }
            if (record.isEmpty()) { // ended meanwhile
                leases.giveUp(channel);
                return;
            }
            LOG.info("Cluster: node {} takes up channel {}, whose node {} is gone (session {})", node.nodeId(),
                    channel, record.get().node(), record.get().session());
            listener.orphaned(channel, record.get().continuation());
        } catch (Exception e) {
            LOG.warn("Cluster: channel {}, left by a node that is gone, could not be taken up: {}", channel,
                    e.toString());
        }
    }
}
