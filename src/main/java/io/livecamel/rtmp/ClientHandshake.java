package io.livecamel.rtmp;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The plain RTMP handshake, client side: C0+C1 out as soon as the connection is up (after TLS, for RTMPS), S0+S1+S2
 * in, C2 (S1 echoed) out; then the {@link ChunkDecoder} takes the bytes that follow. OBS (librtmp) shakes hands the
 * same way with YouTube, Twitch and Facebook.
 */
final class ClientHandshake extends ByteToMessageDecoder {

    private final ChunkDecoder next;

    ClientHandshake(ChunkDecoder next) {
        this.next = next;
    }

    /** Sends C0+C1: the version, our time, zeros (the plain handshake) and random bytes. */
    static void start(ChannelHandlerContext ctx) {
        ByteBuf hello = ctx.alloc().buffer(1 + Handshake.SIZE);
        hello.writeByte(Handshake.VERSION);
        hello.writeInt(0).writeInt(0);
        byte[] random = new byte[Handshake.SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        hello.writeBytes(random);
        ctx.writeAndFlush(hello);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 1) {
            return;
        }
        int version = in.getUnsignedByte(in.readerIndex());
        if (version != Handshake.VERSION) {
            throw new RtmpProtocolException("the server answered the handshake with version " + version);
        }
        if (in.readableBytes() < 1 + 2 * Handshake.SIZE) {
            return;
        }
        in.skipBytes(1);
        ctx.writeAndFlush(in.readRetainedSlice(Handshake.SIZE)); // C2: S1 echoed
        in.skipBytes(Handshake.SIZE); // S2: our C1 echoed, nothing to check in the plain handshake
        ctx.fireUserEventTriggered(Handshake.HandshakeDone.INSTANCE);
        ctx.pipeline().replace(this, "chunks", next);
    }
}
