package io.livecamel.rtmp;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.livecamel.media.Admission;
import io.livecamel.media.FormatException;
import io.livecamel.media.FlvTag;
import io.livecamel.media.MediaSink;
import io.livecamel.media.Publishers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection, from the handshake to the end of its publication: answers {@code connect},
 * {@code releaseStream}, {@code FCPublish}, {@code createStream}, {@code publish}, {@code FCUnpublish} and
 * {@code deleteStream}; refuses {@code play}. The stream key in {@code publish} picks the channel
 * ({@link Publishers}); once admitted, audio and video go to the channel's {@link MediaSink} with the
 * {@code onMetaData}, and every other data message (text tracks, cue points) is dropped. Each refusal, each broken
 * rule and each timeout is one WARN naming the peer address from the socket (and the channel, once known), never
 * the key; a connection that closes without sending a byte (a load balancer's check) is not worth a line.
 */
final class PublishHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);
    private static final int STREAM_ID = 1;

    private final Publishers publishers;
    private final RtmpLimits limits;
    private final String scheme;
    private final ChunkDecoder decoder;
    private Channel channel;
    private String peer;
    private boolean bytesSeen;
    private boolean handshakeDone;
    private boolean connected;
    private String channelName;
    private MediaSink sink;
    private boolean ended;
    /** The server has said why it closes the connection: nothing more is logged of it. */
    private boolean closing;
    private RtmpPublisherLink link;
    private ScheduledFuture<?> deadline;

    PublishHandler(Publishers publishers, RtmpLimits limits, String scheme, ChunkDecoder decoder) {
        this.publishers = publishers;
        this.limits = limits;
        this.scheme = scheme;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx); // added to a connection already open
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (channel != null) {
            return;
        }
        channel = ctx.channel();
        link = new RtmpPublisherLink(channel);
        peer = link.address();
        deadline = ctx.executor().schedule(() -> timeout(ctx), limits.handshakeTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Told by the first handler that bytes arrived. */
    void bytesArrived() {
        bytesSeen = true;
    }

    private void timeout(ChannelHandlerContext ctx) {
        if (sink != null || !channel.isActive()) {
            return;
        }
        closing = true;
        if (!handshakeDone) {
            String within = RtmpLimits.seconds(limits.handshakeTimeout());
            warn(bytesSeen ? "the RTMP handshake did not complete within " + within : "sent nothing within " + within);
        } else {
            warn("did not publish within " + RtmpLimits.seconds(limits.publishTimeout()) + " of connecting");
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == Handshake.HandshakeDone.INSTANCE) {
            handshakeDone = true;
            deadline.cancel(false);
            deadline = ctx.executor().schedule(() -> timeout(ctx), limits.publishTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        } else if (event instanceof RtmpPublisherLink.Cut cut) {
            ended = true; // the sink ended it: it is not told again
            closing = true;
            RtmpReplies.status(ctx, STREAM_ID, "error", "NetStream.Publish.Failed", cut.reason());
            closeAfterFlush(ctx);
        } else if (event instanceof IdleStateEvent && sink != null && !link.paused()) {
            String idle = RtmpLimits.seconds(limits.idleTimeout());
            end("it sent nothing for " + idle);
            warn("sent nothing for " + idle + " while publishing; connection closed");
            closing = true;
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RtmpMessage message = (RtmpMessage) msg;
        boolean handedOver = false;
        try {
            switch (message.type()) {
                case RtmpMessage.AUDIO, RtmpMessage.VIDEO -> {
                    if (sink != null && !ended) {
                        sink.media(new FlvTag(message.type(), message.timestamp(), message.payload()));
                        handedOver = true;
                    }
                }
                case RtmpMessage.COMMAND_AMF0, RtmpMessage.COMMAND_AMF3 -> command(ctx, message);
                case RtmpMessage.DATA_AMF0, RtmpMessage.DATA_AMF3 -> data(message);
                case RtmpMessage.USER_CONTROL -> RtmpCommand.pingRequest(message)
                        .ifPresent(timestamp -> RtmpReplies.pong(ctx, timestamp));
                default -> LOG.debug("RTMP client {}: message type {} ignored", peer, message.type());
            }
        } finally {
            if (!handedOver) {
                ReferenceCountUtil.release(message);
            }
        }
    }

    private void command(ChannelHandlerContext ctx, RtmpMessage message) {
        RtmpCommand command = RtmpCommand.of(message);
        String name = command.name();
        double transaction = command.transaction();
        switch (name) {
            case "connect" -> connect(ctx, command);
            case "releaseStream", "FCPublish" -> {
                requireConnected(name);
                RtmpReplies.result(ctx, transaction, null, null);
            }
            case "createStream" -> {
                requireConnected(name);
                RtmpReplies.result(ctx, transaction, null, (double) STREAM_ID);
            }
            case "publish" -> publish(ctx, command);
            case "FCUnpublish", "deleteStream", "closeStream" -> end("the publisher disconnected");
            case "play", "play2" -> {
                RtmpReplies.status(ctx, message.streamId(), "error", "NetStream.Play.Failed",
                        "This server takes publishers only: watch on its player page.");
                warn("asked to play; this server takes publishers only");
                closeAfterFlush(ctx);
            }
            default -> LOG.debug("RTMP client {}: command {} ignored", peer, name);
        }
    }

    private void requireConnected(String command) {
        if (!connected) {
            throw new RtmpProtocolException("sent " + command + " before connect");
        }
    }

    private void connect(ChannelHandlerContext ctx, RtmpCommand command) {
        if (connected) {
            throw new RtmpProtocolException("sent connect twice");
        }
        double transaction = command.transaction();
        String app = command.commandObject().get("app") instanceof String text ? text : "";
        app = app.replaceAll("\\?.*", "").replaceAll("/+$", "");
        if (!app.equals("live")) {
            RtmpReplies.rejected(ctx, transaction, "Publish to " + scheme + "://host/live/<stream key>.");
            warn("connected to the application '" + app.replaceAll("[^A-Za-z0-9._/-]", "?") + "', not 'live'");
            closeAfterFlush(ctx);
            return;
        }
        connected = true;
        RtmpReplies.connected(ctx, transaction);
    }

    private void publish(ChannelHandlerContext ctx, RtmpCommand command) {
        requireConnected("publish");
        if (sink != null || ended) {
            throw new RtmpProtocolException("sent publish twice on one connection");
        }
        int streamId = command.streamId();
        String key = command.streamName();
        Admission admission = key.isEmpty() ? Admission.refused(null, "it published without a stream key")
                : publishers.admit(key, link);
        channelName = admission.channel();
        if (!admission.isAdmitted()) {
            RtmpReplies.status(ctx, streamId, "error", "NetStream.Publish.BadName",
                    "Refused: " + admission.refusal() + ".");
            warn("refused: " + admission.refusal());
            closeAfterFlush(ctx);
            return;
        }
        sink = admission.sink();
        deadline.cancel(false);
        RtmpReplies.streamBegin(ctx, streamId);
        RtmpReplies.status(ctx, streamId, "status", "NetStream.Publish.Start",
                "Publishing on channel " + channelName + ".");
        LOG.info("Channel {}: RTMP publisher {} admitted", channelName, peer);
    }

    private void data(RtmpMessage message) {
        if (sink != null && !ended) {
            // anything but onMetaData (onTextData, onCuePoint...) is dropped: -c copy into HLS fails on a text stream
            RtmpCommand.metadata(message, peer).ifPresent(sink::metadata);
        }
    }


    private void closeAfterFlush(ChannelHandlerContext ctx) {
        closing = true;
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** The publication ends (once): the sink is told why. */
    private void end(String reason) {
        if (sink != null && !ended) {
            ended = true;
            sink.end(reason);
        }
        ended = true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (decoder.inMessage() && !closing) {
            end("the connection closed in the middle of a message");
            warn("closed the connection in the middle of a message");
        } else if (sink != null) {
            end("the connection closed");
        } else if (bytesSeen && !closing) {
            warn(handshakeDone ? "closed the connection without publishing" : "closed the connection during the "
                    + "RTMP handshake");
        } else if (!bytesSeen) {
            LOG.debug("RTMP client {} closed without sending anything", peer);
        }
        ended = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            return; // what was left of its bytes when it was closed
        }
        closing = true;
        Throwable problem = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (problem instanceof FormatException) {
            end("it broke the RTMP protocol: " + problem.getMessage());
            warn(problem.getMessage() + "; connection closed");
        } else if (problem instanceof IOException) {
            end("the connection failed (" + problem.getMessage() + ")");
            LOG.info("{}RTMP client {}: the connection failed ({})", channelPrefix(), peer, problem.getMessage());
        } else {
            end("the server failed: " + problem);
            LOG.warn("{}RTMP client {}: {}; connection closed", channelPrefix(), peer, problem.toString(), problem);
        }
        ctx.close();
    }

    private void warn(String what) {
        LOG.warn("{}RTMP client {}: {}", channelPrefix(), peer, what);
    }

    private String channelPrefix() {
        return channelName == null ? "" : "Channel " + channelName + ": ";
    }
}
