package io.livecamel.origin;

/**
 * In cluster mode, this node may not write a channel's playlist: another node has written it since this node took
 * the channel (the origin refused the write, 412), or this node never took it. Not retried: the node drops the
 * channel's session and writes nothing more of it.
 */
public final class ChannelMovedException extends Exception {

    private static final long serialVersionUID = 1L;

    public ChannelMovedException(String channel, String why) {
        super("channel " + channel + ": " + why);
    }
}
