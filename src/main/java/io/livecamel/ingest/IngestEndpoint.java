package io.livecamel.ingest;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Live publishing: one channel's publishers (RTMP, RTMPS or SRT), written to HLS by ffmpeg, and the channel's events
 * in order, one message each, the header StreamingEvent saying which: SessionStarted, SessionRecovered,
 * SegmentFinished, PlaylistChanged, PublisherLeft, PublisherReconnected, SessionEnded, SessionHandedOver,
 * RestreamStarted, RestreamFailed ({@link IngestEvent}).
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = IngestComponent.SCHEME, title = "HLS ingest",
        syntax = "hls-ingest:channel", consumerOnly = true, remote = true, category = { Category.NETWORKING },
        headersClass = io.livecamel.ingest.StreamingHeaders.class)
public class IngestEndpoint extends DefaultEndpoint {

    @UriPath(description = "The channel's name: public (it is in viewer URLs), 1 to 63 lower-case letters, digits "
            + "and '-'.")
    @Metadata(required = true)
    private String channel;
    @UriParam(label = "security", secret = true, description = "The channel's secret stream key: a publisher that "
            + "sends it (rtmp://host/live/KEY) publishes to this channel. Give it as a property placeholder, "
            + "never in clear in a route.")
    @Metadata(required = true)
    private String publishKey;
    @UriParam(description = "The UDP port of the channel's SRT listener, whose passphrase is the stream key; none "
            + "when not set (needs an ffmpeg other than the bundled one).")
    private int srtPort;

    private ChannelIngest channelIngest;

    IngestEndpoint(String uri, IngestComponent component) {
        super(uri, component);
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
        IngestConsumer consumer = new IngestConsumer(this, processor, channelIngest);
        configureConsumer(consumer);
        return consumer;
    }

    void setChannelIngest(ChannelIngest channelIngest) {
        this.channelIngest = channelIngest;
    }

    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    public String getPublishKey() {
        return publishKey;
    }

    public void setPublishKey(String publishKey) {
        this.publishKey = publishKey;
    }

    public int getSrtPort() {
        return srtPort;
    }

    public void setSrtPort(int srtPort) {
        this.srtPort = srtPort;
    }
}
