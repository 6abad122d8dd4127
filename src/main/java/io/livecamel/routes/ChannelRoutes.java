package io.livecamel.routes;

import java.util.Map;

import io.livecamel.settings.Channel;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

/**
 * Creates each configured channel's routes from the templates in {@code routes-yaml/channel.camel.yaml}: the
 * origin lane first, then the file watch, then the ingest, so that on shutdown (reverse order) the listener
 * stops first and the lane drains last. Another Camel application can create the same routes for its own
 * channels with {@code templatedRoute} or {@link CamelContext#addRouteFromTemplate}.
 */
public final class ChannelRoutes implements ExtendedStartupListener {

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
            String name = channel.name();
            add(context, name + "-origin", "channel-origin", Map.of("channel", name));
            add(context, name + "-watch", "channel-watch", Map.of("channel", name,
                    "folder", settings.mediaDir().resolve(name).toAbsolutePath().toString()));
            add(context, name + "-ingest", "channel-ingest", Map.of("channel", name));
        }
    }

    private static void add(CamelContext context, String routeId, String template, Map<String, Object> parameters)
            throws Exception {
        context.addRouteFromTemplate(routeId, template, parameters);
        // the supervising route controller only starts the routes it found at start-up
        if (!context.getRouteController().getRouteStatus(routeId).isStarted()) {
            context.getRouteController().startRoute(routeId);
        }
    }
}
