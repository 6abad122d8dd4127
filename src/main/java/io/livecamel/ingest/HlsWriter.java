package io.livecamel.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

import io.livecamel.hls.Session;
import io.livecamel.media.PublisherLink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's ffmpeg, cutting the FLV it reads on its standard input into HLS ({@code -c copy}). It holds no
 * port, and it ends when its input ends: when the publisher goes, and also when the JVM dies (its pipe closes).
 *
 * <p>Writes never block the caller (a network thread): bytes wait in a queue that one thread drains into ffmpeg, in
 * one write for whatever has gathered (up to {@link #BATCH} bytes, what a pipe holds). A write that finishes a
 * segment (ffmpeg cuts one when it has the keyframe that starts the next, and the first audio not earlier than it)
 * wakes that thread at once, with everything queued before it; the frames between wait at most
 * {@link #GATHER_MILLIS} ms. So a stream costs ffmpeg and this thread a dozen writes a second rather than one per
 * frame, and a segment is cut no later than it would be. Past {@link #HIGH_WATER} bytes waiting (a few seconds of
 * a stream, on the heap: a node has many connections), the publisher is paused (its TCP window fills, so it slows
 * down), and resumed below {@link #LOW_WATER}; a publisher paused for {@link #STALL_SECONDS} s, or with more than
 * {@link #HARD_LIMIT} bytes waiting, is cut with one WARN. ffmpeg's output is read as it runs and its last lines are
 * kept to explain a failure.
 */
final class HlsWriter {

    private static final Logger LOG = LoggerFactory.getLogger(HlsWriter.class);
    static final long HIGH_WATER = 1024 * 1024;
    static final long LOW_WATER = 256 * 1024;
    static final long HARD_LIMIT = 32L * 1024 * 1024;
    static final long STALL_SECONDS = 10;
    /** How long a frame that cuts no segment may wait to go to ffmpeg with the ones after it. */
    static final long GATHER_MILLIS = 100;
    /**
     * The most one write to ffmpeg takes, as much as a pipe holds: a backlog goes in pieces of this size, without
     * waiting between them, through one array per connection.
     */
    private static final int BATCH = 64 * 1024;
    private static final ByteBuf END = Unpooled.unreleasableBuffer(Unpooled.buffer(1));

    private final String channel;
    private final Process process;
    private final PublisherLink link;
    private final ScheduledExecutorService timer;
    private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong waiting = new AtomicLong();
    /** The thread that feeds ffmpeg, once it runs; woken for a write that must go at once. */
    private volatile Thread feeder;
    /** A write that must go at once is queued. */
    private volatile boolean urgent;
    private final OutputTail output;
    private volatile boolean broken;
    private volatile boolean finished;
    private boolean paused;
    private long pauses;

    private HlsWriter(String channel, Process process, PublisherLink link, ScheduledExecutorService timer) {
        this.channel = channel;
        this.process = process;
        this.link = link;
        this.timer = timer;
        this.output = new OutputTail("Channel " + channel + " ffmpeg", UnaryOperator.identity());
    }

    /** Starts ffmpeg; {@code exited} gets its exit code once it has ended and its output is read. */
    static HlsWriter start(String channel, List<String> command, PublisherLink link, ExecutorService threads,
            ScheduledExecutorService timer, IntConsumer exited) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        HlsWriter writer = new HlsWriter(channel, process, link, timer);
        threads.execute(writer::feed);
        threads.execute(() -> exited.accept(writer.readOutput()));
        return writer;
    }

    /**
     * Queues FLV bytes for ffmpeg (takes ownership); never blocks. {@code cutsSegment}: they go at once, with what is
     * queued before them (a keyframe); else they may wait up to {@link #GATHER_MILLIS}.
     */
    void write(ByteBuf bytes, boolean cutsSegment) {
        if (broken || finished) {
            bytes.release();
            return;
        }
        long now = waiting.addAndGet(bytes.readableBytes());
        queue.add(bytes);
        if (cutsSegment) {
            wake();
        }
        if (now > HARD_LIMIT) {
            stall("more than " + HARD_LIMIT / (1024 * 1024) + " MiB of the stream are waiting for ffmpeg");
        } else if (now > HIGH_WATER) {
            pause();
        }
    }

    /** No more input: ffmpeg gets the end of its input once it has taken what is queued, and finishes its HLS. */
    void finish() {
        if (!finished) {
            finished = true;
            queue.add(END);
            wake();
        }
    }

    private void wake() {
        urgent = true;
        Thread thread = feeder;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** The last lines ffmpeg wrote. */
    List<String> tail() {
        return output.lines();
    }

    private synchronized void pause() {
        if (paused) {
            return;
        }
        paused = true;
        long pause = ++pauses;
        link.pause();
        timer.schedule(() -> {
            synchronized (this) {
                if (paused && pauses == pause) {
                    stall("ffmpeg took none of the stream for " + STALL_SECONDS + " s (a full or slow disk?)");
                }
            }
        }, STALL_SECONDS, TimeUnit.SECONDS);
    }

    private synchronized void resumeIfDrained() {
        if (paused && waiting.get() < LOW_WATER) {
            paused = false;
            link.resume();
        }
    }

    private void stall(String why) {
        if (!broken) {
            broken = true;
            LOG.warn("Channel {}: {}; the publisher {} is cut", channel, why, link.address());
            link.cut("The server could not keep up: " + why + ".");
            process.destroyForcibly();
        }
    }

    private void feed() {
        feeder = Thread.currentThread();
        byte[] batch = new byte[BATCH];
        try (OutputStream stdin = process.getOutputStream()) {
            boolean end = false;
            while (!end) {
                if (!urgent && waiting.get() < BATCH) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS));
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                urgent = false; // before taking: a write queued from here on wakes the next round
                int size = 0;
                for (ByteBuf bytes; (bytes = queue.poll()) != null; ) {
                    if (bytes == END) {
                        end = true;
                        break;
                    }
                    try {
                        while (bytes.isReadable()) {
                            int piece = Math.min(bytes.readableBytes(), batch.length - size);
                            bytes.readBytes(batch, size, piece);
                            size += piece;
                            if (size == batch.length) {
                                send(stdin, batch, size);
                                size = 0;
                            }
                        }
                    } finally {
                        bytes.release();
                    }
                }
                send(stdin, batch, size);
                resumeIfDrained();
            }
        } catch (IOException e) {
            // ffmpeg is gone: how it ended is reported from its exit
            LOG.debug("Channel {}: ffmpeg's input closed: {}", channel, e.getMessage());
        } finally {
            broken = true;
            for (ByteBuf left = queue.poll(); left != null; left = queue.poll()) {
                left.release();
            }
            resumeIfDrained();
        }
    }

    private void send(OutputStream stdin, byte[] batch, int size) throws IOException {
        try {
            if (size > 0 && !broken) {
                stdin.write(batch, 0, size);
                stdin.flush();
            }
        } finally {
            waiting.addAndGet(-size);
        }
    }

    /** Reads ffmpeg's output to its end, then waits for it: its exit code. */
    private int readOutput() {
        output.read(process.getInputStream());
        while (true) {
            try {
                int code = process.waitFor();
                broken = true;
                queue.add(END); // ends the feeding thread if it still waits
                wake();
                return code;
            } catch (InterruptedException e) {
                process.destroy();
            }
        }
    }

    /**
     * The ffmpeg command for one connection of a session: FLV on standard input, copied ({@code -c copy}) into HLS
     * in the channel's folder, named after the session and the connection.
     */
    static List<String> command(IngestComponent component, Path folder, String forSession, int forConnection) {
        Path playlist = folder.resolve(Session.playlistFile(forSession));
        // append_list only onto a playlist of the session: on a new one ffmpeg would open with a discontinuity
        String flags = "temp_file+program_date_time+independent_segments"
                + (Files.isRegularFile(playlist) ? "+append_list" : "");
        return component.ffmpeg().command(List.of(
                // the frame rate is not probed (ffmpeg would otherwise read 20 frames, about 0.6 s of a 25-fps
                // stream, before its first segment): -c copy keeps the stream's timestamps anyway
                "-fpsprobesize", "0",
                "-f", "flv", "-i", "pipe:0",
                "-c", "copy",
                "-f", "hls",
                "-hls_time", String.format(Locale.ROOT, "%s", component.getHlsTime()),
                "-hls_list_size", Integer.toString(component.getHlsListSize()),
                // temp_file: a segment appears under its name only when complete; no delete_segments: the
                // origin deletes a local segment once it is uploaded and out of the window; append_list: a
                // publisher that comes back continues the session's playlist after an #EXT-X-DISCONTINUITY
                "-hls_flags", flags,
                "-hls_segment_filename", folder.resolve(Session.segmentPattern(forSession, forConnection)).toString(),
                playlist.toString()));
    }
}
