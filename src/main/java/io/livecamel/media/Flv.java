package io.livecamel.media;

import io.netty.buffer.ByteBuf;

/** Writes FLV: the file header with the flags of the tracks present, then tags. */
public final class Flv {

    private Flv() {
    }

    /** The 13 bytes that open an FLV stream: signature, version, track flags, header size, first tag size 0. */
    public static void writeHeader(ByteBuf out, boolean video, boolean audio) {
        out.writeBytes(new byte[] {'F', 'L', 'V', 1});
        out.writeByte((audio ? 0x04 : 0) | (video ? 0x01 : 0));
        out.writeInt(9);
        out.writeInt(0);
    }

    /** One tag: header (type, size, 24+8-bit timestamp, stream id 0), body, and its size after it. */
    public static void writeTag(ByteBuf out, FlvTag tag) {
        int size = tag.body().readableBytes();
        long timestamp = tag.timestamp();
        out.writeByte(tag.type());
        out.writeMedium(size);
        out.writeMedium((int) (timestamp & 0xFFFFFF));
        out.writeByte((int) (timestamp >>> 24) & 0xFF);
        out.writeMedium(0);
        out.writeBytes(tag.body(), tag.body().readerIndex(), size);
        out.writeInt(11 + size);
    }
}
