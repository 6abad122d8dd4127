package io.livecamel.web;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.livecamel.ingest.Channel;
import io.livecamel.ingest.IngestComponent;
import io.livecamel.origin.ChannelView;
import io.livecamel.origin.Origin;
import io.livecamel.settings.StreamingSettings;

/**
 * {@code /api/channels}: one object per channel, never a key: the configured ones in the order of the settings, then
 * by name every other channel live or seen since the start (made on demand by the admission route).
 */
public final class ChannelsApi {

    private final StreamingSettings settings;
    private final Origin origin;
    private final IngestComponent ingest;

    public ChannelsApi(StreamingSettings settings, Origin origin, IngestComponent ingest) {
        this.settings = settings;
        this.origin = origin;
        this.ingest = ingest;
    }

    public List<ChannelView> channels() {
        List<String> names = new ArrayList<>(settings.channels().stream().map(Channel::name).toList());
        TreeSet<String> others = new TreeSet<>(origin.sessions().seen());
        others.addAll(ingest.channelNames());
        others.removeAll(names);
        names.addAll(others);
        return names.stream().map(origin.sessions()::view).toList();
    }
}
