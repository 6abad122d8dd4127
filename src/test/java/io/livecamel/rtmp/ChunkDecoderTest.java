package io.livecamel.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

/** The chunk decoder against chunks written by hand, fed whole and a byte at a time. */
class ChunkDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder());

    private static byte[] payload(int size, int seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private List<RtmpMessage> feed(byte[] bytes, boolean byteByByte) {
        if (byteByByte) {
            for (byte b : bytes) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        List<RtmpMessage> messages = new ArrayList<>();
        for (RtmpMessage m = channel.readInbound(); m != null; m = channel.readInbound()) {
            messages.add(m);
        }
        return messages;
    }

    private static byte[] bytesOf(RtmpMessage message) {
        byte[] bytes = new byte[message.payload().readableBytes()];
        message.payload().getBytes(message.payload().readerIndex(), bytes);
        message.release();
        return bytes;
    }

    @Test
    void aMessageInManyChunksIsReassembledWhetherItArrivesWholeOrAByteAtATime() {
        for (boolean byteByByte : new boolean[] {false, true}) {
            byte[] video = payload(1000, 1);
            List<RtmpMessage> messages = feed(new Chunks().message(6, 40, RtmpMessage.VIDEO, 1, video, 128).toBytes(),
                    byteByByte);
            assertEquals(1, messages.size());
            assertEquals(RtmpMessage.VIDEO, messages.get(0).type());
            assertEquals(1, messages.get(0).streamId());
            assertEquals(40, messages.get(0).timestamp());
            assertArrayEquals(video, bytesOf(messages.get(0)));
        }
    }

    @Test
    void theClientsChunkSizeAppliesFromItsMessageOn() {
        byte[] video = payload(10_000, 2);
        List<RtmpMessage> messages = feed(new Chunks().setChunkSize(4096)
                .message(6, 0, RtmpMessage.VIDEO, 1, video, 4096).toBytes(), false);
        assertEquals(1, messages.size(), "the Set Chunk Size message is the decoder's own");
        assertArrayEquals(video, bytesOf(messages.get(0)));
    }

    @Test
    void interleavedChunkStreamsEachKeepTheirOwnMessage() {
        byte[] video = payload(300, 3);
        byte[] audio = payload(200, 4);
        Chunks chunks = new Chunks()
                .header(0, 6, 100, video.length, RtmpMessage.VIDEO, 1, false).bytes(video, 0, 128)
                .header(0, 4, 90, audio.length, RtmpMessage.AUDIO, 1, false).bytes(audio, 0, 128)
                .header(3, 6, 0, 0, 0, 0, false).bytes(video, 128, 128)
                .header(3, 4, 0, 0, 0, 0, false).bytes(audio, 128, 72)
                .header(3, 6, 0, 0, 0, 0, false).bytes(video, 256, 44);
        List<RtmpMessage> messages = feed(chunks.toBytes(), false);
        assertEquals(2, messages.size());
        assertEquals(90, messages.get(0).timestamp());
        assertArrayEquals(audio, bytesOf(messages.get(0)));
        assertEquals(100, messages.get(1).timestamp());
        assertArrayEquals(video, bytesOf(messages.get(1)));
    }

    @Test
    void timestampsGoOnPast2To24MillisecondsAlsoOnType3Chunks() {
        long start = 0xFFFFFF - 40; // 4 h 39 min 37 s
        byte[] frame = payload(300, 5);
        Chunks chunks = new Chunks().message(6, start, RtmpMessage.VIDEO, 1, frame, 128);
        // type 1 with a delta of 40: now past 2^24
        chunks.header(1, 6, 40, frame.length, RtmpMessage.VIDEO, 1, false).bytes(frame, 0, 128);
        chunks.header(3, 6, 0, 0, 0, 0, false).bytes(frame, 128, 128);
        chunks.header(3, 6, 0, 0, 0, 0, false).bytes(frame, 256, 44);
        // a whole new message with an absolute extended timestamp, its continuation chunks carrying it too
        long later = 20_000_000; // 5 h 33 min
        chunks.message(6, later, RtmpMessage.VIDEO, 1, frame, 128);
        // type 3 starting a new message: the last delta again
        chunks.header(2, 6, 40, 0, 0, 0, false).bytes(frame, 0, 128);
        chunks.header(3, 6, 0, 0, 0, 0, false).bytes(frame, 128, 128);
        chunks.header(3, 6, 0, 0, 0, 0, false).bytes(frame, 256, 44);
        chunks.header(3, 6, 0, 0, 0, 0, false).bytes(frame, 0, 128);
        chunks.header(3, 6, 0, 0, 0, 0, false).bytes(frame, 128, 128);
        chunks.header(3, 6, 0, 0, 0, 0, false).bytes(frame, 256, 44);
        List<RtmpMessage> messages = feed(chunks.toBytes(), true);
        assertEquals(List.of(start, start + 40, later, later + 40, later + 80),
                messages.stream().map(RtmpMessage::timestamp).toList());
        for (RtmpMessage message : messages) {
            assertArrayEquals(frame, bytesOf(message));
        }
    }

    @Test
    void anAbortDropsTheUnfinishedMessage() {
        byte[] video = payload(300, 6);
        Chunks chunks = new Chunks().header(0, 6, 0, video.length, RtmpMessage.VIDEO, 1, false).bytes(video, 0, 128)
                .message(2, 0, RtmpMessage.ABORT, 0, new byte[] {0, 0, 0, 6}, 128)
                .message(6, 40, RtmpMessage.VIDEO, 1, video, 128);
        List<RtmpMessage> messages = feed(chunks.toBytes(), false);
        assertEquals(1, messages.size());
        assertEquals(40, messages.get(0).timestamp());
        assertArrayEquals(video, bytesOf(messages.get(0)));
    }

    @Test
    void everyWindowOfBytesIsAcknowledged() {
        feed(new Chunks().message(2, 0, RtmpMessage.WINDOW_ACK_SIZE, 0, new byte[] {0, 0, 4, 0}, 128).toBytes(),
                false); // a window of 1024 bytes
        List<RtmpMessage> media = feed(new Chunks().message(6, 0, RtmpMessage.VIDEO, 1, payload(2000, 7), 128)
                .toBytes(), false);
        media.forEach(RtmpMessage::release);
        ByteBuf ack = channel.readOutbound();
        assertTrue(ack != null, "an acknowledgement was sent");
        // type-0 header on chunk stream 2, type 3 (Acknowledgement), then the bytes received so far
        assertEquals(2, ack.getUnsignedByte(0));
        assertEquals(RtmpMessage.ACKNOWLEDGEMENT, ack.getUnsignedByte(7));
        assertTrue(ack.getInt(12) >= 1024, "sequence number " + ack.getInt(12));
        ack.release();
    }

    @Test
    void chunkSizesOfZeroOrPast2To24AreRefused() {
        for (long size : new long[] {0, 0x1000000L}) {
            EmbeddedChannel fresh = new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder());
            DecoderException error = assertThrows(DecoderException.class,
                    () -> fresh.writeInbound(Unpooled.wrappedBuffer(new Chunks().setChunkSize(size).toBytes())));
            assertTrue(error.getCause() instanceof RtmpProtocolException, error.toString());
            assertEquals("chunk size " + size + " (1 to 16777215 are taken)", error.getCause().getMessage());
        }
    }

    @Test
    void aMessageNear16MegabytesIsRefusedBeforeAnyOfItIsBuffered() {
        byte[] header = new Chunks().header(0, 6, 0, 0xFFFFF0, RtmpMessage.VIDEO, 1, false).toBytes();
        byte[] bytes = new byte[header.length + 128];
        System.arraycopy(header, 0, bytes, 0, header.length);
        DecoderException error = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)));
        assertEquals("a message of 16777200 bytes (at most 8388608 are taken)", error.getCause().getMessage());
    }

    @Test
    void aContinuationOfAChunkStreamThatNeverStartedIsRefused() {
        DecoderException error = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new Chunks().header(1, 9, 0, 10, 9, 0, false)
                        .bytes(new byte[10], 0, 10).toBytes())));
        assertEquals("a chunk of type 1 on chunk stream 9, which has not started", error.getCause().getMessage());
    }

    @Test
    void tooManyChunkStreamsAreRefused() {
        Chunks chunks = new Chunks();
        for (int id = 3; id < 3 + ChunkDecoder.MAX_CHUNK_STREAMS + 1; id++) {
            chunks.header(0, id, 0, 200, RtmpMessage.VIDEO, 1, false).bytes(new byte[200], 0, 128);
        }
        DecoderException error = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(chunks.toBytes())));
        assertEquals("more than 64 chunk streams", error.getCause().getMessage());
    }

    @Test
    void unfinishedMessagesAreReleasedWhenTheConnectionCloses() {
        ByteBuf chunk = Unpooled.wrappedBuffer(new Chunks().header(0, 6, 0, 300, RtmpMessage.VIDEO, 1, false)
                .bytes(new byte[300], 0, 128).toBytes());
        channel.writeInbound(chunk);
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void whatIsBufferedBetweenReadsStaysAsSmallAsAReadWhenReadsEndInsideChunks() {
        UnpooledByteBufAllocator memory = new UnpooledByteBufAllocator(false);
        channel.config().setAllocator(memory);
        // a stream of 100-KB frames in 4096-byte chunks, read 65,000 bytes at a time, 16 reads before the network
        // thread goes on (as Netty reads a busy connection): every read ends inside a chunk, so part of one always
        // stays buffered, and the decoded bytes before it must not
        Chunks chunks = new Chunks().setChunkSize(4096);
        for (int i = 0; i < 100; i++) {
            chunks.message(6, i * 40L, RtmpMessage.VIDEO, 1, payload(100_000, i), 4096);
        }
        byte[] stream = chunks.toBytes();
        long most = 0;
        int messages = 0;
        for (int offset = 0; offset < stream.length; ) {
            List<Object> reads = new ArrayList<>();
            for (int i = 0; i < 16 && offset < stream.length; i++, offset += 65_000) {
                reads.add(Unpooled.wrappedBuffer(stream, offset, Math.min(65_000, stream.length - offset)));
            }
            channel.writeInbound(reads.toArray());
            for (RtmpMessage m = channel.readInbound(); m != null; m = channel.readInbound()) {
                m.release();
                messages++;
            }
            // what the decoder keeps once its messages are gone: part of a chunk, and a frame being reassembled
            most = Math.max(most, memory.metric().usedHeapMemory());
        }
        assertEquals(100, messages);
        assertTrue(most < 512 * 1024, "at most " + most + " bytes buffered between reads");
    }
}
