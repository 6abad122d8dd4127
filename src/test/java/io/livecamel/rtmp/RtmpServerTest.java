package io.livecamel.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.livecamel.media.Admission;
import io.livecamel.media.FlvTag;
import io.livecamel.media.MediaSink;
import io.livecamel.media.PublisherLink;
import io.livecamel.media.PublishRequest;
import io.livecamel.media.Publishers;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.RawRtmpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients the RTMP server must turn away, over real sockets against the real Netty server, with a fake application
 * behind it ({@link Publishers}) and short timeouts: random bytes, silence, a handshake that stops half-way, bad
 * chunk sizes, a message near 16 MB, commands out of order, a publisher that stops mid-message, play, too many
 * connections, 200 bad connections, 1,000 idle ones. Each: one clear WARN naming the client's address (never a key),
 * the connection closed, no media handed to the application, and the next good publisher is let in and its media
 * arrives. The refusals that need the application (a wrong key, a codec HLS cannot carry) are in RefusedPublishersIT.
 */
class RtmpServerTest {

    private static final String KEY = "test-key-6f1c2a9d0b3e";
    private static final String WRONG_KEY = "wrong-key-a9b8c7d6e5f4";
    private static final String NEVER_KEY = "never-key-0a1b2c3d4e5f";
    private static final String SLOW_KEY = "slow-key-0a1b2c3d4e5f";
    private static final RtmpLimits SHORT = new RtmpLimits(Duration.ofMillis(300), Duration.ofMillis(400),
            Duration.ofMillis(400), Duration.ofMillis(400), 1100);

    private final FakeApplication application = new FakeApplication();
    private LogCapture log;
    private RtmpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        log = LogCapture.open();
        listen(SHORT);
    }

    private void listen(RtmpLimits limits) throws Exception {
        if (server != null) {
            server.close();
        }
        port = FreePort.find();
        server = new RtmpServer(application, limits);
        server.listen("127.0.0.1", port, null);
    }

    @AfterEach
    void nothingLeakedAndTheNextPublisherWorks() throws Exception {
        try {
            assertEquals(0, application.tags.get(), "no media of a bad client reached the application");
            assertEquals(List.of(), log.containing(KEY), "the stream key is in the log");
            assertEquals(List.of(), log.containing(WRONG_KEY), "a refused key is in the log");
            assertEquals(List.of(), log.containing(NEVER_KEY), "a key never decided on is in the log");
            assertEquals(List.of(), log.containing(SLOW_KEY), "a key decided on late is in the log");
            Eventually.await("every admitted publisher to be ended", Duration.ofSeconds(5),
                    () -> application.ended.size() == application.admitted.get());
            int admittedBefore = application.admitted.get();
            try (RawRtmpClient good = connected(port).command("createStream", 2.0, null)
                    .commandOn(1, "publish", 3.0, null, KEY, "live")) {
                for (int i = 0; i < 3; i++) {
                    good.write(RawRtmpClient.chunks(6, RtmpMessage.VIDEO, 40 * i, 1, new byte[] {0x17, 1, 0, 0, 0},
                            128));
                }
                Eventually.await("the good publisher's media", Duration.ofSeconds(5),
                        () -> application.tags.get() == 3);
                assertEquals(admittedBefore + 1, application.admitted.get());
            }
            Eventually.await("the good publisher's end", Duration.ofSeconds(5),
                    () -> application.ended.size() == admittedBefore + 1);
        } finally {
            server.close();
            log.close();
        }
    }

    /** The one WARN about the client, once it is closed. */
    private String theWarning(RawRtmpClient client) throws Exception {
        assertTrue(client.closedWithin(Duration.ofSeconds(5)), "the server closed the connection");
        Eventually.await("the warning", Duration.ofSeconds(5), () -> !log.containing("WARN").isEmpty());
        List<String> warnings = log.containing("WARN");
        assertEquals(1, warnings.size(), "one line: " + warnings);
        assertTrue(warnings.get(0).contains("RTMP client 127.0.0.1:"), warnings.get(0));
        return warnings.get(0);
    }

    private static RawRtmpClient connected(int port) throws Exception {
        return RawRtmpClient.connect(port).handshake()
                .command("connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"));
    }

    @Test
    void aConnectAndCloseAsALoadBalancerChecksCostsNothingAndIsNotAWarning() throws Exception {
        RawRtmpClient.connect(port).close(); // the network threads start with the first connection
        Eventually.await("the first connection to be gone", Duration.ofSeconds(5), () -> server.connections() == 0);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 0; i < 50; i++) {
            new Socket(InetAddress.getLoopbackAddress(), port).close();
        }
        Eventually.await("the connections to be gone", Duration.ofSeconds(5), () -> server.connections() == 0);
        assertEquals(List.of(), log.containing("WARN"), "not worth a line");
        assertTrue(ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore + 2, "no thread each");
    }

    @Test
    void aHandshakeThatStopsHalfWayTimesOut() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(port).halfHandshake()) {
            assertTrue(theWarning(client).endsWith("the RTMP handshake did not complete within 0.3 s"));
        }
    }

    @Test
    void aClientThatConnectsAndNeverPublishesTimesOut() throws Exception {
        try (RawRtmpClient client = connected(port)) {
            assertTrue(theWarning(client).endsWith("did not publish within 0.4 s of connecting"));
        }
    }

    @Test
    void aPublisherThatFallsSilentIsCut() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, KEY, "live")) {
            String warning = theWarning(client);
            assertTrue(warning.startsWith("WARN Channel main: RTMP client 127.0.0.1:"), warning);
            assertTrue(warning.endsWith("sent nothing for 0.4 s while publishing; connection closed"), warning);
            assertEquals(List.of("it sent nothing for 0.4 s"), application.ended);
        }
    }

    @Test
    void aChunkSizeOfZeroIsRefused() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(port).handshake().setChunkSize(0)) {
            assertTrue(theWarning(client).endsWith("chunk size 0 (1 to 16777215 are taken); connection closed"));
        }
    }

    @Test
    void aChunkSizeAbove2To24IsRefused() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(port).handshake().setChunkSize(1L << 24)) {
            assertTrue(theWarning(client)
                    .endsWith("chunk size 16777216 (1 to 16777215 are taken); connection closed"));
        }
    }

    @Test
    void aMessageOfNearly16MegabytesIsRefusedBeforeItIsBuffered() throws Exception {
        try (RawRtmpClient client = connected(port).messageStart(6, 9, 0xFFFFF0, 128)) {
            assertTrue(theWarning(client)
                    .endsWith("a message of 16777200 bytes (at most 8388608 are taken); connection closed"));
        }
    }

    @Test
    void publishBeforeConnectIsRefused() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(port).handshake()
                .commandOn(1, "publish", 0.0, null, KEY, "live")) {
            assertTrue(theWarning(client).endsWith("sent publish before connect; connection closed"));
        }
        assertEquals(0, application.admitted.get(), "nothing was asked of the application");
    }

    @Test
    void publishWithNoNameIsRefusedWithAStatus() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, "", "live")) {
            assertTrue(theWarning(client).endsWith("refused: it published without a stream key"));
            assertTrue(client.received().contains("NetStream.Publish.BadName"), "the client was told why");
        }
    }

    @Test
    void aKeyTheApplicationRefusesIsRefusedWithItsReasonAndNeverLogged() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, WRONG_KEY + "?token=abc", "live")) {
            assertTrue(theWarning(client).endsWith("refused: no channel has this stream key"));
            assertTrue(client.received().contains("NetStream.Publish.BadName"), "the client was told why");
            assertTrue(client.received().contains("Not allowed to publish: no channel has this stream key."),
                    client.received());
        }
        assertEquals(List.of(WRONG_KEY), application.asked, "the key, without its query, was asked about");
        assertEquals(Map.of("token", "abc"), application.lastRequest.query(), "the query was passed on");
        assertEquals("RTMP", application.lastRequest.protocol());
    }

    @Test
    void aDecisionThatNeverComesIsAFailureAndHoldsUpNobodyElse() throws Exception {
        listen(new RtmpLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(1500), 100));
        try (RawRtmpClient hanging = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, NEVER_KEY, "live")) {
            Eventually.await("the hanging publisher to be asked about", Duration.ofSeconds(5),
                    () -> application.asked.contains(NEVER_KEY));
            // meanwhile another publisher is admitted at once: the network thread did not wait
            long started = System.nanoTime();
            try (RawRtmpClient other = connected(port).command("createStream", 2.0, null)
                    .commandOn(1, "publish", 3.0, null, KEY, "live")) {
                assertTrue(other.receivedWithin("NetStream.Publish.Start", Duration.ofSeconds(5)),
                        "the other publisher is admitted");
                assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1000,
                        "admitted while the first waits for its decision");
            }
            String warning = theWarning(hanging);
            assertTrue(warning.endsWith("refused: the server did not decide within 1.5 s"), warning);
            assertTrue(hanging.received().contains("NetStream.Publish.Failed"), hanging.received());
            assertTrue(hanging.received().contains("Not allowed to publish now: the server did not decide"),
                    hanging.received());
            assertFalse(hanging.received().contains("NetStream.Publish.Start"), "never started");
        }
        application.never.complete(Admission.admitted("main", application.sink())); // far too late
        Eventually.await("the late admission's sink to be ended", Duration.ofSeconds(5),
                () -> application.ended.contains("the connection closed before it was admitted"));
    }

    @Test
    void mediaSentBeforeALateDecisionIsHeldAndReachesTheChannelOnceAdmitted() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, SLOW_KEY, "live")) {
            for (int i = 0; i < 3; i++) { // a client that does not wait for NetStream.Publish.Start
                client.write(RawRtmpClient.chunks(6, RtmpMessage.VIDEO, 40 * i, 1, new byte[] {0x17, 1, 0, 0, 0},
                        128));
            }
            Eventually.await("the publisher to be asked about", Duration.ofSeconds(5),
                    () -> application.slow.size() == 1);
            assertEquals(0, application.tags.get(), "nothing reaches the application before the decision");
            application.slow.get(0).complete(Admission.admitted("main", application.sink()));
            Eventually.await("the held media to reach the channel, in order", Duration.ofSeconds(5),
                    () -> application.tags.get() == 3);
            assertTrue(client.receivedWithin("NetStream.Publish.Start", Duration.ofSeconds(5)));
        }
        Eventually.await("the publication to end", Duration.ofSeconds(5), () -> application.ended.size() == 1);
        application.tags.set(0); // what the @AfterEach checks is about bad clients
    }

    @Test
    void aPublisherThatLeavesWhileItIsDecidedOnLeavesNothing() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, SLOW_KEY, "live")) {
            Eventually.await("the publisher to be asked about", Duration.ofSeconds(5),
                    () -> application.slow.size() == 1);
        }
        Eventually.await("the server to see it gone", Duration.ofSeconds(5), () -> server.connections() == 0);
        application.slow.get(0).complete(Admission.admitted("main", application.sink()));
        Eventually.await("the late admission's sink to be ended", Duration.ofSeconds(5),
                () -> application.ended.contains("the connection closed before it was admitted"));
        assertEquals(1, log.containing("closed the connection before its publish was decided").size());
    }

    @Test
    void publishTwiceOnOneConnectionIsRefused() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, KEY, "live")
                .commandOn(1, "publish", 4.0, null, KEY, "live")) {
            String warning = theWarning(client);
            assertTrue(warning.startsWith("WARN Channel main: RTMP client 127.0.0.1:"), warning);
            assertTrue(warning.endsWith(": sent publish twice on one connection; connection closed"), warning);
        }
        assertEquals(List.of("it broke the RTMP protocol: sent publish twice on one connection"),
                application.ended, "the admitted publication was ended with the reason");
    }

    @Test
    void aPublisherThatStopsMidMessageLeavesNothing() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, KEY, "live")) {
            Eventually.await("the publisher to be admitted", Duration.ofSeconds(5),
                    () -> application.admitted.get() == 1);
            client.messageStart(6, 9, 5000, 128).shutdownOutput();
            Eventually.await("the warning", Duration.ofSeconds(5), () -> !log.containing("WARN").isEmpty());
            List<String> warnings = log.containing("WARN");
            assertEquals(1, warnings.size(), "one line: " + warnings);
            assertTrue(warnings.get(0).endsWith("closed the connection in the middle of a message"), warnings.get(0));
        }
        Eventually.await("the end of the publication", Duration.ofSeconds(5), () -> application.ended.size() == 1);
        assertEquals(List.of("the connection closed in the middle of a message"), application.ended);
    }

    @Test
    void playIsRefusedWithAClearStatus() throws Exception {
        try (RawRtmpClient client = connected(port).command("createStream", 2.0, null)
                .commandOn(1, "play", 3.0, null, KEY)) {
            assertTrue(theWarning(client).endsWith("asked to play; this server takes publishers only"));
            assertTrue(client.received().contains("NetStream.Play.Failed"), "the client was told why");
        }
    }

    @Test
    void anApplicationOtherThanLiveIsRejected() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(port).handshake()
                .command("connect", 1.0, Map.of("app", "vod/x", "tcUrl", "rtmp://127.0.0.1/vod"))) {
            assertTrue(theWarning(client).endsWith("connected to the application 'vod/x', not 'live'"));
            assertTrue(client.received().contains("NetConnection.Connect.Rejected"), "the client was told why");
        }
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnceWithOneWarning() throws Exception {
        listen(new RtmpLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30), 3));
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            Eventually.await("three connections", Duration.ofSeconds(5), () -> server.connections() == 3);
            for (int i = 0; i < 5; i++) {
                try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    extra.setSoTimeout(5000);
                    assertTrue(closedByPeer(extra), "a connection past the limit is closed");
                }
            }
            assertEquals(3, server.connections());
            List<String> warnings = log.containing("WARN");
            assertEquals(1, warnings.size(), "one line for the five: " + warnings);
            assertTrue(warnings.get(0).contains("3 connections are open, the most taken"), warnings.get(0));
            log.lines().clear();
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
        Eventually.await("the connections to be gone", Duration.ofSeconds(5), () -> server.connections() == 0);
    }

    @Test
    void aThousandIdleConnectionsTakeNoThreadEachAndAreDropped() throws Exception {
        RawRtmpClient.connect(port).close(); // the network threads start with the first connection
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
            assertTrue(threadsDuring <= threadsBefore + 2, threadsBefore + " threads before, " + threadsDuring
                    + " with 1,000 idle connections");
            // each is closed after the handshake timeout, with one line each
            Eventually.await("the idle connections to be dropped", Duration.ofSeconds(20),
                    () -> log.containing("sent nothing within 0.3 s").size() == 1000);
            for (Socket socket : idle) {
                socket.setSoTimeout(5000);
                assertTrue(closedByPeer(socket), "closed by the server");
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        assertEquals(1000, log.containing("WARN").size(), "nothing else was logged");
        log.lines().clear();
    }

    @Test
    void randomBytesAndASilentConnectionAreDropped() throws Exception {
        try (Socket noise = new Socket(InetAddress.getLoopbackAddress(), port)) {
            byte[] bytes = randomBytes(4096);
            bytes[0] = 0x47; // not 3, RTMP's version
            noise.getOutputStream().write(bytes);
        } catch (java.net.SocketException e) {
            // the server may drop it before it has sent everything
        }
        Eventually.await("the noise to be dropped", Duration.ofSeconds(5),
                () -> log.containing("not an RTMP handshake (first byte 0x47); connection closed").size() == 1);
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Eventually.await("the silent connection to be dropped", Duration.ofSeconds(5),
                    () -> log.containing("sent nothing within 0.3 s").size() == 1);
            silent.setSoTimeout(5000);
            assertTrue(closedByPeer(silent), "the silent connection was closed");
        }
        assertEquals(2, log.containing("RTMP client 127.0.0.1:").size(), "one line each: " + log.lines());
    }

    @Test
    void twoHundredBadConnectionsLeaveNothingBehind() throws Exception {
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), port)) {
            first.getOutputStream().write(new byte[] {0x47, 0x45, 0x54}); // the network threads start with it
            Eventually.await("the first to be dropped", Duration.ofSeconds(5),
                    () -> log.containing("not an RTMP handshake").size() == 1);
        }
        long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long descriptorsBefore = openDescriptors();
        for (int i = 0; i < 200; i++) {
            try (Socket bad = new Socket(InetAddress.getLoopbackAddress(), port);
                 OutputStream out = bad.getOutputStream()) {
                out.write(randomBytes(64 + i));
            } catch (java.net.SocketException e) {
                // the server may drop a bad client before it has sent everything
            }
        }
        Eventually.await("the connections to be gone", Duration.ofSeconds(10), () -> server.connections() == 0);
        Eventually.await("the thread count to settle", Duration.ofSeconds(10),
                () -> ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore);
        Eventually.await("the descriptors to be closed", Duration.ofSeconds(10),
                () -> openDescriptors() <= descriptorsBefore);
        log.lines().clear();
    }

    private static boolean closedByPeer(Socket socket) throws java.io.IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return true; // reset: closed just the same
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static long openDescriptors() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The application as the server sees it: one channel, main, with {@link #KEY}; media counted and released. */
    private static final class FakeApplication implements Publishers {
        final List<String> asked = new CopyOnWriteArrayList<>();
        final AtomicInteger admitted = new AtomicInteger();
        final AtomicInteger tags = new AtomicInteger();
        final List<String> ended = new CopyOnWriteArrayList<>();
        volatile PublishRequest lastRequest;
        final CompletableFuture<Admission> never = new CompletableFuture<>();
        final List<CompletableFuture<Admission>> slow = new CopyOnWriteArrayList<>();

        /** A sink as for an admitted publisher, counted. */
        MediaSink sink() {
            admitted.incrementAndGet();
            return new MediaSink() {
                @Override
                public void metadata(Map<String, Object> values) {
                }

                @Override
                public void media(FlvTag tag) {
                    tags.incrementAndGet();
                    tag.release();
                }

                @Override
                public void end(String reason) {
                    ended.add(reason);
                }
            };
        }

        @Override
        public CompletionStage<Admission> admit(PublishRequest request, PublisherLink link) {
            lastRequest = request;
            String streamKey = request.streamKey();
            if (streamKey.equals(NEVER_KEY)) {
                asked.add(streamKey);
                return never; // a backend that hangs
            } else if (streamKey.equals(SLOW_KEY)) {
                CompletableFuture<Admission> later = new CompletableFuture<>();
                slow.add(later);
                return later;
            }
            if (!streamKey.equals(KEY)) {
                asked.add(streamKey);
                return CompletableFuture.completedFuture(Admission.refused(null, "no channel has this stream key"));
            }
            return CompletableFuture.completedFuture(Admission.admitted("main", sink()));
        }
    }
}
