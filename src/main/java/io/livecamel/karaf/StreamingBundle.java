package io.livecamel.karaf;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.livecamel.routes.StreamingConfiguration;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.ResourceHelper;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher as a Karaf bundle: its settings are the configuration {@value #PID} ({@code etc/io.livecamel.streaming.cfg},
 * the same {@code streaming.*} names as application.properties). Each time they change, the Camel context is made
 * again with them: the same {@link StreamingConfiguration} and the same YAML routes as the standalone application,
 * read from the bundle (camel-karaf has no YAML route loader of its own), without the HTTP side (Karaf has its own).
 */
public final class StreamingBundle implements BundleActivator, ManagedService {

    public static final String PID = "io.livecamel.streaming";
    /** The flow, in the order the routes refer to each other; http.camel.yaml is the standalone application's. */
    static final List<String> ROUTE_FILES = List.of("origin.camel.yaml", "sessions.camel.yaml", "channel.camel.yaml");

    private static final Logger LOG = LoggerFactory.getLogger(StreamingBundle.class);

    /** Starts and stops Camel off Configuration Admin's thread, one change after the other. */
    private final ExecutorService changes = Executors.newSingleThreadExecutor(r -> new Thread(r, "live-streaming-config"));
    private BundleContext bundle;
    private ServiceRegistration<ManagedService> registration;
    private CamelContext camel; // only touched on the changes thread

    @Override
    public void start(BundleContext bundle) {
        this.bundle = bundle;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, PID);
        registration = bundle.registerService(ManagedService.class, this, properties);
    }

    @Override
    public void stop(BundleContext bundle) throws InterruptedException {
        registration.unregister();
        changes.execute(this::stopCamel);
        changes.shutdown();
        changes.awaitTermination(1, TimeUnit.MINUTES);
    }

    @Override
    public void updated(Dictionary<String, ?> configuration) {
        Properties settings = new Properties();
        if (configuration != null) {
            for (String name : Collections.list(configuration.keys())) {
                settings.setProperty(name, String.valueOf(configuration.get(name)));
            }
        }
        changes.execute(() -> {
            stopCamel();
            if (configuration == null) {
                LOG.info("Live streaming waits for its settings: etc/{}.cfg", PID);
                return;
            }
            startCamel(settings);
        });
    }

    private void startCamel(Properties settings) {
        try {
            if (StreamingSettings.read(name -> Optional.ofNullable(settings.getProperty(name))).s3Embedded()) {
                LOG.error("Live streaming cannot start: the embedded S3 server is not part of the Karaf feature. "
                        + "In etc/{}.cfg set streaming.s3.embedded = false and the S3 service's "
                        + "streaming.s3.* settings", PID);
                return;
            }
        } catch (RuntimeException e) {
            LOG.error("Live streaming cannot start: {}", e.getMessage());
            return;
        }
        CamelContext context = new OsgiDefaultCamelContext(bundle);
        try {
            context.getCamelContextExtension().setName("live-streaming");
            context.getPropertiesComponent().setInitialProperties(settings);
            // as in the standalone application: an origin that is down (or refuses) at start does not stop the flow,
            // its routes are started again in the background (with Camel's back-off) while segments wait on disk
            context.getRouteController().supervising();
            new StreamingConfiguration().configure(context);
            YamlRoutesBuilderLoader yaml = new YamlRoutesBuilderLoader();
            yaml.setCamelContext(context);
            yaml.start();
            for (String file : ROUTE_FILES) {
                context.addRoutes(yaml.loadRoutesBuilder(ResourceHelper.fromBytes("classpath:live-streaming/" + file,
                        routeFile(file))));
            }
            // camel-karaf's context is initialised when made: it turns routes added since into routes only when told
            ((ModelCamelContext) context).startRouteDefinitions();
            context.start();
            camel = context;
        } catch (Exception | LinkageError e) {
            LOG.error("Live streaming cannot start: {}", e.getMessage(), e);
            context.stop();
        }
    }

    private static byte[] routeFile(String file) throws IOException {
        try (InputStream in = StreamingBundle.class.getResourceAsStream("/live-streaming/" + file)) {
            if (in == null) {
                throw new IOException("live-streaming/" + file + " is missing from the bundle");
            }
            return in.readAllBytes();
        }
    }

    private void stopCamel() {
        if (camel != null) {
            camel.stop();
            camel = null;
        }
    }
}
