package io.livecamel.rtmp;

import java.net.InetSocketAddress;

import io.livecamel.media.PublisherLink;
import io.netty.channel.Channel;

/**
 * An RTMP publisher as the application sees it ({@link PublisherLink}), callable from any thread: pausing reads
 * stops taking bytes from the socket (the publisher's TCP window fills and it slows down); a cut goes to the
 * connection's handler on its event loop as a {@link Cut} event, which tells the publisher why and closes it.
 */
final class RtmpPublisherLink implements PublisherLink {

    /** The application ends the publication: the publisher is told {@code reason} (NetStream.Publish.Failed). */
    record Cut(String reason) {
    }

    private final Channel channel;
    private final String address;

    RtmpPublisherLink(Channel channel) {
        this.channel = channel;
        this.address = addressOf(channel);
    }

    /** A connection's peer address and port, from the socket, or {@code unknown}. */
    static String addressOf(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress remote
                ? remote.getAddress().getHostAddress() + ":" + remote.getPort() : "unknown";
    }

    /** The publisher's address and port, from the socket. */
    @Override
    public String address() {
        return address;
    }

    @Override
    public void pause() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resume() {
        channel.config().setAutoRead(true);
    }

    /** True while the application has paused reads. */
    boolean paused() {
        return !channel.config().isAutoRead();
    }

    @Override
    public void cut(String reason) {
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                channel.pipeline().fireUserEventTriggered(new Cut(reason));
            }
        });
    }
}
