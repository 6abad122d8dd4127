package io.livecamel.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a channel's events to its route, one at a time and in order, on a thread of the component's pool taken while
 * events wait ({@link OneAtATime}): each is a message whose headers say what happened ({@code StreamingEvent}: an
 * {@link IngestEvent}). The sessions do not depend on it: when its route is stopped or replaced (a YAML file edited),
 * the event in hand is finished and the others wait for the next consumer. Only when the application stops does
 * stopping it cut the publishers and end the session, whose last events still go through the route.
 */
public class IngestConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConsumer.class);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 100;

    private final ChannelIngest channel;
    private final Runnable eventsWaiting = this::eventsWaiting;
    private OneAtATime deliveries;
    private volatile boolean running;
    /** A delivery is queued and has not started yet: the events added meanwhile go with it. */
    private final AtomicBoolean pending = new AtomicBoolean();
    /** Held while events go through the route. */
    private final ReentrantLock delivering = new ReentrantLock();
    private volatile Thread deliverer;

    IngestConsumer(IngestEndpoint endpoint, Processor processor, ChannelIngest channel) {
        super(endpoint, processor);
        this.channel = channel;
    }

    @Override
    public IngestEndpoint getEndpoint() {
        return (IngestEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        IngestComponent component = getEndpoint().getComponent();
        component.servers().listen();
        component.servers().listenSrt(channel);
        running = true;
        deliveries = new OneAtATime("Channel " + channel.name() + ": its route", component::threads);
        channel.events().listen(eventsWaiting);
        eventsWaiting(); // those that waited for a route
        channel.routeStarted();
    }

    @Override
    protected void doStop() throws Exception {
        if (getEndpoint().getCamelContext().isStopping()) {
            channel.stop(STOP_TIMEOUT);
            awaitDrained();
        }
        running = false;
        channel.events().stopListening(eventsWaiting);
        deliveries.close();
        if (delivering.tryLock(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            delivering.unlock();
        } else {
            LOG.warn("Channel {}: its route did not finish an event within {} s", channel.name(),
                    STOP_TIMEOUT.toSeconds());
            Thread stuck = deliverer;
            if (stuck != null) {
                stuck.interrupt();
            }
        }
        super.doStop();
    }

    /** The session's last events go through the route before it stops. */
    private void awaitDrained() throws InterruptedException {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (channel.events().waiting() > 0) {
            if (System.nanoTime() > deadline) {
                LOG.warn("Channel {}: {} events were still waiting for its route when the application stopped",
                        channel.name(), channel.events().waiting());
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Events wait: a delivery goes to the pool, unless one is queued already. */
    private void eventsWaiting() {
        if (running && pending.compareAndSet(false, true)) {
            try {
                deliveries.execute(this::deliverWaiting);
            } catch (RejectedExecutionException e) { // stopped meanwhile: they wait for the next consumer
                pending.set(false);
            }
        }
    }

    private void deliverWaiting() {
        pending.set(false); // before taking: an event added from here on queues the next delivery
        delivering.lock();
        try {
            deliverer = Thread.currentThread();
            for (Map<String, Object> event; running && (event = channel.events().next()) != null; ) {
                long taken = System.nanoTime();
                try {
                    deliver(event);
                } finally {
                    channel.events().done();
                }
                Object kind = event.get(StreamingHeaders.EVENT);
                if (IngestEvent.SessionEnded.name().equals(kind)) {
                    channel.sessionClosed(taken, (String) event.get(StreamingHeaders.SESSION));
                } else if (IngestEvent.SessionHandedOver.name().equals(kind)) {
                    channel.sessionClosed(taken, null);
                }
            }
        } finally {
            deliverer = null;
            Thread.interrupted(); // a stop that could not wait interrupted it: the pool's thread goes on clean
            delivering.unlock();
        }
    }

    private void deliver(Map<String, Object> headers) {
        Exchange exchange = createExchange(false);
        try {
            headers.forEach((name, value) -> {
                if (value != null) {
                    exchange.getMessage().setHeader(name, value);
                }
            });
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Channel " + channel.name() + ": "
                        + headers.get(StreamingHeaders.EVENT), exchange, exchange.getException());
            }
        } catch (Exception e) {
            getExceptionHandler().handleException("Channel " + channel.name() + ": "
                    + headers.get(StreamingHeaders.EVENT), exchange, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
