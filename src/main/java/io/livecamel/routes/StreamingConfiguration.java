package io.livecamel.routes;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.livecamel.admission.BackendAnswer;
import io.livecamel.admission.HttpBackend;
import io.livecamel.cdn.CdnInvalidation;
import io.livecamel.cluster.ChannelLeases;
import io.livecamel.cluster.ClusterHealthCheck;
import io.livecamel.cluster.ClusterNode;
import io.livecamel.ingest.Channel;
import io.livecamel.ingest.IngestComponent;
import io.livecamel.ingest.IngestCalls;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.origin.EmbeddedOrigin;
import io.livecamel.origin.Origin;
import io.livecamel.origin.OriginMetrics;
import io.livecamel.origin.S3Clients;
import io.livecamel.origin.SessionRecovery;
import io.livecamel.settings.ClusterSettings;
import io.livecamel.settings.IngestSettings;
import io.livecamel.settings.InvalidSettingException;
import io.livecamel.settings.StreamingSettings;
import io.livecamel.web.ChannelControl;
import io.livecamel.web.ChannelsApi;
import io.livecamel.web.MediaFiles;
import io.livecamel.web.OriginHealthCheck;
import io.livecamel.web.ViewerPages;
import io.livecamel.workarounds.EventGate;
import io.livecamel.workarounds.LastExchangeGauge;
import io.livecamel.workarounds.LiveRouteFiles;
import io.livecamel.workarounds.RouteFilesHealthCheck;
import io.livecamel.workarounds.StreamKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads and checks the settings, then binds what the YAML routes use: the {@code hls-ingest} component (its options
 * from the {@code streaming.*} settings, {@link IngestSettings}), the origin's beans ({@code segments},
 * {@code playlists}, {@code sessions}, {@code recordings}), the {@code s3Client} and the {@code cdn} invalidation; in
 * embedded mode it starts the S3-compatible server first.
 */
public class StreamingConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        StreamKeys.maskIn(context);
        PropertiesComponent properties = context.getPropertiesComponent();
        StreamingSettings settings = StreamingSettings.read(properties::resolveProperty,
                propertyNames(properties));
        IngestComponent ingest = IngestSettings.component(context, properties::resolveProperty, settings);
        routeDefaults(context, settings, ingest);
        for (Channel channel : settings.channels()) {
            if (channel.srtPort().isPresent()) {
                String name = channel.name();
                ingest.ffmpeg().srtUnsupported().ifPresent(reason -> {
                    throw new InvalidSettingException("streaming.channels." + name + ".srt-port " + reason);
                });
            }
            if (channel.generatedKey()) { // the routes read every key as a property; a made-up one is added
                properties.addOverrideProperty(ChannelRoutes.keyProperty(channel), channel.key());
            }
        }
        LOG.info("Using ffmpeg {} ({})", ingest.ffmpeg().version(), ingest.ffmpeg().executable());

        if (settings.cluster().isPresent()) {
            joinCluster(context, settings.cluster().get(), ingest);
        }
        S3Client s3;
        if (settings.s3Embedded()) {
            EmbeddedOrigin embedded = new EmbeddedOrigin(settings.s3EmbeddedPort(), settings.s3EmbeddedDir(),
                    settings.s3Bucket());
            embedded.start();
            context.addService(embedded, true);
            s3 = S3Clients.forEmbedded(settings, embedded);
        } else {
            s3 = S3Clients.forSettings(settings);
        }
        context.addService(s3, true);
        CdnInvalidation cdn = new CdnInvalidation(settings);
        context.addService(cdn, true);

        OriginMetrics metrics = new OriginMetrics(meterRegistry(context));
        context.getManagementStrategy().addEventNotifier(new LastExchangeGauge());
        Path mediaDir = Path.of(ingest.getMediaDir());
        Origin origin = new Origin(settings, mediaDir, metrics, s3);

        context.getRegistry().bind("streamingSettings", settings);
        context.getRegistry().bind("s3Client", s3);
        context.getRegistry().bind("origin", origin);
        origin.beans().forEach(context.getRegistry()::bind);
        SessionRecovery recovery = new SessionRecovery(origin, s3, settings);
        context.getRegistry().bind("sessionRecovery", recovery);
        ingest.setSessionOrigin(recovery); // cluster mode: what the origin holds of a channel this node takes
        context.getRegistry().bind("originMetrics", metrics);
        context.getRegistry().bind("uploadFailure", (Processor) exchange -> metrics.uploadFailed(
                exchange.getMessage().getHeader(StreamingHeaders.CHANNEL, String.class)));
        context.getRegistry().bind("viewerPages", new ViewerPages(settings, origin.recordings()));
        context.getRegistry().bind("channelsApi", new ChannelsApi(settings, origin, ingest));
        settings.apiToken().ifPresent(token -> context.getRegistry().bind("channelControl",
                new ChannelControl(ingest, origin.recordings(), token)));
        context.getRegistry().bind("mediaFiles", new MediaFiles(settings, mediaDir));
        // the health-check registry picks up checks bound in the registry (the component registers its own)
        context.getRegistry().bind("originHealthCheck", new OriginHealthCheck(s3, settings, origin));
        context.getRegistry().bind("cdn", cdn);
        context.getRegistry().bind("sessionEvent", new SessionEvent());
        context.addComponent(IngestComponent.SCHEME, ingest);
        // who may publish (admission.camel.yaml): the channels' keys, or the HTTP backend
        context.getRegistry().bind("ingest", new IngestCalls(ingest)); // not the component: see IngestCalls
        settings.admissionUrl().ifPresent(url -> context.getRegistry().bind("admissionBackend", new HttpBackend(url,
                settings.admissionSecret().orElse(null), ingest.admissionTimeout())));
        context.getRegistry().bind("backendAnswer", new BackendAnswer());
        ChannelRoutes channelRoutes = new ChannelRoutes(settings, ingest);
        ingest.setChannelRouteFactory(channelRoutes);
        context.addStartupListener(channelRoutes);
        EventGate gate = new EventGate();
        context.addRoutePolicyFactory(gate);
        RouteWatcherReloadStrategy reload = context.hasService(RouteWatcherReloadStrategy.class);
        if (reload != null) { // camel.main.routes-reload-enabled
            LiveRouteFiles files = new LiveRouteFiles(context, gate, channelRoutes::recreate);
            files.remember(Path.of(reload.getFolder()), reload.getPattern());
            reload.setResourceReload(files);
            context.getRegistry().bind("routeFilesHealthCheck", new RouteFilesHealthCheck(files));
        }
        new OriginCheck(s3, settings).startInBackground(context);
    }

    /**
     * Cluster mode: this node joins ZooKeeper (start-up stops with one message if it cannot), and the health check
     * {@code cluster} says how that stands. A session must outlast a publisher's reconnect no more than the grace.
     */
    private static void joinCluster(CamelContext context, ClusterSettings cluster, IngestComponent ingest)
            throws Exception {
        if (cluster.sessionTimeout().compareTo(ingest.reconnectGrace()) >= 0) {
            throw new InvalidSettingException("streaming.cluster.session-timeout ("
                    + cluster.sessionTimeout().toMillis() / 1000.0 + " s) must be less than streaming.reconnect-grace "
                    + "(" + ingest.reconnectGraceSeconds() + " s): a dead node's channels must be free before their "
                    + "publisher's grace is over");
        }
        ClusterNode node = new ClusterNode(cluster);
        node.start();
        context.addService(node, true);
        context.getRegistry().bind("clusterNode", node);
        context.getRegistry().bind("clusterHealthCheck", new ClusterHealthCheck(node));
        ChannelLeases leases = new ChannelLeases(node);
        context.addService(leases, true);
        ingest.setChannelOwnership(leases); // one writer per channel: its lease
    }

    /**
     * The registry Camel's metrics use (camel-micrometer), so that the streaming meters are served beside them on
     * {@code /observe/metrics}: the one already bound, or a Prometheus one bound for both.
     */
    static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry found = MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (found == null) {
            found = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, found);
        }
        return found;
    }

    /**
     * The settings the YAML routes read as placeholders, with their values for an application that does not set
     * them (its own values win): each default is where the setting is (the settings, the component).
     */
    public static void routeDefaults(CamelContext context, StreamingSettings settings, IngestComponent ingest) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Map<String, String> defaults = Map.of(
                "streaming.s3.bucket", settings.s3Bucket(),
                "streaming.reconnect-grace", ingest.reconnectGraceSeconds(),
                "streaming.cloudfront.invalidation-interval",
                Integer.toString(settings.cloudFrontInvalidationInterval()));
        defaults.forEach((name, value) -> {
            if (properties.resolveProperty(name).isEmpty()) {
                properties.addInitialProperty(name, value);
            }
        });
    }

    /**
     * Every property name the application can see, wherever it comes from (application.properties, -D system
     * properties, environment variables), so that a channel can be declared in any of them.
     */
    static Set<String> propertyNames(PropertiesComponent properties) {
        // the configured locations, with the initial and override properties
        Set<String> names = new HashSet<>(properties.loadProperties().stringPropertyNames());
        names.addAll(System.getProperties().stringPropertyNames());
        names.addAll(System.getenv().keySet());
        return names;
    }
}
