package io.livecamel.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One RTMP message, reassembled from its chunks: the chunk stream it came on, its type, the message stream it
 * belongs to, its timestamp (32 bits, in ms) and its payload. Whoever receives one releases it.
 */
public record RtmpMessage(int chunkStream, int type, int streamId, long timestamp, ByteBuf payload)
        implements ReferenceCounted {

    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int ACKNOWLEDGEMENT = 3;
    public static final int USER_CONTROL = 4;
    public static final int WINDOW_ACK_SIZE = 5;
    public static final int SET_PEER_BANDWIDTH = 6;
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int DATA_AMF3 = 15;
    public static final int COMMAND_AMF3 = 17;
    public static final int DATA_AMF0 = 18;
    public static final int COMMAND_AMF0 = 20;
    public static final int AGGREGATE = 22;

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public RtmpMessage retain() {
        payload.retain();
        return this;
    }

    @Override
    public RtmpMessage retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public RtmpMessage touch() {
        payload.touch();
        return this;
    }

    @Override
    public RtmpMessage touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }
}
