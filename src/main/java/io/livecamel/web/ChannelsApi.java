package io.livecamel.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.livecamel.cluster.ChannelLeases;
import io.livecamel.ingest.Channel;
import io.livecamel.ingest.IngestComponent;
import io.livecamel.origin.ChannelView;
import io.livecamel.origin.Origin;
import io.livecamel.settings.StreamingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/channels}: one object per channel, never a key: the configured ones in the order of the settings, then
 * by name every other channel live or seen since the start (made on demand by the admission route). In cluster mode
 * also every channel another node serves, and for each the node that serves it ({@code node}). A channel served here
 * lists its session's restream destinations ({@code restream}: each one's state, last error and bytes sent).
 */
public final class ChannelsApi {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelsApi.class);

    private final StreamingSettings settings;
    private final Origin origin;
    private final IngestComponent ingest;

    public ChannelsApi(StreamingSettings settings, Origin origin, IngestComponent ingest) {
        this.settings = settings;
        this.origin = origin;
        this.ingest = ingest;
    }

    public List<ChannelView> channels() {
        Map<String, ChannelLeases.Served> served = served();
        List<String> names = new ArrayList<>(settings.channels().stream().map(Channel::name).toList());
        TreeSet<String> others = new TreeSet<>(origin.sessions().seen());
        others.addAll(ingest.channelNames());
        others.addAll(served.keySet());
        others.removeAll(names);
        names.addAll(others);
        return names.stream().map(name -> {
            ChannelLeases.Served by = served.get(name);
            if (by == null) {
                return origin.sessions().view(name).restreaming(ingest.restream(name));
            }
            return by.node().equals(ingest.getChannelOwnership().nodeId()) ? origin.sessions().view(name).on(by.node())
                    .restreaming(ingest.restream(name)) : origin.sessions().servedElsewhere(name, by.session(),
                    by.node());
        }).toList();
    }

    /** In cluster mode, every channel a node serves, from ZooKeeper; none when it cannot be asked. */
    private Map<String, ChannelLeases.Served> served() {
        if (!(ingest.getChannelOwnership() instanceof ChannelLeases leases)) {
            return Map.of();
        }
        try {
            return leases.served();
        } catch (Exception e) {
            LOG.warn("Cluster: the channels served by other nodes cannot be read now: {}", e.toString());
            return Map.of();
        }
    }
}
