package io.livecamel.ingest;

import java.time.Duration;
import java.util.Map;

import io.livecamel.StreamingHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Delivers a channel's session events to its route, each as a message whose headers say what happened
 * ({@code StreamingEvent}: {@code SessionStarted}, {@code PublisherLeft}, {@code PublisherReconnected},
 * {@code SessionEnded}). The sessions do not depend on it: when its route is stopped or replaced (a YAML file
 * edited), publishers go on and events wait for the next consumer. Only when the application stops does stopping it
 * cut the publishers and end the session, whose last events still reach the route.
 */
public class IngestConsumer extends DefaultConsumer {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final ChannelIngest channel;

    @Override
    public IngestEndpoint getEndpoint() {
        return (IngestEndpoint) super.getEndpoint();
    }

    IngestConsumer(IngestEndpoint endpoint, Processor processor, ChannelIngest channel) {
        super(endpoint, processor);
        this.channel = channel;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().getComponent().startSrt(channel);
        channel.attach(this::deliver);
    }

    @Override
    protected void doStop() throws Exception {
        if (getEndpoint().getCamelContext().isStopping()) {
            channel.stop(STOP_TIMEOUT);
        } else {
            channel.detach(STOP_TIMEOUT);
        }
        super.doStop();
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
