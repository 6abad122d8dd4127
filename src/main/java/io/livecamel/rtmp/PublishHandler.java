package io.livecamel.rtmp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.livecamel.media.Admission;
import io.livecamel.media.Amf0;
import io.livecamel.media.FormatException;
import io.livecamel.media.FlvTag;
import io.livecamel.media.MediaSink;
import io.livecamel.media.PublisherLink;
import io.livecamel.media.Publishers;
import io.netty.buffer.ByteBuf;
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
final class PublishHandler extends ChannelInboundHandlerAdapter implements PublisherLink {

    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);
    private static final int CONTROL = 2;
    private static final int COMMANDS = 3;
    private static final int STATUS = 5;
    private static final int STREAM_ID = 1;
    private static final int OUR_CHUNK_SIZE = 4096;

    private final Publishers publishers;
    private final RtmpLimits limits;
    private final String scheme;
    private final ChunkDecoder decoder;
    private Channel channel;
    private String peer = "unknown";
    private boolean bytesSeen;
    private boolean handshakeDone;
    private boolean connected;
    private String channelName;
    private MediaSink sink;
    private boolean ended;
    /** The server has said why it closes the connection: nothing more is logged of it. */
    private boolean closing;
    private volatile boolean paused;
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
        SocketAddress remote = channel.remoteAddress();
        if (remote instanceof InetSocketAddress address) {
            peer = address.getAddress().getHostAddress() + ":" + address.getPort();
        }
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
        } else if (event instanceof IdleStateEvent && sink != null && !paused) {
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
                case RtmpMessage.USER_CONTROL -> userControl(ctx, message);
                default -> LOG.debug("RTMP client {}: message type {} ignored", peer, message.type());
            }
        } finally {
            if (!handedOver) {
                ReferenceCountUtil.release(message);
            }
        }
    }

    private static List<Object> values(RtmpMessage message) {
        ByteBuf payload = message.payload();
        if (message.type() == RtmpMessage.COMMAND_AMF3 || message.type() == RtmpMessage.DATA_AMF3) {
            if (!payload.isReadable()) {
                throw new RtmpProtocolException("an empty AMF3 message");
            }
            payload.skipBytes(1); // AMF3 commands from Flash start with a 0 byte, then AMF0
        }
        return Amf0.readAll(payload);
    }

    private void command(ChannelHandlerContext ctx, RtmpMessage message) {
        List<Object> values = values(message);
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("a command without a name");
        }
        double transaction = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        switch (name) {
            case "connect" -> connect(ctx, transaction, values);
            case "releaseStream", "FCPublish" -> {
                requireConnected(name);
                result(ctx, transaction, null, null);
            }
            case "createStream" -> {
                requireConnected(name);
                result(ctx, transaction, null, (double) STREAM_ID);
            }
            case "publish" -> publish(ctx, message.streamId(), values);
            case "FCUnpublish", "deleteStream", "closeStream" -> end("the publisher disconnected");
            case "play", "play2" -> {
                status(ctx, message.streamId(), "error", "NetStream.Play.Failed",
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

    private void connect(ChannelHandlerContext ctx, double transaction, List<Object> values) {
        if (connected) {
            throw new RtmpProtocolException("sent connect twice");
        }
        Map<?, ?> parameters = values.size() > 2 && values.get(2) instanceof Map<?, ?> map ? map : Map.of();
        String app = parameters.get("app") instanceof String text ? text : "";
        app = app.replaceAll("\\?.*", "").replaceAll("/+$", "");
        if (!app.equals("live")) {
            Map<String, Object> info = info("error", "NetConnection.Connect.Rejected",
                    "Publish to " + scheme + "://host/live/<stream key>.");
            send(ctx, COMMANDS, RtmpMessage.COMMAND_AMF0, 0, "_error", transaction, null, info);
            warn("connected to the application '" + app.replaceAll("[^A-Za-z0-9._/-]", "?") + "', not 'live'");
            closeAfterFlush(ctx);
            return;
        }
        connected = true;
        ByteBuf window = ctx.alloc().buffer(4).writeInt(ChunkDecoder.DEFAULT_WINDOW);
        ctx.write(new RtmpMessage(CONTROL, RtmpMessage.WINDOW_ACK_SIZE, 0, 0, window));
        ByteBuf bandwidth = ctx.alloc().buffer(5).writeInt(ChunkDecoder.DEFAULT_WINDOW).writeByte(2);
        ctx.write(new RtmpMessage(CONTROL, RtmpMessage.SET_PEER_BANDWIDTH, 0, 0, bandwidth));
        ByteBuf chunkSize = ctx.alloc().buffer(4).writeInt(OUR_CHUNK_SIZE);
        ctx.write(new RtmpMessage(CONTROL, RtmpMessage.SET_CHUNK_SIZE, 0, 0, chunkSize));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", 31.0);
        Map<String, Object> info = info("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        send(ctx, COMMANDS, RtmpMessage.COMMAND_AMF0, 0, "_result", transaction, properties, info);
    }

    private void publish(ChannelHandlerContext ctx, int streamId, List<Object> values) {
        requireConnected("publish");
        if (sink != null || ended) {
            throw new RtmpProtocolException("sent publish twice on one connection");
        }
        String key = values.size() > 3 && values.get(3) instanceof String text ? text.replaceAll("\\?.*", "") : "";
        Admission admission = key.isEmpty() ? Admission.refused(null, "it published without a stream key")
                : publishers.admit(key, this);
        channelName = admission.channel();
        if (!admission.isAdmitted()) {
            status(ctx, streamId, "error", "NetStream.Publish.BadName", "Refused: " + admission.refusal() + ".");
            warn("refused: " + admission.refusal());
            closeAfterFlush(ctx);
            return;
        }
        sink = admission.sink();
        deadline.cancel(false);
        ByteBuf begin = ctx.alloc().buffer(6).writeShort(0).writeInt(streamId);
        ctx.write(new RtmpMessage(CONTROL, RtmpMessage.USER_CONTROL, 0, 0, begin));
        status(ctx, streamId, "status", "NetStream.Publish.Start", "Publishing on channel " + channelName + ".");
        LOG.info("Channel {}: RTMP publisher {} admitted", channelName, peer);
    }

    private void data(RtmpMessage message) {
        if (sink == null || ended) {
            return;
        }
        List<Object> values;
        try {
            values = values(message);
        } catch (FormatException e) {
            LOG.debug("RTMP client {}: a data message dropped: {}", peer, e.getMessage());
            return;
        }
        Amf0.onMetaData(values).ifPresent(sink::metadata);
        // anything else (onTextData, onCuePoint...) is not passed on: -c copy into HLS fails on a text stream
    }

    private void userControl(ChannelHandlerContext ctx, RtmpMessage message) {
        ByteBuf payload = message.payload();
        if (payload.readableBytes() >= 6 && payload.getUnsignedShort(payload.readerIndex()) == 6) { // ping request
            ByteBuf pong = ctx.alloc().buffer(6).writeShort(7).writeInt(payload.getInt(payload.readerIndex() + 2));
            ctx.writeAndFlush(new RtmpMessage(CONTROL, RtmpMessage.USER_CONTROL, 0, 0, pong));
        }
    }

    private static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    private void status(ChannelHandlerContext ctx, int streamId, String level, String code, String description) {
        send(ctx, STATUS, RtmpMessage.COMMAND_AMF0, streamId, "onStatus", 0.0, null, info(level, code, description));
    }

    private void result(ChannelHandlerContext ctx, double transaction, Object properties, Object value) {
        send(ctx, COMMANDS, RtmpMessage.COMMAND_AMF0, 0, "_result", transaction, properties, value);
    }

    private static void send(ChannelHandlerContext ctx, int chunkStream, int type, int streamId, Object... values) {
        ByteBuf payload = ctx.alloc().buffer();
        Amf0.write(payload, values);
        ctx.writeAndFlush(new RtmpMessage(chunkStream, type, streamId, 0, payload));
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

    // PublisherLink: called from any thread

    @Override
    public String address() {
        return peer;
    }

    @Override
    public void pause() {
        paused = true;
        channel.config().setAutoRead(false);
    }

    @Override
    public void resume() {
        paused = false;
        channel.config().setAutoRead(true);
    }

    @Override
    public void cut(String reason) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                return;
            }
            ChannelHandlerContext ctx = channel.pipeline().context(this);
            if (ctx == null) {
                channel.close();
                return;
            }
            ended = true; // the sink ended it: it is not told again
            closing = true;
            status(ctx, STREAM_ID, "error", "NetStream.Publish.Failed", reason);
            closeAfterFlush(ctx);
        });
    }
}
