package io.livecamel.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.livecamel.media.Admission;
import io.livecamel.media.PublisherLink;
import io.livecamel.rtmp.RtmpServer;
import io.livecamel.settings.IngestDefaults;
import io.livecamel.settings.InvalidSettingException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code hls-ingest} component: one RTMP server (and RTMPS, when configured) for every channel, an SRT listener
 * for each channel that has an SRT port, and each channel's sessions ({@link ChannelIngest}), whose publishers are
 * written to HLS by ffmpeg. {@code hls-ingest:<channel>?publishKey=...} declares a channel and receives its session
 * events. The stream key a publisher sends picks the channel; keys are compared in constant time and never logged.
 */
@Component(IngestComponent.SCHEME)
public class IngestComponent extends DefaultComponent {

    public static final String SCHEME = "hls-ingest";

    @Metadata(defaultValue = IngestDefaults.RTMP_PORT, description = "The TCP port of the RTMP server that takes every channel's "
            + "publishers (rtmp://host:port/live/<stream key>).")
    private int rtmpPort = Integer.parseInt(IngestDefaults.RTMP_PORT);
    @Metadata(description = "The TCP port of the RTMPS server (RTMP over TLS); none when not set.")
    private int rtmpsPort;
    @Metadata(description = "The RTMPS server's certificate chain, a PEM file.")
    private String rtmpsCertificate;
    @Metadata(description = "The RTMPS server's private key, a PEM PKCS#8 file.", secret = true)
    private String rtmpsPrivateKey;
    @Metadata(description = "The ffmpeg executable to run; by default the static build bundled in the jar.")
    private String ffmpegPath;
    @Metadata(defaultValue = IngestDefaults.MEDIA_DIR, description = "The folder ffmpeg writes each channel's HLS into, one "
            + "sub-folder per channel.")
    private String mediaDir = IngestDefaults.MEDIA_DIR;
    @Metadata(defaultValue = IngestDefaults.HLS_TIME, description = "The target length of a segment in seconds; ffmpeg cuts at the "
            + "first keyframe after it.")
    private double hlsTime = Double.parseDouble(IngestDefaults.HLS_TIME);
    @Metadata(defaultValue = IngestDefaults.HLS_LIST_SIZE, description = "How many segments the live playlist lists.")
    private int hlsListSize = Integer.parseInt(IngestDefaults.HLS_LIST_SIZE);
    @Metadata(defaultValue = IngestDefaults.RECONNECT_GRACE, description = "Seconds a session waits for its publisher to come back before it "
            + "ends.")
    private double reconnectGrace = Double.parseDouble(IngestDefaults.RECONNECT_GRACE);
    @Metadata(defaultValue = IngestDefaults.MIN_FREE_MB, description = "Megabytes to keep free on the media folder's "
            + "disk: below it publishers are refused and a live one is cut, before ffmpeg fails in a segment.")
    private long minFreeMb = Long.parseLong(IngestDefaults.MIN_FREE_MB);
    @Metadata(defaultValue = IngestDefaults.MAX_BACKLOG, description = "Segments a channel may keep on local disk for "
            + "the origin besides its live window: past it the publisher is cut and new ones are refused until the "
            + "origin has taken them.")
    private int maxBacklog = Integer.parseInt(IngestDefaults.MAX_BACKLOG);

    private final ListenerStates states = new ListenerStates();
    private final Map<String, ChannelIngest> channels = new ConcurrentHashMap<>();
    private final Map<String, SrtListener> srtListeners = new ConcurrentHashMap<>();
    private volatile Ffmpeg ffmpeg;
    private MediaDisk disk;
    private ExecutorService threads;
    private ScheduledExecutorService timer;
    private FolderWatch folders;
    private RtmpServer server;
    private ServerBinding rtmp;
    private ServerBinding rtmps;
    private SslContext tls;

    public IngestComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        IngestEndpoint endpoint = new IngestEndpoint(uri, this);
        endpoint.setChannel(remaining);
        setProperties(endpoint, parameters);
        endpoint.setChannelIngest(declare(endpoint));
        return endpoint;
    }

    /**
     * The channel an endpoint declares, made the first time and given the endpoint's key (a route edited with a new
     * key changes the key for the next publishers).
     */
    private synchronized ChannelIngest declare(IngestEndpoint endpoint) {
        String name = endpoint.getChannel();
        if (!Channel.isValidName(name)) {
            throw new InvalidSettingException("Invalid channel name '" + name + "' in " + SCHEME + ":" + name + ": "
                    + Channel.NAME_RULE);
        }
        String key = endpoint.getPublishKey();
        if (key == null || key.isEmpty()) {
            throw new InvalidSettingException(SCHEME + ":" + name + " needs publishKey, the channel's secret "
                    + "stream key");
        }
        OptionalInt srtPort = endpoint.getSrtPort() > 0 ? OptionalInt.of(endpoint.getSrtPort()) : OptionalInt.empty();
        Channel channel = new Channel(name, key, srtPort, false);
        for (ChannelIngest other : channels.values()) {
            if (other.name().equals(name)) {
                continue; // the same channel again: its route was made anew
            }
            if (other.channel().key().equals(key)) {
                throw new InvalidSettingException("Channels " + other.name() + " and " + name + " have the same "
                        + "stream key: the key picks the channel, so each channel needs its own");
            }
            if (srtPort.isPresent() && other.channel().srtPort().equals(srtPort)) {
                throw new InvalidSettingException("SRT port " + srtPort.getAsInt() + " is set for both channel "
                        + other.name() + " and channel " + name + ": give each channel an SRT port of its own");
            }
        }
        if (srtPort.isPresent()) {
            srtUnsupported().ifPresent(reason -> {
                throw new InvalidSettingException("The SRT port of channel " + name + " " + reason);
            });
        }
        ChannelIngest existing = channels.get(name);
        if (existing != null) {
            existing.configure(channel);
            return existing;
        }
        ChannelIngest created = new ChannelIngest(channel, this, getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "ingest-" + name));
        channels.put(name, created);
        return created;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        threads = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "ingest-ffmpeg");
        timer = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "ingest-timer", 1);
        folders = new FolderWatch(threads);
        disk = new MediaDisk(Path.of(mediaDir), minFreeMb);
        tls = null;
        if (rtmpsPort > 0) {
            if (rtmpsCertificate == null || rtmpsPrivateKey == null) {
                throw new InvalidSettingException("The RTMPS port is set, but RTMPS also needs a certificate and a "
                        + "private key (PEM files)");
            }
            try {
                tls = SslContextBuilder.forServer(Path.of(rtmpsCertificate).toFile(),
                        Path.of(rtmpsPrivateKey).toFile()).build();
            } catch (Exception e) {
                throw new InvalidSettingException("The RTMPS certificate and private key cannot be used (a PEM "
                        + "certificate chain and a PEM PKCS#8 private key are needed): " + e.getMessage());
            }
        }
    }

    /**
     * Binds the RTMP (and RTMPS) port when the first channel's route starts, so that a publisher never finds the port
     * open before any channel can take it.
     */
    synchronized void startServer() {
        if (server != null) {
            return;
        }
        server = new RtmpServer(this::admit);
        rtmp = new ServerBinding(server, "rtmp", rtmpPort, null, states, timer);
        rtmp.start();
        if (tls != null) {
            rtmps = new ServerBinding(server, "rtmps", rtmpsPort, tls, states, timer);
            rtmps.start();
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
            server = null;
        }
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

    /** Why this component's ffmpeg cannot take SRT publishers, if it cannot. */
    public Optional<String> srtUnsupported() {
        return ffmpeg().bundled() ? Optional.of("needs an ffmpeg with a working SRT listener: the bundled static "
                + "ffmpeg " + ffmpeg().version() + " crashes when an SRT publisher connects. Set "
                + "streaming.ffmpeg.path (the component's ffmpegPath) to another ffmpeg (Debian's: apt-get install "
                + "ffmpeg, then /usr/bin/ffmpeg)") : Optional.empty();
    }

    /** The channel's SRT listener, when it has an SRT port: started with its first consumer. */
    void startSrt(ChannelIngest channel) {
        if (channel.channel().srtPort().isPresent()) {
            srtListeners.computeIfAbsent(channel.name(), name -> {
                SrtListener listener = new SrtListener(channel, this);
                listener.start();
                return listener;
            });
        }
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

    /**
     * Why streams cannot be stored now, for the health check: the media folder's disk, and each channel whose
     * segments waiting for the origin fill its backlog. Empty when they can.
     */
    public List<String> storageProblems() {
        List<String> problems = new ArrayList<>();
        if (disk != null) {
            disk.problem().ifPresent(problems::add);
        }
        channels.values().forEach(channel -> channel.backlogProblem().ifPresent(problems::add));
        return problems;
    }

    /** Connections open on the RTMP server(s) now. */
    public int rtmpConnections() {
        return server == null ? 0 : server.connections();
    }

    /** The ffmpeg this component runs, found the first time it is needed. */
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

    public double getReconnectGrace() {
        return reconnectGrace;
    }

    public void setReconnectGrace(double reconnectGrace) {
        this.reconnectGrace = reconnectGrace;
    }
}
