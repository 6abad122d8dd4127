package io.livecamel.routes;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.livecamel.settings.Channel;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

/**
 * Creates each configured channel's routes from the templates in {@code routes-yaml/channel.camel.yaml}: the
 * origin lane first, then the file watch, then the ingest, so that on shutdown (reverse order) the listener
 * stops first and the lane drains last. When a template is edited, {@link #recreate} replaces the routes made from
 * it. Another Camel application can create the same routes for its own channels with {@code templatedRoute} or
 * {@link CamelContext#addRouteFromTemplate}.
 */
public final class ChannelRoutes implements ExtendedStartupListener {

    static final String ORIGIN = "channel-origin";
    static final String WATCH = "channel-watch";
    static final String INGEST = "channel-ingest";
    /** The order routes are created in; they are replaced in the reverse order. */
    private static final List<String> TEMPLATES = List.of(ORIGIN, WATCH, INGEST);
    private static final List<String> REPLACEMENT_ORDER = List.of(INGEST, WATCH, ORIGIN);
    /** A lane being replaced first takes every event already queued for it, for as long as that takes. */
    private static final long STOP_TIMEOUT_MINUTES = 10;

    private final StreamingSettings settings;

    public ChannelRoutes(StreamingSettings settings) {
        this.settings = settings;
    }

    /** Whether a route is a channel's origin lane (see {@link OriginLanes}). */
    public boolean isLane(String routeId) {
        return settings.channels().stream().anyMatch(channel -> routeId(channel, ORIGIN).equals(routeId));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the templates are loaded with the YAML routes; the routes are added once the context runs
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        for (Channel channel : settings.channels()) {
            for (String template : TEMPLATES) {
                add(context, channel, template);
            }
        }
    }

    /**
     * Replaces every channel's routes made from these templates (just edited) with new ones. A channel's sessions
     * go on meanwhile: the ingest's events wait for its new route, the lane's stay queued for the new lane.
     */
    public void recreate(CamelContext context, Collection<String> templates) throws Exception {
        for (Channel channel : settings.channels()) {
            for (String template : REPLACEMENT_ORDER) {
                if (templates.contains(template)) {
                    String routeId = routeId(channel, template);
                    context.getRouteController().stopRoute(routeId, STOP_TIMEOUT_MINUTES, TimeUnit.MINUTES);
                    context.removeRoute(routeId);
                    add(context, channel, template);
                }
            }
        }
    }

    private void add(CamelContext context, Channel channel, String template) throws Exception {
        String routeId = routeId(channel, template);
        context.addRouteFromTemplate(routeId, template, parameters(channel, template));
        // the supervising route controller only starts the routes it found at start-up
        if (!context.getRouteController().getRouteStatus(routeId).isStarted()) {
            context.getRouteController().startRoute(routeId);
        }
    }

    private Map<String, Object> parameters(Channel channel, String template) {
        if (WATCH.equals(template)) {
            return Map.of("channel", channel.name(),
                    "folder", settings.mediaDir().resolve(channel.name()).toAbsolutePath().toString());
        }
        if (INGEST.equals(template)) {
            // the key as a placeholder: its value is never part of a route definition
            return Map.of("channel", channel.name(), "key", "{{" + keyProperty(channel) + "}}",
                    "srtPort", Integer.toString(channel.srtPort().orElse(0)));
        }
        return Map.of("channel", channel.name());
    }

    /** The property that holds a channel's stream key. */
    static String keyProperty(Channel channel) {
        return "streaming.channels." + channel.name() + ".key";
    }

    private static String routeId(Channel channel, String template) {
        return channel.name() + "-" + template.substring("channel-".length());
    }
}
