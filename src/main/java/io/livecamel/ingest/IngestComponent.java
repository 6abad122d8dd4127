package io.livecamel.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.livecamel.media.Admission;
import io.livecamel.media.PublisherLink;
import io.livecamel.rtmp.RtmpServer;
import io.livecamel.settings.Channel;
import io.livecamel.settings.InvalidSettingException;
import io.livecamel.settings.StreamingSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code hls-ingest} component: one RTMP server (and RTMPS, when configured) for every channel, an SRT listener
 * per channel that has an SRT port, and each channel's sessions ({@link ChannelIngest}). {@code hls-ingest:<channel>}
 * is a consumer that receives a channel's session events. The stream key a publisher sends picks the channel; keys
 * are compared in constant time and are never in a URI or a log line.
 */
public class IngestComponent extends DefaultComponent {

    public static final String SCHEME = "hls-ingest";

    private final StreamingSettings settings;
    private final Ffmpeg ffmpeg;
    private final ListenerStates states = new ListenerStates();
    private final Map<String, ChannelIngest> channels = new LinkedHashMap<>();
    private final Map<String, SrtListener> srtListeners = new LinkedHashMap<>();
    private ExecutorService threads;
    private ScheduledExecutorService timer;
    private RtmpServer server;
    private ServerBinding rtmp;
    private ServerBinding rtmps;

    public IngestComponent(StreamingSettings settings, Ffmpeg ffmpeg) {
        this.settings = settings;
        this.ffmpeg = ffmpeg;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        ChannelIngest channel = channels.get(remaining);
        if (channel == null) {
            throw new InvalidSettingException("No channel '" + remaining + "' is configured");
        }
        IngestEndpoint endpoint = new IngestEndpoint(uri, this, channel);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        for (Channel channel : settings.channels()) {
            channels.put(channel.name(), new ChannelIngest(channel, this, settings.reconnectGrace(),
                    getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                            "ingest-" + channel.name())));
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        threads = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "ingest-ffmpeg");
        timer = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "ingest-timer", 1);
        SslContext tls = null;
        if (settings.rtmpsPort().isPresent()) {
            try {
                tls = SslContextBuilder.forServer(settings.rtmpsCertificate().orElseThrow().toFile(),
                        settings.rtmpsPrivateKey().orElseThrow().toFile()).build();
            } catch (Exception e) {
                throw new InvalidSettingException("streaming.rtmps.certificate and streaming.rtmps.private-key "
                        + "cannot be used (a PEM certificate chain and a PEM PKCS#8 private key are needed): "
                        + e.getMessage());
            }
        }
        server = new RtmpServer(this::admit);
        rtmp = new ServerBinding(server, "rtmp", settings.rtmpPort(), null, states, timer);
        rtmp.start();
        if (tls != null) {
            rtmps = new ServerBinding(server, "rtmps", settings.rtmpsPort().getAsInt(), tls, states, timer);
            rtmps.start();
        }
        for (ChannelIngest channel : channels.values()) {
            if (channel.channel().srtPort().isPresent()) {
                SrtListener listener = new SrtListener(channel, this);
                srtListeners.put(channel.name(), listener);
                listener.start();
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (SrtListener listener : srtListeners.values()) {
            listener.stop();
        }
        srtListeners.clear();
        if (rtmps != null) {
            rtmps.stop();
        }
        if (rtmp != null) {
            rtmp.stop();
        }
        if (server != null) {
            server.close();
        }
        getCamelContext().getExecutorServiceManager().shutdownNow(timer);
        getCamelContext().getExecutorServiceManager().shutdownNow(threads);
        super.doStop();
    }

    /** A publisher names a stream key: the channel whose key it is, compared in constant time with every key. */
    Admission admit(String key, PublisherLink link) {
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        ChannelIngest match = null;
        for (ChannelIngest channel : channels.values()) {
            if (MessageDigest.isEqual(given, channel.channel().key().getBytes(StandardCharsets.UTF_8))) {
                match = channel;
            }
        }
        return match == null ? Admission.refused(null, "no channel has this stream key")
                : match.admit(link, "RTMP");
    }

    /** What every server and listener of this component is doing, for the health check. */
    public ListenerStates states() {
        return states;
    }

    /** Connections open on the RTMP server(s) now. */
    public int rtmpConnections() {
        return server == null ? 0 : server.connections();
    }

    StreamingSettings settings() {
        return settings;
    }

    Ffmpeg ffmpeg() {
        return ffmpeg;
    }

    ExecutorService threads() {
        return threads;
    }

    ScheduledExecutorService timer() {
        return timer;
    }
}
