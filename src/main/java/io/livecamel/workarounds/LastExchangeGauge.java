package io.livecamel.workarounds;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.impl.event.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * Has Camel's metrics register their {@code camel.exchanges.last.timestamp} gauge before any route runs. Camel
 * (4.13 and later) registers it when an exchange finishes, after checking that it is not there yet: two exchanges
 * finishing together for the first time (two channel routes, or one and an HTTP request) both register it, and
 * Micrometer logs "This Gauge has been already registered" (seen on CI). One finished exchange handed to Camel's
 * notifier before any route runs registers it on one thread; the gauge then reads the start-up time until the first
 * real exchange finishes. Before any route runs is when the routes start with Camel's default route controller, and
 * when the context has started with the supervising one (which starts the routes just after that event).
 */
public final class LastExchangeGauge extends SimpleEventNotifierSupport {

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextRoutesStartingEvent
                || event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) throws Exception {
        CamelContext context = ((CamelEvent.CamelContextEvent) event).getContext();
        for (EventNotifier notifier : context.getManagementStrategy().getEventNotifiers()) {
            if (notifier instanceof MicrometerExchangeEventNotifier exchanges) {
                exchanges.notify(new ExchangeCompletedEvent(new DefaultExchange(context)));
            }
        }
    }
}
