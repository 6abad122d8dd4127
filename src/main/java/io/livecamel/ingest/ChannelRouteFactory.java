package io.livecamel.ingest;

/**
 * Makes and removes the route of a channel that exists on demand: one the admission route names and no route
 * declares. The application gives one that makes the route from its channel template ({@code live-channel}).
 */
public interface ChannelRouteFactory {

    /** Makes and starts the route of {@code channel} ({@code hls-ingest:<channel>}), if it has none. */
    void create(String channel) throws Exception;

    /** Stops and removes the route made for {@code channel}. */
    void remove(String channel) throws Exception;
}
