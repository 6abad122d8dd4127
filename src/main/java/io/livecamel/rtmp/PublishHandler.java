package io.livecamel.rtmp;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.livecamel.media.Admission;
import io.livecamel.media.FormatException;
import io.livecamel.media.FlvTag;
import io.livecamel.media.MediaSink;
import io.livecamel.media.PublishRequest;
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
 * One RTMP connection, from the handshake to the end of its publication, after {@link ConnectCommands} (the
 * conversation up to {@code publish}): the stream key in {@code publish} picks the channel ({@link Publishers}),
 * whose decision may take a while: the connection waits for it without holding up its network thread, media sent
 * meanwhile is held ({@link HeldMessages}), and {@code NetStream.Publish.Start} is sent only once admitted. Then audio
 * and video go to the channel's {@link MediaSink} with the {@code onMetaData}, and every other data message (text
 * tracks, cue points) is dropped. Each refusal, each broken rule and each timeout is one WARN naming the peer address
 * from the socket (and the channel, once known), never the key; a connection that closes without sending a byte (a
 * load balancer's check) is not worth a line.
 */
final class PublishHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);
    private static final int STREAM_ID = ConnectCommands.STREAM_ID;

    private final Publishers publishers;
    private final RtmpLimits limits;
    private final ChunkDecoder decoder;
    private Channel channel;
    private String peer;
    private boolean bytesSeen;
    private boolean handshakeDone;
    /** Between {@code publish} and the application's decision. */
    private boolean deciding;
    private String channelName;
    private MediaSink sink;
    private boolean ended;
    /** The server has said why it closes the connection: nothing more is logged of it. */
    private boolean closing;
    private RtmpPublisherLink link;
    private ScheduledFuture<?> deadline;
    /** What a publisher sent before it was admitted. */
    private final HeldMessages held = new HeldMessages();

    PublishHandler(Publishers publishers, RtmpLimits limits, ChunkDecoder decoder) {
        this.publishers = publishers;
        this.limits = limits;
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
        deadline(ctx, limits.handshakeTimeout());
    }

    /** The connection is closed if nothing changes within {@code time} (the deadline before is cancelled). */
    private void deadline(ChannelHandlerContext ctx, java.time.Duration time) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = ctx.executor().schedule(() -> timeout(ctx), time.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Told by the first handler that bytes arrived. */
    void bytesArrived() {
        bytesSeen = true;
    }

    private void timeout(ChannelHandlerContext ctx) {
        if (sink != null || !channel.isActive()) {
            return;
        }
        if (deciding) { // a late decision finds the connection ended
            decided(ctx, STREAM_ID, Admission.failed(null, "the server did not decide within "
                    + RtmpLimits.seconds(limits.decisionTimeout())));
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
            deadline(ctx, limits.publishTimeout());
        } else if (event == ConnectCommands.Refused.INSTANCE) {
            ended = true; // the conversation before publish was refused, and said so
            closing = true;
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
        if (msg instanceof ConnectCommands.PublishAsked publish) {
            publish(ctx, publish);
            return;
        } else if (msg instanceof RtmpCommand command) {
            switch (command.name()) {
                case "FCUnpublish", "deleteStream", "closeStream" -> end("the publisher disconnected");
                default -> LOG.debug("RTMP client {}: command {} ignored", peer, command.name());
            }
            return;
        }
        RtmpMessage message = (RtmpMessage) msg;
        if (deciding && message.type() != RtmpMessage.USER_CONTROL) {
            held.hold(message);
            return;
        }
        boolean handedOver = false;
        try {
            switch (message.type()) {
                case RtmpMessage.AUDIO, RtmpMessage.VIDEO -> {
                    if (sink != null && !ended) {
                        sink.media(new FlvTag(message.type(), message.timestamp(), message.payload()));
                        handedOver = true;
                    }
                }
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

    private void publish(ChannelHandlerContext ctx, ConnectCommands.PublishAsked publish) {
        if (deciding || sink != null || ended) {
            throw new RtmpProtocolException("sent publish twice on one connection");
        }
        int streamId = publish.streamId();
        PublishRequest request = publish.request();
        if (request.streamKey().isEmpty()) {
            decided(ctx, streamId, Admission.refused(null, "it published without a stream key"));
            return;
        }
        deciding = true;
        deadline(ctx, limits.decisionTimeout());
        publishers.admit(request, link).whenComplete((admission, failure) -> {
            Admission decision = admission != null ? admission
                    : Admission.failed(null, "the server failed to decide (" + failure + ")");
            if (ctx.executor().inEventLoop()) { // decided at once (the channels' own keys)
                decided(ctx, streamId, decision);
            } else {
                ctx.executor().execute(() -> decided(ctx, streamId, decision));
            }
        });
    }

    /** The application has decided (on this connection's event loop): the publisher is told, once. */
    private void decided(ChannelHandlerContext ctx, int streamId, Admission admission) {
        deciding = false;
        if (ended || !channel.isActive()) { // it left, or waited too long: nothing is kept for it
            held.release(null);
            if (admission.isAdmitted()) {
                admission.sink().end("the connection closed before it was admitted");
            }
            return;
        }
        channelName = admission.channel();
        if (!admission.isAdmitted()) {
            ended = true;
            held.release(null);
            RtmpReplies.refused(ctx, streamId, admission);
            warn("refused: " + admission.refusal());
            closeAfterFlush(ctx);
            return;
        }
        sink = admission.sink();
        deadline.cancel(false);
        RtmpReplies.started(ctx, streamId, channelName);
        LOG.info("Channel {}: RTMP publisher {} admitted", channelName, peer);
        held.release(message -> channelRead(ctx, message));
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
        } else if (deciding && !closing) {
            warn("closed the connection before its publish was decided");
        } else if (bytesSeen && !closing) {
            warn(handshakeDone ? "closed the connection without publishing" : "closed the connection during the "
                    + "RTMP handshake");
        } else if (!bytesSeen) {
            LOG.debug("RTMP client {} closed without sending anything", peer);
        }
        ended = true;
        held.release(null);
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
