package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.livecamel.restream.DestinationView;
import io.livecamel.restream.Restreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Endpoint;
import org.apache.camel.Header;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The {@code hls-ingest} component: one RTMP server (and RTMPS, when configured) for every channel, an SRT listener
 * for each channel that has an SRT port ({@link IngestServers}), and each channel's sessions ({@link ChannelIngest}),
 * whose publishers are written to HLS by ffmpeg. {@code hls-ingest:<channel>?publishKey=...} declares a channel
 * ({@link ChannelRegistry}) and receives its events; who may publish is decided by the admission endpoint, when it
 * has one ({@link Admissions}). Its options are in {@link IngestOptions}, each default on its declaration. It brings
 * its own health checks: listeners and storage.
 */
@Component(IngestComponent.SCHEME)
public class IngestComponent extends IngestOptions {

    /** How long a channel this node took for a publisher that never went live stays taken. */
    static final java.time.Duration UNUSED = java.time.Duration.ofSeconds(30);

    public static final String SCHEME = "hls-ingest";

    private final ChannelRegistry channels = new ChannelRegistry();
    private final Admissions admissions = new Admissions(this);
    private final OnDemandChannels onDemand = new OnDemandChannels(this);
    private final IngestServers servers = new IngestServers(this);
    private volatile Ffmpeg ffmpeg;
    private MediaDisk disk;
    private ExecutorService threads;
    private ScheduledExecutorService timer;
    private FolderWatch folders;
    private Restreams restreams;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        IngestEndpoint endpoint = new IngestEndpoint(uri, this);
        endpoint.setChannel(remaining);
        setProperties(endpoint, parameters);
        ChannelIngest channel = channels.declare(remaining, endpoint.getPublishKey(), endpoint.getSrtPort(),
                declared -> new ChannelIngest(declared, this));
        if (endpoint.getSrtPort() > 0) {
            ffmpeg().srtUnsupported().ifPresent(reason -> {
                throw new InvalidOptionException("srtPort", endpoint.getSrtPort(), "the SRT port of channel "
                        + remaining + " " + reason);
            });
        }
        endpoint.setChannelIngest(channel);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        validateConfiguration();
        threads = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "ingest");
        timer = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "ingest-timer", 1);
        folders = new FolderWatch(threads);
        disk = new MediaDisk(Path.of(getMediaDir()), getMinFreeMb());
        admissions.start(getCamelContext());
        restreams = new Restreams(Math.round(getRestreamBufferMb() * 1024 * 1024),
                duration(getRestreamStallTimeout()).toMillis(), meters());
        if (getAdmissionRecheckInterval() > 0) {
            long every = duration(getAdmissionRecheckInterval()).toMillis();
            timer.scheduleWithFixedDelay(admissions::recheck, every, every, TimeUnit.MILLISECONDS);
        }
        long sweep = Math.min(10_000, Math.max(100, channelIdleTimeout().toMillis() / 4));
        timer.scheduleWithFixedDelay(onDemand::removeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        if (getChannelOwnership() != null) { // a channel taken for a publisher that never went live is given up
            timer.scheduleWithFixedDelay(() -> channels.all().forEach(channel -> channel.releaseIfUnused(UNUSED)),
                    10, 10, TimeUnit.SECONDS);
        }
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
        admissions.stop(getCamelContext());
        if (restreams != null) {
            restreams.close();
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

    /** The registry the application's meters go to, when it has exactly one. */
    private MeterRegistry meters() {
        Set<MeterRegistry> found = getCamelContext().getRegistry().findByType(MeterRegistry.class);
        return found.size() == 1 ? found.iterator().next() : null;
    }

    /** The restream destinations of the channel's session now, as the API shows them (none without a session). */
    public List<DestinationView> restream(String channel) {
        return restreams == null ? List.of() : restreams.views(channel);
    }

    /** Connections open on the RTMP server(s) now. */
    public int rtmpConnections() {
        return servers.rtmpConnections();
    }

    /** The reconnect grace in seconds the way a person writes them ({@code 15}, {@code 0.5}). */
    public String reconnectGraceSeconds() {
        return seconds(reconnectGrace());
    }

    /** The ffmpeg this component runs, found (and checked) the first time it is needed. */
    public Ffmpeg ffmpeg() {
        Ffmpeg found = ffmpeg;
        if (found == null) {
            synchronized (this) {
                if (ffmpeg == null) {
                    ffmpeg = Ffmpeg.locate(Optional.ofNullable(getFfmpegPath()));
                }
                found = ffmpeg;
            }
        }
        return found;
    }

    /** The name of the channel whose publishKey this is (compared in constant time), or null: for admission routes. */
    public String channelOfKey(@Header(StreamingHeaders.STREAM_KEY) String key) {
        return key == null ? null : channels.byKey(key).map(ChannelIngest::name).orElse(null);
    }

    /**
     * Ends the channel's session now with {@code reason} ({@code stopped}), its publishers cut, without a reconnect
     * grace. False when the channel has no session.
     */
    public boolean endSession(String channel, String reason) {
        ChannelIngest found = channels.get(channel);
        return found != null && found.endNow(null, reason);
    }

    /**
     * Cluster mode: another node has written the channel since this node took it (the origin refused this node's
     * playlist): the session leaves this node without another playlist write; its publishers are cut.
     */
    public void channelMoved(String channel) {
        ChannelIngest found = channels.get(channel);
        if (found != null) {
            found.moved();
        }
    }

    /** The channels this component has now (declared by a route, or made on demand), by name. */
    public Set<String> channelNames() {
        return Set.copyOf(channels.names());
    }

    /**
     * Binds the RTMP (and RTMPS) ports now, without waiting for a channel's route: with an admission endpoint, the
     * channels may all be made on demand.
     */
    public void listen() {
        servers.listen();
    }

    /**
     * In cluster mode, from now on this node hands its channels over when asked, lets them go when its leases are
     * lost, and takes up the sessions of nodes that died ({@link ClusterNotices}). Called once the channels' routes
     * run and the sessions this node left are taken up.
     */
    public void watchCluster() {
        if (getChannelOwnership() != null) {
            getChannelOwnership().listen(new ClusterNotices(this));
        }
    }

    /**
     * Makes the route of every channel with no route whose folder holds sessions an earlier run left unfinished (a
     * channel made on demand before a crash), so that they are taken up. Called once the configured routes run.
     */
    public void openLeftChannels() throws IOException {
        Path media = Path.of(getMediaDir());
        if (!Files.isDirectory(media)) {
            return;
        }
        try (Stream<Path> folders = Files.list(media)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                String name = folder.getFileName().toString();
                if (Channel.isValidName(name) && channels.get(name) == null
                        && !LeftSessions.in(name, folder).isEmpty()) {
                    onDemand.open(name);
                }
            }
        }
    }

    ChannelRegistry channels() {
        return channels;
    }

    Admissions admissions() {
        return admissions;
    }

    OnDemandChannels onDemand() {
        return onDemand;
    }

    IngestServers servers() {
        return servers;
    }

    Path channelFolder(String channel) {
        return Path.of(getMediaDir()).resolve(channel);
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

    Restreams restreams() {
        return restreams;
    }

    ScheduledExecutorService timer() {
        return timer;
    }
}
