package io.livecamel.ingest;

import org.apache.camel.Header;

/**
 * What routes ask of the ingest, as the bean {@code ingest}: the channel a stream key belongs to (the admission
 * route) and a channel another node has taken (the origin routes, cluster mode). Not the component itself: Camel
 * stops a bean that is a service when a route that calls it stops, and the component would take the RTMP server
 * down with it.
 */
public final class IngestCalls {

    private final IngestComponent component;

    public IngestCalls(IngestComponent component) {
        this.component = component;
    }

    /** The name of the channel whose publishKey this is (compared in constant time), or null. */
    public String channelOfKey(@Header(StreamingHeaders.STREAM_KEY) String key) {
        return component.channelOfKey(key);
    }

    /** Cluster mode: another node has written the channel since this node took it; see the component. */
    public void channelMoved(String channel) {
        component.channelMoved(channel);
    }
}
