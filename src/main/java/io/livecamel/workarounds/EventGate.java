package io.livecamel.workarounds;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.livecamel.ingest.IngestComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gate at the entrance of every channel route (every route that takes an {@code hls-ingest} endpoint's events): it
 * can be closed between two events, so that while routes they call are replaced (a YAML file edited), no event is
 * half-way through them. A channel route finishes the event it is on; the next one waits at the gate, in order, and
 * goes on when the gate opens.
 */
public final class EventGate implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(EventGate.class);
    private static final long REPORT_EVERY_MILLIS = 10_000;

    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final Object gate = new Object();
    private boolean held;

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || definition.getInput() == null
                || !definition.getInput().getEndpointUri().startsWith(IngestComponent.SCHEME + ":")) {
            return null;
        }
        AtomicInteger atEntrance = waiting.computeIfAbsent(routeId, id -> new AtomicInteger());
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                synchronized (gate) {
                    atEntrance.incrementAndGet();
                    try {
                        while (held) {
                            gate.wait();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        atEntrance.decrementAndGet();
                    }
                }
            }
        };
    }

    /** Closes the gate and returns once no channel route is inside an event: each finishes the one it is on. */
    public void hold(CamelContext context) throws InterruptedException {
        synchronized (gate) {
            held = true;
        }
        long reported = System.currentTimeMillis();
        while (true) {
            String busy = busyRoute(context);
            if (busy == null) {
                return;
            }
            if (System.currentTimeMillis() - reported > REPORT_EVERY_MILLIS) {
                LOG.info("Waiting for route {} to finish its event before the routes are replaced (is the origin "
                        + "answering?)", busy);
                reported = System.currentTimeMillis();
            }
            Thread.sleep(20);
        }
    }

    /** Opens the gate: each channel route goes on with the event waiting at it. */
    public void release() {
        synchronized (gate) {
            held = false;
            gate.notifyAll();
        }
    }

    private String busyRoute(CamelContext context) {
        for (Map.Entry<String, AtomicInteger> route : waiting.entrySet()) {
            // an event waiting at the entrance counts as in flight, but has not started
            if (context.getInflightRepository().size(route.getKey()) > route.getValue().get()) {
                return route.getKey();
            }
        }
        return null;
    }
}
