package io.livecamel.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes the server's messages as chunks: a type-0 header, then type-3 headers for the rest of a message. The chunk
 * size is 128 until the server sends Set Chunk Size, then the size it announced.
 */
final class ChunkEncoder extends MessageToByteEncoder<RtmpMessage> {

    private int chunkSize = 128;

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage message, ByteBuf out) {
        ByteBuf payload = message.payload();
        int length = payload.readableBytes();
        long timestamp = message.timestamp();
        boolean extended = timestamp >= 0xFFFFFF;
        int id = message.chunkStream(); // the server uses chunk streams 2 to 63: one-byte basic headers
        out.writeByte(id);
        out.writeMedium(extended ? 0xFFFFFF : (int) timestamp);
        out.writeMedium(length);
        out.writeByte(message.type());
        out.writeIntLE(message.streamId());
        if (extended) {
            out.writeInt((int) timestamp);
        }
        int first = payload.readerIndex();
        for (int offset = 0; offset < length; offset += chunkSize) {
            if (offset > 0) {
                out.writeByte(0xC0 | id);
                if (extended) {
                    out.writeInt((int) timestamp);
                }
            }
            out.writeBytes(payload, first + offset, Math.min(chunkSize, length - offset));
        }
        if (message.type() == RtmpMessage.SET_CHUNK_SIZE) {
            chunkSize = payload.getInt(first);
        }
    }
}
