package io.livecamel.rtmp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Reassembles RTMP messages from chunks (RTMP spec §5.3): basic headers of 1 to 3 bytes, message headers of type 0
 * to 3, extended timestamps (also on type-3 chunks, as librtmp and ffmpeg send them, so timestamps past 2^24 ms,
 * 4 h 40 min, keep going), interleaved chunk streams. It applies the client's chunk size, aborts and window size
 * itself and acknowledges every window of bytes received; every other message goes on as an {@link RtmpMessage}.
 *
 * <p>Memory is bounded whatever a client sends: a message is at most {@link #MAX_MESSAGE} bytes and buffered only
 * as its bytes arrive, at most {@link #MAX_CHUNK_STREAMS} chunk streams are tracked, and the partial messages of a
 * connection hold at most {@link #MAX_PARTIAL} bytes together.
 */
final class ChunkDecoder extends ByteToMessageDecoder {

    static final int MAX_MESSAGE = 8 * 1024 * 1024;
    static final int MAX_PARTIAL = 16 * 1024 * 1024;
    static final int MAX_CHUNK_STREAMS = 64;
    static final int MAX_CHUNK_SIZE = 0xFFFFFF;
    static final int DEFAULT_WINDOW = 2_500_000;
    private static final int EXTENDED = 0xFFFFFF;

    /** What the last header of one chunk stream said, and the message being reassembled on it. */
    private static final class ChunkStream {
        long timestamp;
        long delta;
        int length;
        int type;
        int streamId;
        boolean extended;
        ByteBuf partial;
    }

    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private int chunkSize = 128;
    private long window = DEFAULT_WINDOW;
    private long received;
    private long acknowledged;
    private long partialBytes;

    ChunkDecoder() {
        // the bytes already decoded leave the buffer after every read: Netty's default (every 16th read) let the
        // buffer of a connection always left with part of a chunk grow with the reads in between, to MiBs each
        // (250 MiB of direct memory at 64 channels on a busy machine)
        setDiscardAfterReads(1);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf bytes) {
            received += bytes.readableBytes();
        }
        super.channelRead(ctx, msg);
        if (received - acknowledged >= window) {
            acknowledged = received;
            ByteBuf ack = ctx.alloc().buffer(4).writeInt((int) received);
            ctx.writeAndFlush(new RtmpMessage(2, RtmpMessage.ACKNOWLEDGEMENT, 0, 0, ack));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            RtmpMessage message = chunk(in, ctx.alloc());
            if (message == NEED_MORE) {
                in.readerIndex(start);
                return;
            }
            if (message != null && !control(message)) {
                out.add(message);
            }
        }
    }

    private static final RtmpMessage NEED_MORE = new RtmpMessage(0, 0, 0, 0, io.netty.buffer.Unpooled.EMPTY_BUFFER);

    /** Reads one chunk: NEED_MORE if it is not all here, the message it completes, or null. */
    private RtmpMessage chunk(ByteBuf in, io.netty.buffer.ByteBufAllocator alloc) {
        int first = in.readUnsignedByte();
        int format = first >> 6;
        int id = first & 0x3F;
        if (id == 0) {
            if (!in.isReadable()) {
                return NEED_MORE;
            }
            id = 64 + in.readUnsignedByte();
        } else if (id == 1) {
            if (in.readableBytes() < 2) {
                return NEED_MORE;
            }
            id = 64 + in.readUnsignedByte() + 256 * in.readUnsignedByte();
        }
        int headerSize = switch (format) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        if (in.readableBytes() < headerSize) {
            return NEED_MORE;
        }
        ChunkStream stream = streams.get(id);
        if (stream == null) {
            if (format != 0) {
                throw new RtmpProtocolException("a chunk of type " + format + " on chunk stream " + id
                        + ", which has not started");
            }
            if (streams.size() >= MAX_CHUNK_STREAMS) {
                throw new RtmpProtocolException("more than " + MAX_CHUNK_STREAMS + " chunk streams");
            }
        }
        long field = 0;
        int length = stream == null ? 0 : stream.length;
        int type = stream == null ? 0 : stream.type;
        int streamId = stream == null ? 0 : stream.streamId;
        if (format <= 2) {
            field = in.readUnsignedMedium();
        }
        if (format <= 1) {
            length = in.readUnsignedMedium();
            type = in.readUnsignedByte();
        }
        if (format == 0) {
            streamId = in.readIntLE();
        }
        boolean extended = format <= 2 ? field == EXTENDED : stream.extended;
        if (extended) {
            if (in.readableBytes() < 4) {
                return NEED_MORE;
            }
            long value = in.readUnsignedInt();
            if (format <= 2) {
                field = value;
            }
        }
        boolean continuation = stream != null && stream.partial != null;
        if (continuation && format != 3) {
            throw new RtmpProtocolException("a new message header on chunk stream " + id
                    + " before its last message was complete");
        }
        int size = continuation ? Math.min(chunkSize, stream.length - stream.partial.readableBytes())
                : Math.min(chunkSize, length);
        if (in.readableBytes() < size) {
            return NEED_MORE;
        }
        // the whole chunk is here: apply its header
        if (stream == null) {
            stream = new ChunkStream();
            streams.put(id, stream);
        }
        if (!continuation) {
            if (length > MAX_MESSAGE) {
                throw new RtmpProtocolException("a message of " + length + " bytes (at most " + MAX_MESSAGE
                        + " are taken)");
            }
            switch (format) {
                case 0 -> {
                    stream.timestamp = field;
                    stream.delta = field;
                }
                case 1, 2 -> {
                    stream.delta = field;
                    stream.timestamp = (stream.timestamp + field) & 0xFFFFFFFFL;
                }
                default -> stream.timestamp = (stream.timestamp + stream.delta) & 0xFFFFFFFFL;
            }
            stream.length = length;
            stream.type = type;
            stream.streamId = streamId;
            stream.extended = extended;
            if (length == 0) {
                return new RtmpMessage(id, type, streamId, stream.timestamp, io.netty.buffer.Unpooled.EMPTY_BUFFER);
            }
            if (partialBytes + length > MAX_PARTIAL) {
                throw new RtmpProtocolException("more than " + MAX_PARTIAL + " bytes of unfinished messages");
            }
            partialBytes += length;
            stream.partial = alloc.buffer(size, length);
        }
        stream.partial.writeBytes(in, size);
        if (stream.partial.readableBytes() < stream.length) {
            return null;
        }
        ByteBuf payload = stream.partial;
        stream.partial = null;
        partialBytes -= stream.length;
        return new RtmpMessage(id, stream.type, stream.streamId, stream.timestamp, payload);
    }

    /** Applies a protocol control message the decoder itself needs; true when it was one. */
    private boolean control(RtmpMessage message) {
        switch (message.type()) {
            case RtmpMessage.SET_CHUNK_SIZE -> {
                long size = fourBytes(message, "Set Chunk Size") & 0x7FFFFFFFL;
                if (size < 1 || size > MAX_CHUNK_SIZE) {
                    throw new RtmpProtocolException("chunk size " + size + " (1 to " + MAX_CHUNK_SIZE + " are taken)");
                }
                chunkSize = (int) size;
                return true;
            }
            case RtmpMessage.ABORT -> {
                int id = (int) fourBytes(message, "Abort");
                ChunkStream stream = streams.get(id);
                if (stream != null && stream.partial != null) {
                    partialBytes -= stream.length;
                    stream.partial.release();
                    stream.partial = null;
                }
                return true;
            }
            case RtmpMessage.WINDOW_ACK_SIZE -> {
                long size = fourBytes(message, "Window Acknowledgement Size");
                window = Math.max(size, 1);
                return true;
            }
            case RtmpMessage.ACKNOWLEDGEMENT, RtmpMessage.SET_PEER_BANDWIDTH -> {
                message.release(); // a publisher's acks of what we send: nothing to do
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static long fourBytes(RtmpMessage message, String what) {
        try {
            if (message.payload().readableBytes() < 4) {
                throw new RtmpProtocolException("a " + what + " message of " + message.payload().readableBytes()
                        + " bytes");
            }
            return message.payload().getUnsignedInt(message.payload().readerIndex());
        } finally {
            message.release();
        }
    }

    /** True while a message is only partly received. */
    boolean inMessage() {
        return partialBytes > 0;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        for (ChunkStream stream : streams.values()) {
            if (stream.partial != null) {
                stream.partial.release();
                stream.partial = null;
            }
        }
        streams.clear();
    }
}
