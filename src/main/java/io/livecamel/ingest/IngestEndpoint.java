package io.livecamel.ingest;

import java.time.Duration;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One channel's ingest: consume-only, see {@link IngestComponent}. */
public class IngestEndpoint extends DefaultEndpoint {

    private final IngestCommand command;
    private final Duration reconnectGrace;
    private long maxBackoff = 10_000;

    IngestEndpoint(String uri, IngestComponent component, IngestCommand command, Duration reconnectGrace) {
        super(uri, component);
        this.command = command;
        this.reconnectGrace = reconnectGrace;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("hls-ingest endpoints only consume: use them in from:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        IngestConsumer consumer = new IngestConsumer(this, processor, command, reconnectGrace);
        configureConsumer(consumer);
        return consumer;
    }

    /** The longest wait, in ms, before restarting a listener that keeps failing without a publisher. */
    public long getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(long maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
