package io.livecamel.media;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

/** Reads an FLV stream (ffmpeg's output) into a {@link MediaSink}: audio and video tags, and its onMetaData. */
public final class FlvReader {

    static final int MAX_TAG = 8 * 1024 * 1024;

    private final DataInputStream in;

    public FlvReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** Reads the FLV header; false at the end of the input before any byte. */
    public boolean header() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        byte[] rest = new byte[8];
        in.readFully(rest);
        if (first != 'F' || rest[0] != 'L' || rest[1] != 'V') {
            throw new IOException("not an FLV stream");
        }
        long offset = ((rest[4] & 0xFFL) << 24) | ((rest[5] & 0xFF) << 16) | ((rest[6] & 0xFF) << 8) | (rest[7] & 0xFF);
        in.skipNBytes(Math.max(0, offset - 9));
        return true;
    }

    /** Reads the next tag into the sink; false at the end of the input. */
    public boolean next(MediaSink sink) throws IOException {
        byte[] header = new byte[15];
        int read = in.readNBytes(header, 0, 15);
        if (read == 0 || read == 4) {
            return false; // the end, possibly after the last tag's size
        }
        if (read < 15) {
            throw new EOFException("the FLV stream ends inside a tag header");
        }
        int type = header[4] & 0x1F;
        int size = ((header[5] & 0xFF) << 16) | ((header[6] & 0xFF) << 8) | (header[7] & 0xFF);
        long timestamp = ((header[11] & 0xFFL) << 24) | ((header[8] & 0xFF) << 16) | ((header[9] & 0xFF) << 8)
                | (header[10] & 0xFF);
        if (size > MAX_TAG) {
            throw new IOException("an FLV tag of " + size + " bytes");
        }
        if (type == FlvTag.AUDIO || type == FlvTag.VIDEO) {
            ByteBuf body = PooledByteBufAllocator.DEFAULT.buffer(size);
            try {
                for (int left = size; left > 0; ) {
                    int got = body.writeBytes(in, left);
                    if (got < 0) {
                        throw new EOFException("the FLV stream ends inside a tag");
                    }
                    left -= got;
                }
            } catch (IOException | RuntimeException e) {
                body.release();
                throw e;
            }
            sink.media(new FlvTag(type, timestamp, body));
        } else if (type == 18) {
            byte[] data = in.readNBytes(size);
            try {
                Amf0.onMetaData(Amf0.readAll(Unpooled.wrappedBuffer(data))).ifPresent(sink::metadata);
            } catch (FormatException e) {
                // metadata it cannot read: the tracks are known from the tags
            }
        } else {
            in.skipNBytes(size);
        }
        return true;
    }
}
