package io.livecamel.routes;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.livecamel.cdn.CdnInvalidation;
import io.livecamel.ingest.IngestComponent;
import io.livecamel.origin.EmbeddedOrigin;
import io.livecamel.origin.Origin;
import io.livecamel.origin.Recordings;
import io.livecamel.origin.S3Clients;
import io.livecamel.origin.SessionRecovery;
import io.livecamel.ingest.Channel;
import io.livecamel.settings.InvalidSettingException;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.CamelConfiguration;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.origin.OriginMetrics;
import io.livecamel.web.ChannelsApi;
import io.livecamel.ingest.ListenersHealthCheck;
import io.livecamel.web.MediaFiles;
import io.livecamel.web.OriginHealthCheck;
import io.livecamel.ingest.StorageHealthCheck;
import io.livecamel.web.ViewerPages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads and checks the settings, then binds what the YAML routes use: the {@code hls-ingest} component, the
 * {@code origin} bean, the {@code s3Client} and the {@code cdn} invalidation; in embedded mode it starts the
 * S3-compatible server first.
 */
public class StreamingConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        maskKeys(context);
        StreamingSettings settings = StreamingSettings.read(context.getPropertiesComponent()::resolveProperty,
                propertyNames(context.getPropertiesComponent()));
        routeDefaults(context, settings);
        IngestComponent ingest = ingestComponent(settings);
        for (Channel channel : settings.channels()) {
            if (channel.srtPort().isPresent()) {
                String name = channel.name();
                ingest.srtUnsupported().ifPresent(reason -> {
                    throw new InvalidSettingException("streaming.channels." + name + ".srt-port " + reason);
                });
            }
            if (channel.generatedKey()) { // the routes read every key as a property; a made-up one is added
                context.getPropertiesComponent().addOverrideProperty(ChannelRoutes.keyProperty(channel),
                        channel.key());
            }
        }
        LOG.info("Using ffmpeg {} ({})", ingest.ffmpeg().version(), ingest.ffmpeg().executable());

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
        Origin origin = new Origin(settings, metrics);

        context.getRegistry().bind("streamingSettings", settings);
        context.getRegistry().bind("s3Client", s3);
        context.getRegistry().bind("origin", origin);
        context.getRegistry().bind("sessionRecovery", new SessionRecovery(origin, s3, settings));
        context.getRegistry().bind("originMetrics", metrics);
        context.getRegistry().bind("uploadFailure", (Processor) exchange -> metrics.uploadFailed(
                exchange.getMessage().getHeader(StreamingHeaders.CHANNEL, String.class)));
        context.getRegistry().bind("viewerPages", new ViewerPages(settings));
        context.getRegistry().bind("channelsApi", new ChannelsApi(settings, origin));
        context.getRegistry().bind("recordings", new Recordings(s3, settings));
        context.getRegistry().bind("mediaFiles", new MediaFiles(settings));
        // the health-check registry picks up checks bound in the registry
        context.getRegistry().bind("listenersHealthCheck", new ListenersHealthCheck(ingest.states()));
        context.getRegistry().bind("storageHealthCheck", new StorageHealthCheck(ingest));
        context.getRegistry().bind("originHealthCheck", new OriginHealthCheck(s3, settings, origin));
        context.getRegistry().bind("cdn", cdn);
        context.getRegistry().bind("sessionEvent", new SessionEvent());
        context.addComponent(IngestComponent.SCHEME, ingest);
        ChannelRoutes channelRoutes = new ChannelRoutes(settings);
        context.addStartupListener(channelRoutes);
        OriginLanes lanes = new OriginLanes();
        context.addRoutePolicyFactory(lanes);
        RouteWatcherReloadStrategy reload = context.hasService(RouteWatcherReloadStrategy.class);
        if (reload != null) { // camel.main.routes-reload-enabled
            LiveRouteFiles files = new LiveRouteFiles(context, lanes, channelRoutes);
            files.remember(Path.of(reload.getFolder()), reload.getPattern());
            reload.setResourceReload(files);
            context.getRegistry().bind("routeFilesHealthCheck", new RouteFilesHealthCheck(files));
        }
        new OriginCheck(s3, settings).startInBackground();
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
     * A channel's key is a property ({@code streaming.channels.<name>.key}): Camel masks it wherever it shows
     * properties (Camel Main's placeholders summary printed one). Camel 4.10 (Karaf) has no such setting, and no
     * summary: called by name, so the bundle runs there too.
     */
    static void maskKeys(CamelContext context) {
        Object extension = context.getCamelContextExtension();
        try {
            // the public interface's methods: the implementation class is not public
            Method get = ExtendedCamelContext.class.getMethod("getAdditionalSensitiveKeywords");
            Method set = ExtendedCamelContext.class.getMethod("setAdditionalSensitiveKeywords", String.class);
            String sensitive = (String) get.invoke(extension);
            set.invoke(extension, sensitive == null || sensitive.isBlank() ? "key" : sensitive + ",key");
        } catch (NoSuchMethodException e) {
            LOG.debug("This Camel has no additional sensitive keywords");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot mark stream keys as sensitive", e);
        }
    }

    /**
     * The settings the YAML routes read as placeholders, with their defaults for an application that does not set
     * them (its own values win).
     */
    public static void routeDefaults(CamelContext context, StreamingSettings settings) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Map<String, String> defaults = Map.of(
                "streaming.s3.bucket", settings.s3Bucket(),
                "streaming.reconnect-grace", StreamingSettings.seconds(settings.reconnectGrace()),
                "streaming.recording", Boolean.toString(settings.recording()),
                "streaming.cloudfront.invalidation-interval",
                Integer.toString(settings.cloudFrontInvalidationInterval()));
        defaults.forEach((name, value) -> {
            if (properties.resolveProperty(name).isEmpty()) {
                properties.addInitialProperty(name, value);
            }
        });
    }

    /** The {@code hls-ingest} component with the application's settings. */
    static IngestComponent ingestComponent(StreamingSettings settings) {
        IngestComponent ingest = new IngestComponent();
        ingest.setRtmpPort(settings.rtmpPort());
        settings.rtmpsPort().ifPresent(ingest::setRtmpsPort);
        settings.rtmpsCertificate().ifPresent(file -> ingest.setRtmpsCertificate(file.toString()));
        settings.rtmpsPrivateKey().ifPresent(file -> ingest.setRtmpsPrivateKey(file.toString()));
        settings.ffmpegPath().ifPresent(ingest::setFfmpegPath);
        ingest.setMediaDir(settings.mediaDir().toString());
        ingest.setHlsTime(settings.hlsTime());
        ingest.setHlsListSize(settings.hlsListSize());
        ingest.setReconnectGrace(settings.reconnectGrace().toMillis() / 1000.0);
        ingest.setMinFreeMb(settings.minFreeMb());
        ingest.setMaxBacklog(settings.maxBacklog());
        return ingest;
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
