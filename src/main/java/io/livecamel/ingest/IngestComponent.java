package io.livecamel.ingest;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The {@code hls-ingest} component: one RTMP server (and RTMPS, when configured) for every channel, an SRT listener
 * for each channel that has an SRT port ({@link IngestServers}), and each channel's sessions ({@link ChannelIngest}),
 * whose publishers are written to HLS by ffmpeg. {@code hls-ingest:<channel>?publishKey=...} declares a channel
 * ({@link ChannelRegistry}) and receives its events. Its options are bound by Camel (its generated configurer) and
 * checked by {@link #validateConfiguration()}; each option's default is on its declaration below. It brings its own
 * health checks: listeners and storage.
 */
@Component(IngestComponent.SCHEME)
public class IngestComponent extends DefaultComponent {

    public static final String SCHEME = "hls-ingest";

    @Metadata(defaultValue = "1935", description = "The TCP port of the RTMP server that takes every channel's "
            + "publishers (rtmp://host:port/live/<stream key>).")
    private int rtmpPort = 1935;
    @Metadata(description = "The TCP port of the RTMPS server (RTMP over TLS); none when not set.")
    private int rtmpsPort;
    @Metadata(description = "The RTMPS server's certificate chain, a PEM file.")
    private String rtmpsCertificate;
    @Metadata(description = "The RTMPS server's private key, a PEM PKCS#8 file.", secret = true)
    private String rtmpsPrivateKey;
    @Metadata(description = "The ffmpeg executable to run; by default the static build bundled in the jar.")
    private String ffmpegPath;
    @Metadata(defaultValue = "./media", description = "The folder ffmpeg writes each channel's HLS into, one "
            + "sub-folder per channel.")
    private String mediaDir = "./media";
    @Metadata(defaultValue = "1", description = "The target length of a segment in seconds (0.1 to 30); ffmpeg cuts "
            + "at the first keyframe after it.")
    private double hlsTime = 1;
    @Metadata(defaultValue = "100", description = "How many segments the live playlist lists (1 to 100000).")
    private int hlsListSize = 100;
    @Metadata(defaultValue = "15", description = "Seconds a session waits for its publisher to come back before it "
            + "ends (0 to 3600).")
    private double reconnectGrace = 15;
    @Metadata(defaultValue = "256", description = "Megabytes to keep free on the media folder's disk: below it "
            + "publishers are refused and a live one is cut, before ffmpeg fails in a segment.")
    private long minFreeMb = 256;
    @Metadata(defaultValue = "1800", description = "Segments a channel may keep on local disk for the origin besides "
            + "its live window: past it the publisher is cut and new ones are refused until the origin has taken "
            + "them (1 to 1000000).")
    private int maxBacklog = 1800;

    private final ChannelRegistry channels = new ChannelRegistry();
    private final IngestServers servers = new IngestServers(this);
    private volatile Ffmpeg ffmpeg;
    private MediaDisk disk;
    private ExecutorService threads;
    private ScheduledExecutorService timer;
    private FolderWatch folders;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        IngestEndpoint endpoint = new IngestEndpoint(uri, this);
        endpoint.setChannel(remaining);
        setProperties(endpoint, parameters);
        ChannelIngest channel = channels.declare(remaining, endpoint.getPublishKey(), endpoint.getSrtPort(),
                declared -> new ChannelIngest(declared, this, getCamelContext().getExecutorServiceManager()
                        .newSingleThreadExecutor(this, "ingest-" + declared.name())));
        if (endpoint.getSrtPort() > 0) {
            ffmpeg().srtUnsupported().ifPresent(reason -> {
                throw new InvalidOptionException("srtPort", endpoint.getSrtPort(), "the SRT port of channel "
                        + remaining + " " + reason);
            });
        }
        endpoint.setChannelIngest(channel);
        return endpoint;
    }

    /**
     * Checks every option, as camel-netty's configuration does: a bad one fails with an {@link InvalidOptionException}
     * naming it and its value. Called when the component starts; an application may call it before.
     */
    public void validateConfiguration() {
        port("rtmpPort", rtmpPort);
        if (rtmpsPort != 0) {
            port("rtmpsPort", rtmpsPort);
            if (rtmpsCertificate == null || rtmpsPrivateKey == null) {
                throw new InvalidOptionException("rtmpsPort", rtmpsPort, "RTMPS also needs rtmpsCertificate and "
                        + "rtmpsPrivateKey (PEM files)");
            }
        }
        if (mediaDir == null || mediaDir.isBlank()) {
            throw new InvalidOptionException("mediaDir", mediaDir, "must not be empty");
        }
        between("hlsTime", hlsTime, 0.1, 30);
        between("hlsListSize", hlsListSize, 1, 100_000);
        between("reconnectGrace", reconnectGrace, 0, 3600);
        between("minFreeMb", minFreeMb, 0, 1_000_000);
        between("maxBacklog", maxBacklog, 1, 1_000_000);
    }

    private static void port(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidOptionException(option, port, "a port is a number from 1 to 65535");
        }
    }

    private static void between(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidOptionException(option, value, "must be between " + min + " and " + max);
        }
    }

    private static void between(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidOptionException(option, value, "must be between " + min + " and " + max);
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        validateConfiguration();
        threads = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "ingest-ffmpeg");
        timer = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "ingest-timer", 1);
        folders = new FolderWatch(threads);
        disk = new MediaDisk(Path.of(mediaDir), minFreeMb);
        ServiceHelper.startService(servers);
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null) {
            health.register(new ListenersHealthCheck(servers.states()));
            health.register(new StorageHealthCheck(this));
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(servers);
        if (folders != null) {
            folders.close();
        }
        if (timer != null) { // null when the context stops before this component started
            getCamelContext().getExecutorServiceManager().shutdownNow(timer);
        }
        if (threads != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(threads);
        }
        super.doStop();
    }

    /** Connections open on the RTMP server(s) now. */
    public int rtmpConnections() {
        return servers.rtmpConnections();
    }

    /** The reconnect grace in seconds the way a person writes them ({@code 15}, {@code 0.5}). */
    public String reconnectGraceSeconds() {
        return BigDecimal.valueOf(Math.round(reconnectGrace * 1000), 3).stripTrailingZeros().toPlainString();
    }

    /** The ffmpeg this component runs, found (and checked) the first time it is needed. */
    public Ffmpeg ffmpeg() {
        Ffmpeg found = ffmpeg;
        if (found == null) {
            synchronized (this) {
                if (ffmpeg == null) {
                    ffmpeg = Ffmpeg.locate(Optional.ofNullable(ffmpegPath));
                }
                found = ffmpeg;
            }
        }
        return found;
    }

    ChannelRegistry channels() {
        return channels;
    }

    IngestServers servers() {
        return servers;
    }

    Path channelFolder(String channel) {
        return Path.of(mediaDir).resolve(channel);
    }

    MediaDisk disk() {
        return disk;
    }

    FolderWatch folders() {
        return folders;
    }

    ExecutorService threads() {
        return threads;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    // the options, bound by Camel (the generated configurer)

    public int getRtmpPort() {
        return rtmpPort;
    }

    public void setRtmpPort(int rtmpPort) {
        this.rtmpPort = rtmpPort;
    }

    public int getRtmpsPort() {
        return rtmpsPort;
    }

    public void setRtmpsPort(int rtmpsPort) {
        this.rtmpsPort = rtmpsPort;
    }

    public String getRtmpsCertificate() {
        return rtmpsCertificate;
    }

    public void setRtmpsCertificate(String rtmpsCertificate) {
        this.rtmpsCertificate = rtmpsCertificate;
    }

    public String getRtmpsPrivateKey() {
        return rtmpsPrivateKey;
    }

    public void setRtmpsPrivateKey(String rtmpsPrivateKey) {
        this.rtmpsPrivateKey = rtmpsPrivateKey;
    }

    public String getFfmpegPath() {
        return ffmpegPath;
    }

    public void setFfmpegPath(String ffmpegPath) {
        this.ffmpegPath = ffmpegPath;
    }

    public String getMediaDir() {
        return mediaDir;
    }

    public void setMediaDir(String mediaDir) {
        this.mediaDir = mediaDir;
    }

    public double getHlsTime() {
        return hlsTime;
    }

    public void setHlsTime(double hlsTime) {
        this.hlsTime = hlsTime;
    }

    public int getHlsListSize() {
        return hlsListSize;
    }

    public void setHlsListSize(int hlsListSize) {
        this.hlsListSize = hlsListSize;
    }

    public double getReconnectGrace() {
        return reconnectGrace;
    }

    public void setReconnectGrace(double reconnectGrace) {
        this.reconnectGrace = reconnectGrace;
    }

    public long getMinFreeMb() {
        return minFreeMb;
    }

    public void setMinFreeMb(long minFreeMb) {
        this.minFreeMb = minFreeMb;
    }

    public int getMaxBacklog() {
        return maxBacklog;
    }

    public void setMaxBacklog(int maxBacklog) {
        this.maxBacklog = maxBacklog;
    }
}
