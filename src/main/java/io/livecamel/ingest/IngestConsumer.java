package io.livecamel.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a channel's events to its route, one at a time and in order, on a thread of its own (the channel's event
 * thread): each is a message whose headers say what happened ({@code StreamingEvent}: an {@link IngestEvent}). The
 * sessions do not depend on it: when its route is stopped or replaced (a YAML file edited), the
 * event in hand is finished and the others wait for the next consumer. Only when the application stops does
 * stopping it cut the publishers and end the session, whose last events still go through the route.
 */
public class IngestConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConsumer.class);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 100;

    private final ChannelIngest channel;
    private ExecutorService eventThread;
    private volatile boolean running;
    private CountDownLatch stopped;

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
        getEndpoint().getComponent().servers().listen();
        getEndpoint().getComponent().servers().listenSrt(channel);
        running = true;
        stopped = new CountDownLatch(1);
        eventThread = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                "hls-ingest-" + channel.name());
        eventThread.execute(this::takeEvents);
        channel.routeStarted();
    }

    @Override
    protected void doStop() throws Exception {
        if (getEndpoint().getCamelContext().isStopping()) {
            channel.stop(STOP_TIMEOUT);
            awaitDrained();
        }
        running = false;
        if (!stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Channel {}: its route did not finish an event within {} s", channel.name(),
                    STOP_TIMEOUT.toSeconds());
        }
        getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(eventThread);
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

    private void takeEvents() {
        try {
            while (running) {
                Map<String, Object> event = channel.events().next(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (event != null) {
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
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
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
