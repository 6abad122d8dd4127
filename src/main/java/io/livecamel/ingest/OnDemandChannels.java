package io.livecamel.ingest;

import java.time.Duration;
import java.util.List;

import io.livecamel.media.Admission;
import io.livecamel.media.PublishRequest;
import io.livecamel.media.PublisherLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels the admission route names that no route declares: each is made when its first publisher is admitted
 * (its route from the application's {@link ChannelRouteFactory}), and removed once nothing has happened on it for
 * the component's {@code channelIdleTimeout} (no session, no event waiting, nobody admitted), so that a channel costs
 * nothing while nobody publishes to it. Making, admitting to and removing a channel made here hold one lock: a publisher is never
 * admitted to a channel on its way out.
 */
final class OnDemandChannels {

    private static final Logger LOG = LoggerFactory.getLogger(OnDemandChannels.class);

    private final IngestComponent component;

    OnDemandChannels(IngestComponent component) {
        this.component = component;
    }

    /** Admits a publisher to the channel the admission named, made now if it has no route. */
    Admission admit(String name, PublisherLink link, PublishRequest request, SessionTerms terms) {
        ChannelRegistry registry = component.channels();
        ChannelIngest channel = registry.get(name);
        if (channel != null && !registry.isOnDemand(name)) {
            return channel.admit(link, request, terms);
        }
        synchronized (this) {
            channel = open(name);
            return channel == null ? Admission.failed(name, "channel " + name + " could not be made")
                    : channel.admit(link, request, terms);
        }
    }

    /**
     * The channel of that name, its route made if it has none (channels left unfinished by an earlier run are made
     * so at start-up); null when it cannot be.
     */
    synchronized ChannelIngest open(String name) {
        ChannelRegistry registry = component.channels();
        ChannelIngest channel = registry.get(name);
        ChannelRouteFactory routes = component.getChannelRouteFactory();
        if (channel != null || routes == null) {
            if (channel == null) {
                LOG.warn("Channel {} has no route, and the component has no channel route factory to make one", name);
            }
            return channel;
        }
        registry.markOnDemand(name);
        try {
            routes.create(name);
        } catch (Exception e) {
            LOG.error("Channel {}: its route could not be made: {}", name, e.toString(), e);
        }
        channel = registry.get(name);
        if (channel == null) {
            registry.forget(name);
        } else {
            LOG.info("Channel {} is open (made on demand)", name);
        }
        return channel;
    }

    /** Removes the channels made on demand that have been idle for the component's {@code channelIdleTimeout}. */
    void removeIdle() {
        ChannelRegistry registry = component.channels();
        for (ChannelIngest channel : List.copyOf(registry.all())) {
            if (registry.isOnDemand(channel.name())
                    && channel.idleFor().compareTo(component.channelIdleTimeout()) >= 0) {
                remove(channel);
            }
        }
    }

    private synchronized void remove(ChannelIngest channel) {
        Duration idle = component.channelIdleTimeout();
        if (channel.idleFor().compareTo(idle) < 0 || component.getCamelContext().isStopping()) {
            return; // admitted meanwhile
        }
        try {
            component.getChannelRouteFactory().remove(channel.name());
        } catch (Exception e) {
            LOG.warn("Channel {}: its route could not be removed: {}", channel.name(), e.toString());
            return;
        }
        component.channels().forget(channel.name());
        channel.close();
        LOG.info("Channel {} is closed: nothing happened on it for {} s", channel.name(),
                IngestOptions.seconds(idle));
    }
}
