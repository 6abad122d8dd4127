package io.livecamel.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.livecamel.settings.ClusterSettings;
import io.livecamel.settings.InvalidSettingException;
import org.apache.camel.Service;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of the cluster: one ZooKeeper session (through Curator) under the namespace
 * {@code live-streaming}, opened at start-up (a ZooKeeper that cannot be reached within {@link #CONNECT_TIMEOUT}
 * stops start-up with one message) and watched: connected, suspended (ZooKeeper not heard from; the session and its
 * leases may still be alive) or lost (the session expired: every lease of this node is gone).
 */
public final class ClusterNode implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    static final String NAMESPACE = "live-streaming";

    /** What this node knows of its ZooKeeper session. */
    public enum State { CONNECTED, SUSPENDED, LOST }

    private final ClusterSettings settings;
    private CuratorFramework client;
    private volatile State state = State.LOST;
    /** Connected once: from then on, every change of the connection is logged. */
    private volatile boolean joined;

    public ClusterNode(ClusterSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start() {
        if (client != null) {
            return; // started once: by the configuration, which needs it connected, then again by the context
        }
        int session = (int) settings.sessionTimeout().toMillis();
        client = CuratorFrameworkFactory.builder().connectString(settings.zookeeper()).namespace(NAMESPACE)
                .sessionTimeoutMs(session).connectionTimeoutMs(Math.min(session, 5000))
                .retryPolicy(new ExponentialBackoffRetry(250, 29, 5000)).build();
        client.getConnectionStateListenable().addListener((curator, change) -> changed(change));
        client.start();
        boolean connected;
        try {
            connected = client.blockUntilConnected((int) CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected = false;
        }
        if (!connected) {
            client.close();
            client = null;
            throw new InvalidSettingException("streaming.cluster.zookeeper", settings.zookeeper(), "ZooKeeper "
                    + "cannot be reached there within " + CONNECT_TIMEOUT.toSeconds() + " s");
        }
        state = State.CONNECTED;
        joined = true;
        LOG.info("Cluster: node {} joined through ZooKeeper {} (session timeout {} ms)", settings.nodeId(),
                settings.zookeeper(), session);
    }

    private void changed(ConnectionState change) {
        State before = state;
        state = switch (change) {
            case CONNECTED, RECONNECTED -> State.CONNECTED;
            case SUSPENDED -> State.SUSPENDED;
            case LOST -> State.LOST;
            default -> state;
        };
        if (state != before && client != null && joined) {
            if (state == State.CONNECTED) {
                LOG.info("Cluster: node {} is connected to ZooKeeper again", settings.nodeId());
            } else {
                LOG.warn("Cluster: node {} is {} from ZooKeeper ({})", settings.nodeId(),
                        state == State.SUSPENDED ? "cut off" : "no longer known", state.name().toLowerCase());
            }
        }
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        state = State.LOST;
    }

    public State state() {
        return state;
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public String zookeeper() {
        return settings.zookeeper();
    }

    /** The Curator client, for the cluster's recipes (leases). */
    CuratorFramework client() {
        return client;
    }
}
