package io.livecamel.rtmp;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The plain RTMP handshake, server side: C0+C1 in, S0+S1+S2 out, C2 in; then this handler gives way to the
 * {@link ChunkDecoder}, handing it whatever bytes followed C2. OBS (librtmp), ffmpeg and the other clients accept the
 * plain handshake from a server; the digest variant only matters to Flash players verifying a SWF.
 */
final class Handshake extends ByteToMessageDecoder {

    static final int VERSION = 3;
    static final int SIZE = 1536;

    private final ChunkDecoder next;
    private boolean answered;

    Handshake(ChunkDecoder next) {
        this.next = next;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!answered) {
            if (in.readableBytes() < 1) {
                return;
            }
            int version = in.getUnsignedByte(in.readerIndex());
            if (version != VERSION) {
                throw new RtmpProtocolException(version == 6 || version == 8 ? "asked for encrypted RTMP (RTMPE), "
                        + "which is not supported: use RTMPS" : "not an RTMP handshake (first byte 0x"
                        + Integer.toHexString(version) + ")");
            }
            if (in.readableBytes() < 1 + SIZE) {
                return;
            }
            in.skipBytes(1);
            ByteBuf answer = ctx.alloc().buffer(1 + 2 * SIZE);
            answer.writeByte(VERSION);
            answer.writeInt(0).writeInt(0); // S1: our time and zeros
            byte[] random = new byte[SIZE - 8];
            ThreadLocalRandom.current().nextBytes(random);
            answer.writeBytes(random);
            answer.writeBytes(in, SIZE); // S2: C1 echoed
            ctx.writeAndFlush(answer);
            answered = true;
        }
        if (in.readableBytes() < SIZE) {
            return;
        }
        in.skipBytes(SIZE); // C2: our S1 echoed, nothing to check in the plain handshake
        ctx.fireUserEventTriggered(HandshakeDone.INSTANCE);
        ctx.pipeline().replace(this, "chunks", next); // the bytes after C2 go on to the chunk decoder
    }

    /** Fired once the handshake is complete. */
    enum HandshakeDone {
        INSTANCE
    }
}
