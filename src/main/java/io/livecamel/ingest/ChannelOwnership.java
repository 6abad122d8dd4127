package io.livecamel.ingest;

import java.util.Optional;

/**
 * Who may write a channel when several nodes share one origin: this node takes the channel before it admits a
 * publisher to it, and gives it up once the channel's session has ended and its route has closed it at the origin.
 * Calls may block (ZooKeeper): the component never makes them on a network thread.
 */
public interface ChannelOwnership {

    /** Takes the channel for this node: empty when it is this node's now, else why not (for the log and publisher). */
    Optional<String> claim(String channel);

    /** This node no longer writes the channel. */
    void release(String channel);
}
