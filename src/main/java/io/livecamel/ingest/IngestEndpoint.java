package io.livecamel.ingest;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One channel's session events: consume-only, see {@link IngestComponent}. */
public class IngestEndpoint extends DefaultEndpoint {

    private final ChannelIngest channel;

    IngestEndpoint(String uri, IngestComponent component, ChannelIngest channel) {
        super(uri, component);
        this.channel = channel;
    }

    @Override
    public IngestComponent getComponent() {
        return (IngestComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("hls-ingest endpoints only consume: use them in from:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        IngestConsumer consumer = new IngestConsumer(this, processor, channel);
        configureConsumer(consumer);
        return consumer;
    }
}
