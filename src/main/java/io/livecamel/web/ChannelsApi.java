package io.livecamel.web;

import java.util.List;

import io.livecamel.origin.ChannelView;
import io.livecamel.origin.Origin;
import io.livecamel.ingest.Channel;
import io.livecamel.settings.StreamingSettings;

/** {@code /api/channels}: one object per configured channel, in the order of the settings. Never a key. */
public final class ChannelsApi {

    private final StreamingSettings settings;
    private final Origin origin;

    public ChannelsApi(StreamingSettings settings, Origin origin) {
        this.settings = settings;
        this.origin = origin;
    }

    public List<ChannelView> channels() {
        return settings.channels().stream().map(Channel::name).map(origin.sessions()::view).toList();
    }
}
