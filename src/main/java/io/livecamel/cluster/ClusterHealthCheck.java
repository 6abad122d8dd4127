package io.livecamel.cluster;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The health check {@code cluster}: UP while this node's ZooKeeper session is connected; DOWN while it is suspended
 * (ZooKeeper not heard from: new publishers are refused) or lost (the session expired).
 */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    private final ClusterNode node;

    public ClusterHealthCheck(ClusterNode node) {
        super("live-streaming", "cluster");
        this.node = node;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ClusterNode.State state = node.state();
        builder.detail("node", node.nodeId()).detail("state", state.name().toLowerCase());
        switch (state) {
            case CONNECTED -> builder.up().message("node " + node.nodeId() + " connected to ZooKeeper");
            case SUSPENDED -> builder.down().message("node " + node.nodeId() + " is cut off from ZooKeeper "
                    + "(suspended): new publishers are refused");
            case LOST -> builder.down().message("node " + node.nodeId() + " lost its ZooKeeper session");
        }
    }
}
