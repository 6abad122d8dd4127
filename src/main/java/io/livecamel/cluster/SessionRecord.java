package io.livecamel.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.livecamel.ingest.ChannelOwnership;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * A channel's session as the cluster knows it: the znode {@code /sessions/<channel>}, persistent, holding
 * {@code <session> <connection> <node>}: the session, its newest connection and the node that writes it. The holder
 * of the channel's lease writes it as each connection starts and deletes it once the session has ended, so that the
 * node that takes the channel next (a hand-over, or its node died) goes on with the same session.
 */
record SessionRecord(String session, int connections, String node) {

    static Optional<SessionRecord> read(CuratorFramework client, String channel) throws Exception {
        try {
            String[] fields = new String(client.getData().forPath(path(channel)), StandardCharsets.UTF_8)
                    .split(" ");
            return Optional.of(new SessionRecord(fields[0], Integer.parseInt(fields[1]), fields[2]));
        } catch (KeeperException.NoNodeException none) {
            return Optional.empty();
        }
    }

    void write(CuratorFramework client, String channel) throws Exception {
        byte[] data = (session + " " + connections + " " + node).getBytes(StandardCharsets.UTF_8);
        try {
            client.setData().forPath(path(channel), data);
        } catch (KeeperException.NoNodeException none) {
            client.create().creatingParentContainersIfNeeded().forPath(path(channel), data);
        }
    }

    /** Deletes the channel's record if it is still of {@code session}. */
    static void delete(CuratorFramework client, String channel, String session) throws Exception {
        Stat stat = new Stat();
        try {
            String data = new String(client.getData().storingStatIn(stat).forPath(path(channel)),
                    StandardCharsets.UTF_8);
            if (data.startsWith(session + " ")) {
                client.delete().withVersion(stat.getVersion()).forPath(path(channel));
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
            // ended already, or a newer session's meanwhile
        }
    }

    ChannelOwnership.Continuation continuation() {
        return new ChannelOwnership.Continuation(session, connections, node);
    }

    private static String path(String channel) {
        return ChannelLeases.SESSIONS + "/" + channel;
    }
}
