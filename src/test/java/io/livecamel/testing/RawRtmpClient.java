package io.livecamel.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import io.livecamel.media.Amf0;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An RTMP client that does exactly what a test says, right or wrong: the handshake (or half of it), chunks with any
 * chunk size, commands in any order. For the server's bad-input tests, and under the benchmark's publishers, which
 * send media already chunked ({@link #chunks}).
 */
public final class RawRtmpClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private int chunkSize = 128;

    private RawRtmpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawRtmpClient connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        return new RawRtmpClient(socket);
    }

    /** What the server sends, for a test that reads it itself. */
    public InputStream input() {
        return in;
    }

    /** C0 and C1 only: a handshake that stops half-way. */
    public RawRtmpClient halfHandshake() throws IOException {
        byte[] c0c1 = new byte[1537];
        new Random(1).nextBytes(c0c1);
        c0c1[0] = 3;
        Arrays.fill(c0c1, 1, 9, (byte) 0); // C1's time and zero fields
        out.write(c0c1);
        out.flush();
        return this;
    }

    /** The whole plain handshake. */
    public RawRtmpClient handshake() throws IOException {
        halfHandshake();
        byte[] s0s1s2 = new byte[1 + 2 * 1536];
        in.readFully(s0s1s2);
        out.write(s0s1s2, 1, 1536); // C2: S1 echoed
        out.flush();
        return this;
    }

    /** A message in chunks of the current chunk size, on chunk stream {@code chunkStream}. */
    public RawRtmpClient message(int chunkStream, int type, int streamId, byte[] payload) throws IOException {
        return write(chunks(chunkStream, type, 0, streamId, payload, chunkSize));
    }

    /**
     * A message as the bytes of its chunks of {@code chunkSize}: a type-0 header (a timestamp below 2^24 ms), then
     * type-3 headers.
     */
    public static byte[] chunks(int chunkStream, int type, int timestamp, int streamId, byte[] payload,
            int chunkSize) {
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeByte(chunkStream).writeMedium(timestamp).writeMedium(payload.length).writeByte(type)
                .writeIntLE(streamId);
        for (int offset = 0; offset < payload.length; offset += chunkSize) {
            if (offset > 0) {
                bytes.writeByte(0xC0 | chunkStream);
            }
            bytes.writeBytes(payload, offset, Math.min(chunkSize, payload.length - offset));
        }
        return bytes(bytes);
    }

    /** AMF0 values as bytes. */
    public static byte[] amf0(Object... values) {
        ByteBuf payload = Unpooled.buffer();
        Amf0.write(payload, values);
        return bytes(payload);
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    /** Only the header of a message of {@code length} bytes and the first {@code sent} bytes of it. */
    public RawRtmpClient messageStart(int chunkStream, int type, int length, int sent) throws IOException {
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeByte(chunkStream).writeMedium(0).writeMedium(length).writeByte(type).writeIntLE(1);
        bytes.writeBytes(new byte[Math.min(sent, chunkSize)]);
        return write(bytes(bytes));
    }

    public RawRtmpClient setChunkSize(long size) throws IOException {
        message(2, 1, 0, Unpooled.buffer(4).writeInt((int) size).array());
        if (size > 0 && size <= 0xFFFFFF) {
            chunkSize = (int) size;
        }
        return this;
    }

    /** An AMF0 command on chunk stream 3, e.g. {@code command("connect", 1.0, Map.of("app", "live"))}. */
    public RawRtmpClient command(Object... values) throws IOException {
        return commandOn(0, values);
    }

    /** An AMF0 command on a message stream (publish goes on stream 1). */
    public RawRtmpClient commandOn(int streamId, Object... values) throws IOException {
        return message(streamId == 0 ? 3 : 8, 20, streamId, amf0(values));
    }

    public RawRtmpClient write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Reads what the server sends until it closes the connection; true when it closed within {@code timeout}.
     * What it sent is kept, as text, in {@link #received()} (status descriptions are readable in it).
     */
    public boolean closedWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream raw = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                int n = raw.read(buffer);
                if (n < 0) {
                    return true;
                }
                received.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset: closed just the same
        }
    }

    private final StringBuilder received = new StringBuilder();

    /** Reads what the server sends until it has sent {@code text}; false when it did not within {@code timeout}. */
    public boolean receivedWithin(String text, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream raw = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!received.toString().contains(text)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)));
            try {
                int n = raw.read(buffer);
                if (n < 0) {
                    return received.toString().contains(text);
                }
                received.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return true;
    }

    public String received() {
        return received.toString();
    }

    /**
     * Ends the connection's sending side (a FIN): unlike {@link #close()} with bytes from the server still unread,
     * which resets the connection and may make the server drop what it has not read yet.
     */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
