package io.livecamel.routes;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.livecamel.ingest.Channel;
import io.livecamel.ingest.ChannelRouteFactory;
import io.livecamel.ingest.IngestComponent;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

/**
 * Creates each channel's route from the template {@code live-channel} in {@code routes-yaml/channel.camel.yaml}:
 * the configured channels' at start-up, and a channel's the admission route names when its first publisher is
 * admitted ({@link ChannelRouteFactory}: a channel on demand, removed again once idle); makes them all again when the
 * template is edited ({@link #recreate}). Once the routes run, the admission route ({@code admit-publisher}), when
 * the application has it, decides who may publish. A channel whose route the application already has (a
 * {@code templatedRoute} of its own) is left to it. Another Camel application can create the same routes for its
 * own channels with {@code templatedRoute} or {@link CamelContext#addRouteFromTemplate}.
 */
public final class ChannelRoutes implements ExtendedStartupListener, ChannelRouteFactory {

    public static final String TEMPLATE = "live-channel";
    public static final String ADMISSION_ROUTE = "admit-publisher";

    private final StreamingSettings settings;
    private final IngestComponent ingest;
    private final Set<String> onDemand = ConcurrentHashMap.newKeySet();
    private volatile CamelContext context;

    public ChannelRoutes(StreamingSettings settings, IngestComponent ingest) {
        this.settings = settings;
        this.ingest = ingest;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the templates are loaded with the YAML routes; the routes are added once the context runs
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
        context = started;
        for (Channel channel : settings.channels()) {
            if (context.getRoute(routeId(channel.name())) == null) {
                add(channel.name(), parameters(channel));
            }
        }
        if (context.getRoute(ADMISSION_ROUTE) != null) {
            ingest.setAdmission("direct:" + ADMISSION_ROUTE);
            ingest.listen(); // every channel may be made on demand: none declares the port
        }
        ingest.openLeftChannels();
        ingest.watchCluster();
    }

    /** A channel the admission route named: its route, from the template, without a key. */
    @Override
    public synchronized void create(String channel) throws Exception {
        if (context.getRoute(routeId(channel)) == null) {
            onDemand.add(channel);
            add(channel, Map.of("channel", channel));
        }
    }

    @Override
    public synchronized void remove(String channel) throws Exception {
        String routeId = routeId(channel);
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
        onDemand.remove(channel);
    }

    /**
     * Replaces every channel's route with one made from the template just edited. A channel's sessions go on
     * meanwhile: its events wait for the new route.
     */
    public synchronized void recreate(CamelContext edited, Collection<String> templates) throws Exception {
        if (!templates.contains(TEMPLATE)) {
            return;
        }
        for (Channel channel : settings.channels()) {
            replace(edited, channel.name(), parameters(channel));
        }
        for (String channel : List.copyOf(onDemand)) {
            replace(edited, channel, Map.of("channel", channel));
        }
    }

    private void replace(CamelContext edited, String channel, Map<String, Object> parameters) throws Exception {
        String routeId = routeId(channel);
        edited.getRouteController().stopRoute(routeId);
        edited.removeRoute(routeId);
        add(channel, parameters);
    }

    private void add(String channel, Map<String, Object> parameters) throws Exception {
        String routeId = routeId(channel);
        // the key as a placeholder: its value is never part of a route definition
        context.addRouteFromTemplate(routeId, TEMPLATE, parameters);
        // the supervising route controller only starts the routes it found at start-up
        if (!context.getRouteController().getRouteStatus(routeId).isStarted()) {
            context.getRouteController().startRoute(routeId);
        }
    }

    /** A configured channel's template parameters: the key as a placeholder, never its value. */
    private static Map<String, Object> parameters(Channel channel) {
        return Map.of("channel", channel.name(), "key", "{{" + keyProperty(channel) + "}}",
                "srtPort", Integer.toString(channel.srtPort().orElse(0)));
    }

    /** The id of a channel's route. */
    public static String routeId(String channel) {
        return "live-" + channel;
    }

    /** The property that holds a channel's stream key. */
    static String keyProperty(Channel channel) {
        return "streaming.channels." + channel.name() + ".key";
    }
}
