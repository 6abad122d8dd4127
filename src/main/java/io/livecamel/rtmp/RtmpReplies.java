package io.livecamel.rtmp;

import java.util.LinkedHashMap;
import java.util.Map;

import io.livecamel.media.Amf0;
import io.livecamel.media.Admission;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/** What the server sends a publisher: protocol control messages, command results and {@code onStatus}. */
final class RtmpReplies {

    private static final int CONTROL = 2;
    private static final int COMMANDS = 3;
    private static final int STATUS = 5;
    private static final int OUR_CHUNK_SIZE = 4096;

    private RtmpReplies() {
    }

    /**
     * {@code connect} accepted: Window Acknowledgement Size, Set Peer Bandwidth and Set Chunk Size first (clients
     * expect them before the result), then {@code _result} with NetConnection.Connect.Success.
     */
    static void connected(ChannelHandlerContext ctx, double transaction) {
        control(ctx, RtmpMessage.WINDOW_ACK_SIZE, ctx.alloc().buffer(4).writeInt(ChunkDecoder.DEFAULT_WINDOW));
        control(ctx, RtmpMessage.SET_PEER_BANDWIDTH, ctx.alloc().buffer(5).writeInt(ChunkDecoder.DEFAULT_WINDOW)
                .writeByte(2));
        control(ctx, RtmpMessage.SET_CHUNK_SIZE, ctx.alloc().buffer(4).writeInt(OUR_CHUNK_SIZE));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", 31.0);
        Map<String, Object> info = info("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        send(ctx, COMMANDS, 0, "_result", transaction, properties, info);
    }

    /** {@code connect} refused: {@code _error} with NetConnection.Connect.Rejected and what to do instead. */
    static void rejected(ChannelHandlerContext ctx, double transaction, String description) {
        send(ctx, COMMANDS, 0, "_error", transaction, null, info("error", "NetConnection.Connect.Rejected",
                description));
    }

    static void result(ChannelHandlerContext ctx, double transaction, Object properties, Object value) {
        send(ctx, COMMANDS, 0, "_result", transaction, properties, value);
    }

    /** User Control Stream Begin: the stream is ready for media. */
    static void streamBegin(ChannelHandlerContext ctx, int streamId) {
        control(ctx, RtmpMessage.USER_CONTROL, ctx.alloc().buffer(6).writeShort(0).writeInt(streamId));
    }

    /** The answer to a ping request (User Control 6): User Control 7 with its timestamp. */
    static void pong(ChannelHandlerContext ctx, int timestamp) {
        control(ctx, RtmpMessage.USER_CONTROL, ctx.alloc().buffer(6).writeShort(7).writeInt(timestamp));
        ctx.flush();
    }

    /** {@code publish} refused: {@code .Failed} when nobody could decide, {@code .BadName} otherwise. */
    static void refused(ChannelHandlerContext ctx, int streamId, Admission admission) {
        status(ctx, streamId, "error", admission.failed() ? "NetStream.Publish.Failed" : "NetStream.Publish.BadName",
                (admission.failed() ? "Not allowed to publish now: " : "Not allowed to publish: ")
                        + admission.refusal() + ".");
    }

    /** {@code publish} admitted: the stream begins. */
    static void started(ChannelHandlerContext ctx, int streamId, String channel) {
        streamBegin(ctx, streamId);
        status(ctx, streamId, "status", "NetStream.Publish.Start", "Publishing on channel " + channel + ".");
    }

    static void status(ChannelHandlerContext ctx, int streamId, String level, String code, String description) {
        send(ctx, STATUS, streamId, "onStatus", 0.0, null, info(level, code, description));
    }

    private static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    private static void control(ChannelHandlerContext ctx, int type, ByteBuf payload) {
        ctx.write(new RtmpMessage(CONTROL, type, 0, 0, payload));
    }

    private static void send(ChannelHandlerContext ctx, int chunkStream, int streamId, Object... values) {
        ByteBuf payload = ctx.alloc().buffer();
        Amf0.write(payload, values);
        ctx.writeAndFlush(new RtmpMessage(chunkStream, RtmpMessage.COMMAND_AMF0, streamId, 0, payload));
    }
}
