package io.livecamel.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.livecamel.rtmp.Amf0;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One benchmark publisher: an RTMP client that publishes the {@link SourceStream}'s tags in real time, as an
 * encoder does, and notes when it sent each keyframe (the moment a segment ending there could first be cut). It
 * does what OBS does on the wire (plain handshake, connect, createStream, publish, {@code @setDataFrame}, audio and
 * video in 4096-byte chunks) and nothing else, so that 32 of them cost a few percent of one core.
 */
final class LoadPublisher implements Runnable {

    private static final int CHUNK_SIZE = 4096;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final String key;
    private final List<byte[]> messages;
    private final List<SourceStream.Tag> tags;
    private final long startAt;
    private final Map<Integer, Long> keyframeSent = new ConcurrentHashMap<>();
    private volatile long endedAt;
    private volatile Throwable failure;
    private final StringBuffer received = new StringBuffer();

    /** Publishes {@code stream} to {@code rtmp://127.0.0.1:port/live/key}, its first tag at {@code startAt}. */
    LoadPublisher(int port, String key, SourceStream stream, List<byte[]> chunked, long startAt) {
        this.port = port;
        this.key = key;
        this.tags = stream.tags();
        this.messages = chunked;
        this.startAt = startAt;
    }

    /** Every tag as the chunks a publisher sends on message stream 1 (shared by all publishers). */
    static List<byte[]> chunked(SourceStream stream) {
        return stream.tags().stream().map(tag -> {
            byte[] body = tag.body();
            if (tag.type() == 18) {
                ByteBuf data = Unpooled.buffer();
                Amf0.write(data, "@setDataFrame");
                data.writeBytes(body);
                body = new byte[data.readableBytes()];
                data.readBytes(body);
            }
            return message(tag.type() == 8 ? 4 : 6, tag.type(), tag.timestamp(), 1, body);
        }).toList();
    }

    /** A message as chunks: a type-0 header (timestamps below 2^24 ms), then type-3 headers. */
    static byte[] message(int chunkStream, int type, int timestamp, int streamId, byte[] payload) {
        int chunks = Math.max(1, (payload.length + CHUNK_SIZE - 1) / CHUNK_SIZE);
        ByteBuffer out = ByteBuffer.allocate(12 + payload.length + chunks - 1);
        out.put((byte) chunkStream).put((byte) (timestamp >> 16)).put((byte) (timestamp >> 8)).put((byte) timestamp)
                .put((byte) (payload.length >> 16)).put((byte) (payload.length >> 8)).put((byte) payload.length)
                .put((byte) type).put((byte) streamId).put((byte) (streamId >> 8)).put((byte) (streamId >> 16))
                .put((byte) (streamId >> 24));
        for (int offset = 0; offset < payload.length; offset += CHUNK_SIZE) {
            if (offset > 0) {
                out.put((byte) (0xC0 | chunkStream));
            }
            out.put(payload, offset, Math.min(CHUNK_SIZE, payload.length - offset));
        }
        return out.array();
    }

    private static byte[] command(int streamId, Object... values) {
        ByteBuf payload = Unpooled.buffer();
        Amf0.write(payload, values);
        byte[] bytes = new byte[payload.readableBytes()];
        payload.readBytes(bytes);
        return message(streamId == 0 ? 3 : 8, 20, 0, streamId, bytes);
    }

    @Override
    public void run() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            handshake(out, in);
            Thread reader = new Thread(() -> drain(in), "publisher-reader-" + key.hashCode());
            reader.setDaemon(true);
            reader.start();
            out.write(message(2, 1, 0, 0, ByteBuffer.allocate(4).putInt(CHUNK_SIZE).array()));
            out.write(command(0, "connect", 1.0, Map.of("app", "live", "type", "nonprivate",
                    "flashVer", "FMLE/3.0 (compatible; benchmark)", "tcUrl", "rtmp://127.0.0.1:" + port + "/live")));
            out.flush();
            await("_result", 1);
            out.write(command(0, "createStream", 2.0, null));
            out.flush();
            await("_result", 2);
            out.write(command(1, "publish", 3.0, null, key, "live"));
            out.flush();
            await("NetStream.Publish.Start", 1);
            for (int i = 0; i < messages.size(); i++) {
                SourceStream.Tag tag = tags.get(i);
                long due = startAt + tag.timestamp() * 1_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                out.write(messages.get(i));
                if (tag.keyframe()) {
                    keyframeSent.put(tag.timestamp(), System.nanoTime());
                }
            }
            out.flush();
            endedAt = System.nanoTime();
            out.write(command(1, "deleteStream", 4.0, null, 1.0));
            out.flush();
        } catch (Throwable e) {
            failure = e;
        }
    }

    private static void handshake(OutputStream out, InputStream in) throws IOException {
        byte[] c0c1 = new byte[1537];
        new Random().nextBytes(c0c1);
        c0c1[0] = 3;
        java.util.Arrays.fill(c0c1, 1, 9, (byte) 0); // time and zero fields
        out.write(c0c1);
        out.flush();
        byte[] s0s1s2 = in.readNBytes(1 + 2 * 1536);
        if (s0s1s2.length < 1 + 2 * 1536) {
            throw new IOException("the server closed the connection during the handshake");
        }
        out.write(s0s1s2, 1, 1536);
        out.flush();
    }

    /** Keeps what the server sends, as text (status codes are readable in it). */
    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (received.length() < 64 * 1024) {
                    received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void await(String text, int times) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (count(received.toString(), text) < times) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no " + text + " from the server on port " + port + " within "
                        + COMMAND_TIMEOUT.toSeconds() + " s; it sent: " + received.toString().replaceAll("[^ -~]", "."));
            }
            Thread.sleep(5); // the reader thread fills the text; this is a polling interval, not a wait for time
        }
    }

    private static int count(String in, String text) {
        int count = 0;
        for (int at = in.indexOf(text); at >= 0; at = in.indexOf(text, at + text.length())) {
            count++;
        }
        return count;
    }

    /** When the keyframe at {@code timestamp} (ms) went out, in {@link System#nanoTime()}; null if it did not. */
    Long keyframeSentAt(int timestamp) {
        return keyframeSent.get(timestamp);
    }

    /** When the last tag went out, or 0. */
    long endedAt() {
        return endedAt;
    }

    Throwable failure() {
        return failure;
    }
}
