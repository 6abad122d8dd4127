package io.livecamel.routes;

import java.util.Collection;
import java.util.Map;

import io.livecamel.ingest.Channel;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

/**
 * Creates each configured channel's route from the template {@code live-channel} in
 * {@code routes-yaml/channel.camel.yaml}, and makes them again when the template is edited ({@link #recreate}). A
 * channel whose route the application already has (a {@code templatedRoute} of its own) is left to it. Another Camel
 * application can create the same routes for its own channels with {@code templatedRoute} or
 * {@link CamelContext#addRouteFromTemplate}.
 */
public final class ChannelRoutes implements ExtendedStartupListener {

    public static final String TEMPLATE = "live-channel";

    private final StreamingSettings settings;

    public ChannelRoutes(StreamingSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the templates are loaded with the YAML routes; the routes are added once the context runs
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        for (Channel channel : settings.channels()) {
            if (context.getRoute(routeId(channel)) == null) {
                add(context, channel);
            }
        }
    }

    /**
     * Replaces every configured channel's route with one made from the template just edited. A channel's sessions go
     * on meanwhile: its events wait for the new route.
     */
    public void recreate(CamelContext context, Collection<String> templates) throws Exception {
        if (!templates.contains(TEMPLATE)) {
            return;
        }
        for (Channel channel : settings.channels()) {
            String routeId = routeId(channel);
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
            add(context, channel);
        }
    }

    private static void add(CamelContext context, Channel channel) throws Exception {
        String routeId = routeId(channel);
        // the key as a placeholder: its value is never part of a route definition
        context.addRouteFromTemplate(routeId, TEMPLATE, Map.of("channel", channel.name(),
                "key", "{{" + keyProperty(channel) + "}}",
                "srtPort", Integer.toString(channel.srtPort().orElse(0))));
        // the supervising route controller only starts the routes it found at start-up
        if (!context.getRouteController().getRouteStatus(routeId).isStarted()) {
            context.getRouteController().startRoute(routeId);
        }
    }

    /** The id of a channel's route. */
    public static String routeId(Channel channel) {
        return "live-" + channel.name();
    }

    /** The property that holds a channel's stream key. */
    static String keyProperty(Channel channel) {
        return "streaming.channels." + channel.name() + ".key";
    }
}
