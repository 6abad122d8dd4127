package io.livecamel.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.livecamel.media.Admission;
import io.livecamel.media.FlvTag;
import io.livecamel.media.MediaSink;
import io.livecamel.media.Publishers;
import io.livecamel.media.Tracks;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.Publisher;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the chunk decoder, AMF0, the command handling and the track check with mutations of real sessions: what
 * the bundled ffmpeg (and GStreamer's librtmp sink, where installed) sent to the server, recorded through a proxy,
 * then bit flips, odd values, insertions, deletions, repeats and cuts, fed in slices of random sizes. No input may
 * raise anything but a protocol error, and every buffer is released. The budget is fixed ({@link #RUNS} runs from
 * fixed seeds) and takes seconds; the recordings are made afresh each run, so the inputs differ a little between
 * runs (a failure prints the seed of its mutation).
 */
class RtmpFuzzIT {

    private static final int RUNS = 20_000;
    private static final String KEY = "fuzz-key-0123456789";
    private static final int IO_TIMEOUT_MILLIS = 20_000;

    @Test
    void mutatedRealSessionsOnlyEverRaiseProtocolErrorsAndLeakNothing() throws Exception {
        List<byte[]> recordings = new ArrayList<>();
        Path logs = Path.of("target", "it", "RtmpFuzzIT").toAbsolutePath();
        recordings.add(record(port -> Publisher.start(port, KEY, 2, logs)));
        Optional<String> noGStreamer = Publisher.gstreamerMissing();
        if (noGStreamer.isEmpty()) {
            recordings.add(record(port -> Publisher.startGStreamer(port, KEY, 2, logs)));
        } else {
            System.out.println("RtmpFuzzIT: no GStreamer recording: " + noGStreamer.get());
        }
        for (byte[] recording : recordings) {
            assertTrue(recording.length > 10_000, "a recording of " + recording.length + " bytes");
            assertEquals(0, run(recording, new Random(0), false).protocolErrors, "the recording itself is valid");
        }

        long started = System.nanoTime();
        long errors = 0;
        long tags = 0;
        try (LogCapture log = LogCapture.open()) {
            for (int i = 0; i < RUNS; i++) {
                Random random = new Random(i);
                byte[] input = mutate(recordings.get(i % recordings.size()), random);
                Outcome outcome;
                try {
                    outcome = run(input, random, true);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("mutation seed " + i + " of a " + input.length + "-byte input: " + e, e);
                }
                errors += outcome.protocolErrors;
                tags += outcome.tags;
            }
            assertEquals(List.of(), log.containing("the server failed"), "only protocol errors may stop a client");
            assertEquals(List.of(), log.containing(KEY), "the key is never logged");
        }
        System.out.printf("RtmpFuzzIT: %d mutated sessions in %.1f s: %d refused as protocol errors, %d media tags "
                + "delivered%n", RUNS, (System.nanoTime() - started) / 1e9, errors, tags);
    }

    @Test
    void theMutationsTakeAnyInputEvenOneTheyCutToNothing() {
        for (int size : new int[] {0, 1, 5, 300, 4000}) {
            for (int seed = 0; seed < 20_000; seed++) {
                mutate(randomBytes(new Random(size), size), new Random(seed));
            }
        }
    }

    /** What one input did. */
    private record Outcome(int protocolErrors, long tags) {
    }

    private static Outcome run(byte[] input, Random random, boolean sliced) {
        TrackingAllocator allocator = new TrackingAllocator();
        AtomicLong tags = new AtomicLong();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        RtmpServer.install(channel.pipeline(), admitting(new MediaSink() {
            private final Tracks tracks = new Tracks(false);

            @Override
            public void metadata(Map<String, Object> values) {
                tracks.metadata(values);
            }

            @Override
            public void media(FlvTag tag) {
                tracks.see(tag);
                tracks.decide(false);
                tracks.resolution();
                tags.incrementAndGet();
                tag.release();
            }

            @Override
            public void end(String reason) {
            }
        }), RtmpLimits.DEFAULT, "rtmp");
        int offset = 0;
        while (offset < input.length && channel.isOpen()) {
            int size = sliced ? 1 + random.nextInt(random.nextBoolean() ? 16 : 8192) : input.length;
            size = Math.min(size, input.length - offset);
            ByteBuf slice = allocator.buffer(size);
            slice.writeBytes(input, offset, size);
            channel.writeInbound(slice);
            channel.checkException();
            offset += size;
        }
        boolean closedByServer = !channel.isOpen();
        channel.finishAndReleaseAll();
        List<ByteBuf> leaked = allocator.unreleased();
        assertEquals(List.of(), leaked.stream().map(ByteBuf::toString).toList(), "buffers not released");
        return new Outcome(closedByServer ? 1 : 0, tags.get());
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] data = original.clone();
        int mutations = 1 + random.nextInt(8);
        // a cut may leave nothing: an empty input is a case of its own, with nothing more to mutate
        for (int m = 0; m < mutations && data.length > 0; m++) {
            // most mutations after the handshake (1537 + 1536 bytes), where the chunk parser works
            int at = random.nextInt(10) < 8 && data.length > 3073
                    ? 3073 + random.nextInt(data.length - 3073) : random.nextInt(data.length);
            switch (random.nextInt(7)) {
                case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> data[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, 0x03, 0xC3, 0x01}[random.nextInt(7)];
                case 2 -> data = splice(data, at, 0, randomBytes(random, 1 + random.nextInt(64)));
                case 3 -> data = splice(data, at, Math.min(data.length - at, 1 + random.nextInt(256)), new byte[0]);
                case 4 -> {
                    int length = Math.min(data.length - at, 1 + random.nextInt(512));
                    byte[] copy = new byte[length];
                    System.arraycopy(data, at, copy, 0, length);
                    data = splice(data, Math.min(data.length, at + length), 0, copy);
                }
                case 5 -> data = splice(data, at, data.length - at, new byte[0]);
                default -> {
                    // a message length or chunk size field set to something large
                    if (at + 3 < data.length) {
                        data[at] = (byte) 0xFF;
                        data[at + 1] = (byte) random.nextInt(256);
                        data[at + 2] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return data;
    }

    private static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
        byte[] result = new byte[data.length - remove + insert.length];
        System.arraycopy(data, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(data, at + remove, result, at + insert.length, data.length - at - remove);
        return result;
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A publisher to start against a port. */
    private interface PublisherStart {
        Publisher start(int port) throws IOException;
    }

    /**
     * What a real publisher sends: it publishes through a proxy to a real server (which admits any key and
     * discards the media), and the proxy keeps every byte from the publisher.
     */
    private static byte[] record(PublisherStart publisher) throws Exception {
        int serverPort = FreePort.find();
        ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        try (RtmpServer server = new RtmpServer(admitting(new MediaSink() {
                    @Override
                    public void metadata(Map<String, Object> values) {
                    }

                    @Override
                    public void media(FlvTag tag) {
                        tag.release();
                    }

                    @Override
                    public void end(String reason) {
                    }
                }));
             ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.listen("127.0.0.1", serverPort, null);
            // every wait is bounded: a publisher that dies before it connects fails the test with its log
            proxy.setSoTimeout(IO_TIMEOUT_MILLIS);
            try (Publisher client = publisher.start(proxy.getLocalPort());
                 Socket in = accept(proxy, client);
                 Socket out = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
                in.setSoTimeout(IO_TIMEOUT_MILLIS);
                out.setSoTimeout(IO_TIMEOUT_MILLIS);
                Thread back = new Thread(() -> pump(out, in, null));
                back.setDaemon(true);
                back.start();
                pump(in, out, recorded);
                int exit = client.await(Duration.ofSeconds(30));
                assertEquals(0, exit, client.log());
                out.close();
                back.join(IO_TIMEOUT_MILLIS);
            }
        }
        return recorded.toByteArray();
    }

    private static Socket accept(ServerSocket proxy, Publisher client) throws IOException {
        try {
            return proxy.accept();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the publisher did not connect within " + IO_TIMEOUT_MILLIS + " ms; its log:\n"
                    + client.log(), e);
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(buffer, 0, n);
                    }
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    /** Heap buffers, each remembered, so that a test can see which were never released. */
    private static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> made = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
            made.add(buffer);
            return buffer;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
            return Unpooled.compositeBuffer(maxNumComponents);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        List<ByteBuf> unreleased() {
            return made.stream().filter(buffer -> buffer.refCnt() > 0).toList();
        }
    }

    /** An application that admits every publisher to the channel fuzz, its media going to {@code sink}. */
    private static Publishers admitting(MediaSink sink) {
        return (request, link) -> CompletableFuture.completedFuture(Admission.admitted("fuzz", sink));
    }
}
