package io.livecamel.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cluster mode's settings ({@code streaming.cluster.*}): on when {@code streaming.cluster.zookeeper} names the
 * ZooKeeper ensemble every node shares. It needs the one external bucket every node writes.
 *
 * @param zookeeper      ZooKeeper's connect string ({@code host:port,...})
 * @param nodeId         this node's id in the cluster: by default the host's name
 * @param sessionTimeout how long ZooKeeper keeps this node's session (and its leases) when it stops hearing from it
 */
public record ClusterSettings(String zookeeper, String nodeId, Duration sessionTimeout) {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static Optional<ClusterSettings> read(PropertyValues values, boolean s3Embedded) {
        Optional<String> zookeeper = values.optional("streaming.cluster.zookeeper");
        String nodeId = values.matching("streaming.cluster.node-id", defaultNodeId(), NODE_ID,
                "a node id is 1 to 64 letters, digits, '.', '_' and '-'");
        double timeout = values.decimal("streaming.cluster.session-timeout", 5, 1, 60);
        if (zookeeper.isPresent() && s3Embedded) {
            throw new InvalidSettingException("streaming.cluster.zookeeper is set, and several nodes need the one "
                    + "bucket they all write: set streaming.s3.embedded=false and the bucket (streaming.s3.bucket, "
                    + "and streaming.s3.endpoint for a service other than AWS S3)");
        }
        return zookeeper.map(connect -> new ClusterSettings(connect, nodeId,
                Duration.ofMillis(Math.round(timeout * 1000))));
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "node");
        }
        String id = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return id.isEmpty() ? "node" : id.substring(0, Math.min(64, id.length()));
    }
}
