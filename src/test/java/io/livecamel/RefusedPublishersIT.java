package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.RawRtmpClient;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishers and clients the server must turn away, real ffmpeg publishers (a wrong key, a codec HLS/MPEG-TS cannot
 * carry) and raw sockets that break the protocol (random bytes, silence, a handshake that stops half-way, bad chunk
 * sizes, a message near 16 MB, commands out of order, a publisher that stops mid-message, 200 bad connections,
 * 1,000 idle ones). Each: one clear WARN naming the client's address (never the key), the connection closed,
 * nothing written or uploaded, no ffmpeg started, and the next good publisher works.
 */
class RefusedPublishersIT extends StreamingTestSupport {

    private static final String WRONG_KEY = "wrong-key-a9b8c7d6e5f4";

    private LogCapture log;
    private SegmentCapture files;

    @BeforeEach
    void watch() throws Exception {
        log = LogCapture.open();
        files = new SegmentCapture(channelFolder("main"), work.resolve("capture"));
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
    }

    @AfterEach
    void nothingLeftAndTheNextPublisherWorks() throws Exception {
        try {
            assertEquals(List.of(), files.created(), "nothing of a bad client was written");
            assertEquals(List.of(), objectsAtOrigin("main"), "nothing of it was uploaded");
            assertEquals(0, ProcessHandle.current().descendants().count(), "no ffmpeg was started for it");
            assertEquals(List.of(), log.containing(KEY), "the stream key is in the log");
            assertEquals(List.of(), log.containing(WRONG_KEY), "a refused key is in the log");
            NotifyBuilder ended = sessionEnded("main");
            try (Publisher publisher = Publisher.start(rtmpPort, KEY, 2, work.resolve("logs"))) {
                assertEquals(0, publisher.await(Duration.ofSeconds(20)), publisher.log());
            }
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the good publisher's session did not end");
            String playlist = get(playlist("main")).body();
            assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"), playlist);
            assertTrue(OriginPoller.segments(playlist).size() >= 1, playlist);
        } finally {
            files.close();
            log.close();
        }
    }

    /** The one WARN about the client, once it is closed. */
    private String theWarning(RawRtmpClient client, Duration within) throws Exception {
        assertTrue(client.closedWithin(within), "the server closed the connection");
        Eventually.await("the warning", Duration.ofSeconds(5),
                () -> !log.containing("WARN").isEmpty());
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
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 0; i < 50; i++) {
            new Socket(InetAddress.getLoopbackAddress(), rtmpPort).close();
        }
        RawRtmpClient.connect(rtmpPort).close(); // and one more, to wait for below
        Eventually.await("the connections to be gone", Duration.ofSeconds(10),
                () -> context.getComponent("hls-ingest", io.livecamel.ingest.IngestComponent.class)
                        .rtmpConnections() == 0);
        assertEquals(List.of(), log.containing("WARN"), "not worth a line");
        assertTrue(ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore + 2, "no thread each");
    }

    @Test
    void aHandshakeThatStopsHalfWayTimesOut() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(rtmpPort).halfHandshake()) {
            assertTrue(theWarning(client, Duration.ofSeconds(15))
                    .endsWith("the RTMP handshake did not complete within 5 s"));
        }
    }

    @Test
    void aChunkSizeOfZeroIsRefused() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(rtmpPort).handshake().setChunkSize(0)) {
            assertTrue(theWarning(client, Duration.ofSeconds(5))
                    .endsWith("chunk size 0 (1 to 16777215 are taken); connection closed"));
        }
    }

    @Test
    void aChunkSizeAbove2To24IsRefused() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(rtmpPort).handshake().setChunkSize(1L << 24)) {
            assertTrue(theWarning(client, Duration.ofSeconds(5))
                    .endsWith("chunk size 16777216 (1 to 16777215 are taken); connection closed"));
        }
    }

    @Test
    void aMessageOfNearly16MegabytesIsRefusedBeforeItIsBuffered() throws Exception {
        try (RawRtmpClient client = connected(rtmpPort).messageStart(6, 9, 0xFFFFF0, 128)) {
            assertTrue(theWarning(client, Duration.ofSeconds(5))
                    .endsWith("a message of 16777200 bytes (at most 8388608 are taken); connection closed"));
        }
    }

    @Test
    void publishBeforeConnectIsRefused() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(rtmpPort).handshake()
                .commandOn(1, "publish", 0.0, null, KEY, "live")) {
            assertTrue(theWarning(client, Duration.ofSeconds(5))
                    .endsWith("sent publish before connect; connection closed"));
        }
    }

    @Test
    void publishWithNoNameIsRefusedWithAStatus() throws Exception {
        try (RawRtmpClient client = connected(rtmpPort).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, "", "live")) {
            assertTrue(theWarning(client, Duration.ofSeconds(5))
                    .endsWith("refused: it published without a stream key"));
            assertTrue(client.received().contains("NetStream.Publish.BadName"), "the client was told why");
        }
    }

    @Test
    void publishTwiceOnOneConnectionIsRefused() throws Exception {
        try (RawRtmpClient client = connected(rtmpPort).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, KEY, "live")
                .commandOn(1, "publish", 4.0, null, KEY, "live")) {
            String warning = theWarning(client, Duration.ofSeconds(5));
            assertTrue(warning.startsWith("WARN Channel main: RTMP client 127.0.0.1:"), warning);
            assertTrue(warning.endsWith(": sent publish twice on one connection; connection closed"), warning);
        }
    }

    @Test
    void aPublisherThatStopsMidMessageLeavesNothing() throws Exception {
        try (RawRtmpClient client = connected(rtmpPort).command("createStream", 2.0, null)
                .commandOn(1, "publish", 3.0, null, KEY, "live").messageStart(6, 9, 5000, 128)) {
            client.close();
            Eventually.await("the warning", Duration.ofSeconds(5), () -> !log.containing("WARN").isEmpty());
            List<String> warnings = log.containing("WARN");
            assertEquals(1, warnings.size(), "one line: " + warnings);
            assertTrue(warnings.get(0).endsWith("closed the connection in the middle of a message"), warnings.get(0));
        }
    }

    @Test
    void playIsRefusedWithAClearStatus() throws Exception {
        try (RawRtmpClient client = connected(rtmpPort).command("createStream", 2.0, null)
                .commandOn(1, "play", 3.0, null, KEY)) {
            assertTrue(theWarning(client, Duration.ofSeconds(5))
                    .endsWith("asked to play; this server takes publishers only"));
            assertTrue(client.received().contains("NetStream.Play.Failed"), "the client was told why");
        }
    }

    @Test
    void aThousandIdleConnectionsTakeNoThreadEachAndAreDroppedInSeconds() throws Exception {
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), rtmpPort));
            }
            int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
            assertTrue(threadsDuring <= threadsBefore + 4, threadsBefore + " threads before, " + threadsDuring
                    + " with 1,000 idle connections");
            // each is closed after the handshake timeout, with one line each
            Eventually.await("the idle connections to be dropped", Duration.ofSeconds(30),
                    () -> log.containing("sent nothing within 5 s").size() == 1000);
            for (Socket socket : idle) {
                socket.setSoTimeout(5000);
                assertEquals(-1, socket.getInputStream().read(), "closed by the server");
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
    void aWrongKeyIsRefusedBeforeAnyMediaWithAStatusTheClientShows() throws Exception {
        int exit;
        try (Publisher publisher = Publisher.start(rtmpPort, WRONG_KEY, 10, work.resolve("logs"))) {
            exit = publisher.await(Duration.ofSeconds(10));
            assertTrue(publisher.log().contains("Refused: no channel has this stream key."), publisher.log());
        }
        assertNotEquals(0, exit, "the publisher was disconnected");
        List<String> refusals = log.containing("RTMP client 127.0.0.1:");
        assertEquals(1, refusals.size(), log.lines().toString());
        assertTrue(refusals.get(0).endsWith(": refused: no channel has this stream key"), refusals.get(0));

    }

    @Test
    void aCodecThatHlsCannotCarryIsRefusedWithItsReason() throws Exception {
        try (Publisher publisher = Publisher.startEncoded(rtmpPort, KEY, 10, work.resolve("logs"), Publisher.SMALL,
                List.of("-c:v", "flv", "-c:a", "aac"))) {
            assertNotEquals(0, publisher.await(Duration.ofSeconds(15)));
        }
        List<String> refusals = log.containing("Channel main: refused the RTMP publisher 127.0.0.1:");
        assertEquals(1, refusals.size(), log.lines().toString());
        assertTrue(refusals.get(0).endsWith(": its video codec Sorenson H.263 cannot be carried in HLS/MPEG-TS "
                + "without re-encoding; send H.264"), refusals.get(0));
        // the codecs are checked from the first tags, before any ffmpeg starts: nothing is written (checked after)

    }

    @Test
    void randomBytesAndASilentConnectionDoNotHoldTheChannel() throws Exception {
        try (Socket noise = new Socket(InetAddress.getLoopbackAddress(), rtmpPort)) {
            byte[] bytes = randomBytes(4096);
            bytes[0] = 0x47; // not 3, RTMP's version
            noise.getOutputStream().write(bytes);
        } catch (java.net.SocketException e) {
            // the server may drop it before it has sent everything
        }
        Eventually.await("the noise to be dropped", Duration.ofSeconds(10),
                () -> log.containing("not an RTMP handshake (first byte 0x47); connection closed").size() == 1);

        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), rtmpPort)) {
            // it sends nothing: the server gives up on it after the handshake timeout (5 s)
            Eventually.await("the silent connection to be dropped", Duration.ofSeconds(15),
                    () -> log.containing("sent nothing within 5 s").size() == 1);
            assertTrue(closedByPeer(silent), "the silent connection was closed");
        }
        assertEquals(2, log.containing("RTMP client 127.0.0.1:").size(), "one line each: " + log.lines());

    }

    @Test
    void twoHundredBadConnectionsLeaveNothingBehind() throws Exception {
        // the server's network threads start with its first connections: one before counting
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), rtmpPort)) {
            first.getOutputStream().write(new byte[] {0x47, 0x45, 0x54});
            Eventually.await("the first to be dropped", Duration.ofSeconds(10),
                    () -> log.containing("not an RTMP handshake").size() == 1);
        }
        long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long descriptorsBefore = openDescriptors();
        long childrenBefore = ProcessHandle.current().descendants().count();
        for (int i = 0; i < 200; i++) {
            try (Socket bad = new Socket(InetAddress.getLoopbackAddress(), rtmpPort);
                 OutputStream out = bad.getOutputStream()) {
                out.write(randomBytes(64 + i));
            } catch (java.net.SocketException e) {
                // the server may drop a bad client before it has sent everything
            }
        }
        Eventually.await("the process count to settle", Duration.ofSeconds(10),
                () -> ProcessHandle.current().descendants().count() == childrenBefore);
        Eventually.await("the thread count to settle", Duration.ofSeconds(10),
                () -> ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore);
        Eventually.await("the descriptors to be closed", Duration.ofSeconds(10),
                () -> openDescriptors() <= descriptorsBefore);

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
}
