package io.livecamel.rtmp;

import java.util.concurrent.atomic.AtomicLong;

import io.livecamel.media.PublishRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP conversation up to {@code publish}: answers {@code connect} (to the application {@code live} only),
 * {@code releaseStream}, {@code FCPublish} and {@code createStream}, refuses {@code play}, and turns {@code publish}
 * into a {@link PublishAsked} for the {@link PublishHandler} after it, with what the publisher asks for
 * ({@link PublishRequest}: its key, its query, its {@code tcUrl}). Every other message goes on untouched.
 */
final class ConnectCommands extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectCommands.class);
    static final int STREAM_ID = 1;
    /** Connections that published, counted since the start, as nginx-rtmp's {@code clientid}. */
    private static final AtomicLong CLIENTS = new AtomicLong();

    /** {@code publish}, with what it asks for. */
    record PublishAsked(int streamId, PublishRequest request) {
    }

    /** The conversation ends here: the server has said why and closes the connection. */
    enum Refused { INSTANCE }

    private final String scheme;
    /** The {@code connect} this connection sent: the publish request reads its {@code tcUrl} and query. */
    private RtmpCommand connect;

    ConnectCommands(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RtmpMessage message = (RtmpMessage) msg;
        if (message.type() != RtmpMessage.COMMAND_AMF0 && message.type() != RtmpMessage.COMMAND_AMF3) {
            ctx.fireChannelRead(msg);
            return;
        }
        Object next = null;
        try {
            RtmpCommand command = RtmpCommand.of(message);
            String name = command.name();
            switch (name) {
                case "connect" -> connect(ctx, command);
                case "releaseStream", "FCPublish" -> {
                    requireConnected(name);
                    RtmpReplies.result(ctx, command.transaction(), null, null);
                }
                case "createStream" -> {
                    requireConnected(name);
                    RtmpReplies.result(ctx, command.transaction(), null, (double) STREAM_ID);
                }
                case "publish" -> {
                    requireConnected(name);
                    next = new PublishAsked(command.streamId(), command.publishRequest(connect, scheme,
                            CLIENTS.incrementAndGet()));
                }
                case "play", "play2" -> {
                    RtmpReplies.status(ctx, message.streamId(), "error", "NetStream.Play.Failed",
                            "This server takes publishers only: watch on its player page.");
                    refuse(ctx, "asked to play; this server takes publishers only");
                }
                default -> next = command;
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
        if (next != null) {
            ctx.fireChannelRead(next);
        }
    }

    private void requireConnected(String command) {
        if (connect == null) {
            throw new RtmpProtocolException("sent " + command + " before connect");
        }
    }

    private void connect(ChannelHandlerContext ctx, RtmpCommand command) {
        if (connect != null) {
            throw new RtmpProtocolException("sent connect twice");
        }
        String app = command.app();
        if (!app.equals("live")) {
            RtmpReplies.rejected(ctx, command.transaction(), "Publish to " + scheme + "://host/live/<stream key>.");
            refuse(ctx, "connected to the application '" + app.replaceAll("[^A-Za-z0-9._/-]", "?")
                    + "', not 'live'");
            return;
        }
        connect = command;
        RtmpReplies.connected(ctx, command.transaction());
    }

    /** One WARN, then the connection closes once the answer is sent. */
    private static void refuse(ChannelHandlerContext ctx, String why) {
        LOG.warn("RTMP client {}: {}", RtmpPublisherLink.addressOf(ctx.channel()), why);
        ctx.fireUserEventTriggered(Refused.INSTANCE);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
