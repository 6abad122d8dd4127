package io.livecamel.ingest;

import java.time.Duration;

import io.livecamel.settings.Channel;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One channel's ingest: consume-only, see {@link IngestComponent}. */
public class IngestEndpoint extends DefaultEndpoint {

    private final Channel channel;
    private final Duration reconnectGrace;
    private long maxBackoff = 10_000;
    private IngestCommand.Protocol protocol = IngestCommand.Protocol.RTMP;

    IngestEndpoint(String uri, IngestComponent component, Channel channel, Duration reconnectGrace) {
        super(uri, component);
        this.channel = channel;
        this.reconnectGrace = reconnectGrace;
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
        IngestConsumer consumer = new IngestConsumer(this, processor, getComponent().command(channel, protocol),
                reconnectGrace);
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

    /** {@code rtmp} (the default) or {@code srt}: which of the channel's ports this endpoint listens on. */
    public IngestCommand.Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(IngestCommand.Protocol protocol) {
        this.protocol = protocol;
    }
}
