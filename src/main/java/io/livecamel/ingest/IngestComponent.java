package io.livecamel.ingest;

import java.util.Map;

import io.livecamel.settings.Channel;
import io.livecamel.settings.InvalidSettingException;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code hls-ingest} component: {@code hls-ingest:<channel>} is a consumer that keeps an ffmpeg RTMP
 * listener running for a channel, writing HLS to the channel's local folder, and emits a message when a
 * publisher's session starts and when it ends. The key is looked up from the settings, never put in a URI.
 */
public class IngestComponent extends DefaultComponent {

    public static final String SCHEME = "hls-ingest";

    private final StreamingSettings settings;
    private final Ffmpeg ffmpeg;
    private final ListenerStates states = new ListenerStates();

    public IngestComponent(StreamingSettings settings, Ffmpeg ffmpeg) {
        this.settings = settings;
        this.ffmpeg = ffmpeg;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        Channel channel = settings.channel(remaining)
                .orElseThrow(() -> new InvalidSettingException("No channel '" + remaining + "' is configured"));
        IngestEndpoint endpoint = new IngestEndpoint(uri, this, channel, settings.reconnectGrace());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** What every listener of this component is doing. */
    public ListenerStates states() {
        return states;
    }

    IngestCommand command(Channel channel, IngestCommand.Protocol protocol) {
        return new IngestCommand(ffmpeg, settings, channel, protocol);
    }
}
