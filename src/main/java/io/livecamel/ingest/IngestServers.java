package io.livecamel.ingest;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.livecamel.rtmp.RtmpLimits;
import io.livecamel.rtmp.RtmpServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The component's network side, a Camel service: the RTMP server on the RTMP port (and the RTMPS port, with TLS)
 * for every channel, and an SRT listener for each channel that has an SRT port. The RTMP ports are bound when the
 * first channel's route starts ({@link #listen}), so that a publisher never finds a port open before any channel
 * can take it; a port that is taken is tried again ({@link ServerBinding}). Stopping it closes every connection.
 */
final class IngestServers extends ServiceSupport {

    private final IngestComponent component;
    private final ListenerStates states = new ListenerStates();
    private final Map<String, SrtListener> srtListeners = new ConcurrentHashMap<>();
    private SslContext tls;
    private RtmpServer server;
    private ServerBinding rtmp;
    private ServerBinding rtmps;

    IngestServers(IngestComponent component) {
        this.component = component;
    }

    @Override
    protected void doStart() {
        tls = null;
        if (component.getRtmpsPort() > 0) {
            try {
                tls = SslContextBuilder.forServer(Path.of(component.getRtmpsCertificate()).toFile(),
                        Path.of(component.getRtmpsPrivateKey()).toFile()).build();
            } catch (Exception e) {
                throw new InvalidOptionException("rtmpsPrivateKey", component.getRtmpsPrivateKey(), "the RTMPS "
                        + "certificate and private key cannot be used (a PEM certificate chain and a PEM PKCS#8 "
                        + "private key are needed): " + e.getMessage());
            }
        }
    }

    /** Binds the RTMP (and RTMPS) port, once: called as each channel's route starts. */
    synchronized void listen() {
        if (server != null) {
            return;
        }
        // the decision has the admission's time, a second for the answer to come back and, in a cluster, the time
        // for the node that has the channel to hand it over
        server = new RtmpServer(component.admissions(), RtmpLimits.DEFAULT.withDecisionTimeout(
                component.admissionTimeout().plusSeconds(1).plus(component.getChannelOwnership() == null
                        ? java.time.Duration.ZERO : ChannelOwnership.HAND_OVER)));
        rtmp = new ServerBinding(server, "rtmp", component.getRtmpPort(), null, states, component.timer());
        rtmp.start();
        if (tls != null) {
            rtmps = new ServerBinding(server, "rtmps", component.getRtmpsPort(), tls, states, component.timer());
            rtmps.start();
        }
    }

    /** The channel's SRT listener, when it has an SRT port: started with its first consumer. */
    void listenSrt(ChannelIngest channel) {
        if (channel.channel().srtPort().isPresent()) {
            srtListeners.computeIfAbsent(channel.name(), name -> {
                SrtListener listener = new SrtListener(channel, component);
                listener.start();
                return listener;
            });
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        for (SrtListener listener : srtListeners.values()) {
            listener.stop();
        }
        srtListeners.clear();
        if (rtmps != null) {
            rtmps.stop();
            rtmps = null;
        }
        if (rtmp != null) {
            rtmp.stop();
            rtmp = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** What every server and listener is doing, for the health check. */
    ListenerStates states() {
        return states;
    }

    /** Connections open on the RTMP server(s) now. */
    synchronized int rtmpConnections() {
        return server == null ? 0 : server.connections();
    }
}
