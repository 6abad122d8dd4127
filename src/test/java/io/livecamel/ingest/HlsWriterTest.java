package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.livecamel.media.PublisherLink;
import io.livecamel.testing.Eventually;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's queue into a real process ({@code cat} into a file, standing where ffmpeg reads): every byte arrives,
 * in order, whether it was gathered or sent at once, and the end of the input follows the last of them.
 */
class HlsWriterTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    Path folder;

    @AfterEach
    void stop() {
        threads.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void everyByteReachesTheProcessInOrderAndItsInputEndsAfterThem() throws Exception {
        Path out = folder.resolve("out");
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        HlsWriter writer = intoFile(out, exited);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Random random = new Random(21);
        for (int i = 0; i < 2000; i++) {
            // frames of a few bytes to a few hundred KB: some gathered, some (every 25th, a "keyframe") at once
            byte[] frame = new byte[i % 100 == 0 ? 300_000 : 1 + random.nextInt(5_000)];
            random.nextBytes(frame);
            sent.write(frame);
            writer.write(Unpooled.wrappedBuffer(frame), i % 25 == 0);
        }
        writer.finish();
        assertEquals(0, exited.get(30, TimeUnit.SECONDS), "cat ends once its input has");
        assertArrayEquals(sent.toByteArray(), Files.readAllBytes(out));
    }

    @Test
    void whatWaitsToBeGatheredStillGoesWithinItsBound() throws Exception {
        Path out = folder.resolve("out");
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        HlsWriter writer = intoFile(out, exited);
        writer.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), false);
        // nothing wakes the writer: the frame goes when its gathering time is over (the wait is for the bytes, bounded)
        Eventually.await("a gathered frame at the process", Duration.ofSeconds(10), () -> out.toFile().length() >= 3);
        writer.finish();
        assertEquals(0, exited.get(30, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
    }

    /** A writer into {@code cat}, which copies what it reads into {@code out}; {@code exited} gets its exit code. */
    private HlsWriter intoFile(Path out, CompletableFuture<Integer> exited) throws java.io.IOException {
        return HlsWriter.start("main", List.of("sh", "-c", "cat > '" + out + "'"), new Link(), threads, timer,
                exited::complete);
    }

    private static final class Link implements PublisherLink {
        @Override
        public String address() {
            return "127.0.0.1:1";
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void cut(String reason) {
            throw new AssertionError("cut: " + reason);
        }
    }
}
