package io.livecamel.rtmp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * The client's side of the conversation of an {@link RtmpPush}, up to {@code NetStream.Publish.Start}: the handshake
 * once connected (after TLS), Set Chunk Size and {@code connect}, then {@code releaseStream}, {@code FCPublish} and
 * {@code createStream} as OBS sends them, and {@code publish} on the stream the server created; the server's pings
 * are answered all along. An error answer, a close or a protocol error fails the push.
 */
/** The conversation up to {@code NetStream.Publish.Start}, and the server's pings after it. */
final class PushConversation extends ChannelInboundHandlerAdapter {

    private static final double CONNECT = 1;
    private static final double CREATE_STREAM = 4;
    private static final double PUBLISH = 5;

    private final RtmpPush push;
    private final RtmpUrl url;

    PushConversation(RtmpPush push) {
        this.push = push;
        this.url = push.url();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        if (url.tls()) {
            ctx.pipeline().get(SslHandler.class).handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    ClientHandshake.start(ctx);
                } // a failed TLS handshake closes the connection, with its exception
            });
        } else {
            ClientHandshake.start(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event != Handshake.HandshakeDone.INSTANCE) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        ctx.write(new RtmpMessage(RtmpPush.CONTROL, RtmpMessage.SET_CHUNK_SIZE, 0, 0,
                ctx.alloc().buffer(4).writeInt(RtmpPush.CHUNK_SIZE)));
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("app", url.app());
        connect.put("type", "nonprivate");
        connect.put("flashVer", "FMLE/3.0 (compatible; FMSc/1.0)");
        connect.put("swfUrl", url.tcUrl());
        connect.put("tcUrl", url.tcUrl());
        push.command(RtmpPush.COMMANDS, 0, "connect", CONNECT, connect);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RtmpMessage message = (RtmpMessage) msg;
        try {
            if (message.type() == RtmpMessage.USER_CONTROL) {
                RtmpCommand.pingRequest(message).ifPresent(timestamp -> RtmpReplies.pong(ctx, timestamp));
            } else if (message.type() == RtmpMessage.COMMAND_AMF0 || message.type() == RtmpMessage.COMMAND_AMF3) {
                answer(RtmpCommand.of(message));
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void answer(RtmpCommand command) {
        switch (command.name()) {
            case "_result" -> {
                if (command.transaction() == CONNECT) {
                    push.command(RtmpPush.COMMANDS, 0, "releaseStream", 2.0, null, url.streamName());
                    push.command(RtmpPush.COMMANDS, 0, "FCPublish", 3.0, null, url.streamName());
                    push.command(RtmpPush.COMMANDS, 0, "createStream", CREATE_STREAM, null);
                } else if (command.transaction() == CREATE_STREAM) {
                    List<Object> values = command.values();
                    int stream = values.size() > 3 && values.get(3) instanceof Number id ? id.intValue() : 1;
                    push.streamId(stream);
                    push.command(RtmpPush.STREAM_COMMANDS, stream, "publish", PUBLISH, null, url.streamName(),
                            "live");
                }
            }
            case "_error" -> {
                if (command.transaction() == CONNECT || command.transaction() == CREATE_STREAM
                        || command.transaction() == PUBLISH) {
                    push.fail("refused " + (command.transaction() == CONNECT ? "the connection" : "the stream")
                            + status(command));
                }
            }
            case "onStatus" -> {
                Map<?, ?> info = info(command);
                if ("NetStream.Publish.Start".equals(info.get("code"))) {
                    push.published();
                } else if ("error".equals(info.get("level"))) {
                    push.fail("refused the stream" + status(command));
                }
            }
            case "close" -> push.fail("closed the connection (it sent close)");
            default -> { } // onBWDone, onFCPublish, releaseStream's result...
        }
    }

    private static Map<?, ?> info(RtmpCommand command) {
        return command.values().size() > 3 && command.values().get(3) instanceof Map<?, ?> map ? map : Map.of();
    }

    private String status(RtmpCommand command) {
        Map<?, ?> info = info(command);
        Object code = info.get("code");
        Object description = info.get("description");
        String text = (code == null ? "" : code.toString()) + (description == null ? ""
                : (code == null ? "" : ": ") + description);
        return text.isEmpty() ? "" : " (" + url.redact(text.length() > 200 ? text.substring(0, 200) : text)
                + ")";
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        push.fail("closed the connection");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        push.fail("the connection failed (" + push.describe(cause) + ")");
    }
}
