package io.livecamel.media;

import io.netty.buffer.ByteBuf;

/**
 * One audio or video frame as FLV and RTMP carry it: the tag type ({@link #AUDIO} or {@link #VIDEO}), its timestamp
 * in ms (32 bits) and its body, which starts with FLV's codec byte(s). Whoever holds one releases its body.
 */
public record FlvTag(int type, long timestamp, ByteBuf body) {

    public static final int AUDIO = 8;
    public static final int VIDEO = 9;

    public boolean isVideo() {
        return type == VIDEO;
    }

    /** True for the tag that carries a codec's configuration (AVC/HEVC decoder configuration, AAC's). */
    public boolean isSequenceHeader() {
        if (body.readableBytes() < 2) {
            return false;
        }
        int first = body.getUnsignedByte(body.readerIndex());
        if (isVideo()) {
            if ((first & 0x80) != 0) { // Enhanced RTMP: the packet type is in the low bits
                return (first & 0x0F) == 0;
            }
            return ((first & 0x0F) == 7 || (first & 0x0F) == 12) && body.getByte(body.readerIndex() + 1) == 0;
        }
        return (first >> 4) == 10 && body.getByte(body.readerIndex() + 1) == 0;
    }

    /** True for a video tag that starts a picture decodable on its own (frame type 1, also in Enhanced RTMP). */
    public boolean isKeyframe() {
        return isVideo() && body.readableBytes() >= 1 && ((body.getUnsignedByte(body.readerIndex()) >> 4) & 0x07) == 1;
    }

    /** The number of bytes this tag takes in an FLV stream: header, body and the trailing size. */
    public int flvSize() {
        return 11 + body.readableBytes() + 4;
    }

    public void release() {
        body.release();
    }
}
