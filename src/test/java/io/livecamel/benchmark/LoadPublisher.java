package io.livecamel.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.livecamel.testing.RawRtmpClient;

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
                byte[] name = RawRtmpClient.amf0("@setDataFrame");
                body = ByteBuffer.allocate(name.length + body.length).put(name).put(body).array();
            }
            return RawRtmpClient.chunks(tag.type() == 8 ? 4 : 6, tag.type(), tag.timestamp(), 1, body, CHUNK_SIZE);
        }).toList();
    }

    @Override
    public void run() {
        try (RawRtmpClient client = RawRtmpClient.connect(port)) {
            client.handshake();
            Thread reader = new Thread(() -> drain(client.input()), "publisher-reader-" + key.hashCode());
            reader.setDaemon(true);
            reader.start();
            client.setChunkSize(CHUNK_SIZE).command("connect", 1.0, Map.of("app", "live", "type", "nonprivate",
                    "flashVer", "FMLE/3.0 (compatible; benchmark)", "tcUrl", "rtmp://127.0.0.1:" + port + "/live"));
            await("_result", 1);
            client.command("createStream", 2.0, null);
            await("_result", 2);
            client.commandOn(1, "publish", 3.0, null, key, "live");
            await("NetStream.Publish.Start", 1);
            for (int i = 0; i < messages.size(); i++) {
                SourceStream.Tag tag = tags.get(i);
                long due = startAt + tag.timestamp() * 1_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                client.write(messages.get(i));
                if (tag.keyframe()) {
                    keyframeSent.put(tag.timestamp(), System.nanoTime());
                }
            }
            endedAt = System.nanoTime();
            client.commandOn(1, "deleteStream", 4.0, null, 1.0);
        } catch (Throwable e) {
            failure = e;
        }
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

    /** When its first tag was due, in {@link System#nanoTime()}. */
    long startedAt() {
        return startAt;
    }

    /** When the last tag went out, or 0. */
    long endedAt() {
        return endedAt;
    }

    Throwable failure() {
        return failure;
    }
}
