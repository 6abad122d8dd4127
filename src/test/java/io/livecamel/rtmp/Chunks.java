package io.livecamel.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Writes RTMP chunks byte by byte as a client would, with any header format, for the decoder's tests. */
final class Chunks {

    private final ByteBuf out = Unpooled.buffer();

    /** A basic header and a message header of {@code format} (0 to 3), with the extended timestamp if needed. */
    Chunks header(int format, int chunkStream, long timestampOrDelta, int length, int type, int streamId,
            boolean extendedOnType3) {
        if (chunkStream < 64) {
            out.writeByte(format << 6 | chunkStream);
        } else if (chunkStream < 320) {
            out.writeByte(format << 6).writeByte(chunkStream - 64);
        } else {
            out.writeByte(format << 6 | 1).writeByte((chunkStream - 64) & 0xFF).writeByte((chunkStream - 64) >> 8);
        }
        boolean extended = timestampOrDelta >= 0xFFFFFF;
        if (format <= 2) {
            out.writeMedium(extended ? 0xFFFFFF : (int) timestampOrDelta);
        }
        if (format <= 1) {
            out.writeMedium(length).writeByte(type);
        }
        if (format == 0) {
            out.writeIntLE(streamId);
        }
        if (format <= 2 ? extended : extendedOnType3) {
            out.writeInt((int) timestampOrDelta);
        }
        return this;
    }

    Chunks bytes(byte[] bytes, int from, int count) {
        out.writeBytes(bytes, from, count);
        return this;
    }

    Chunks raw(int... bytes) {
        for (int b : bytes) {
            out.writeByte(b);
        }
        return this;
    }

    /** A whole message on one chunk stream: a type-0 header, then type-3 chunks of {@code chunkSize}. */
    Chunks message(int chunkStream, long timestamp, int type, int streamId, byte[] payload, int chunkSize) {
        header(0, chunkStream, timestamp, payload.length, type, streamId, false);
        for (int offset = 0; offset < payload.length; offset += chunkSize) {
            if (offset > 0) {
                header(3, chunkStream, timestamp, 0, 0, 0, timestamp >= 0xFFFFFF);
            }
            bytes(payload, offset, Math.min(chunkSize, payload.length - offset));
        }
        return this;
    }

    Chunks setChunkSize(long size) {
        ByteBuf body = Unpooled.buffer(4).writeInt((int) size);
        return message(2, 0, RtmpMessage.SET_CHUNK_SIZE, 0, body.array(), 128);
    }

    byte[] toBytes() {
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(0, bytes);
        return bytes;
    }
}
