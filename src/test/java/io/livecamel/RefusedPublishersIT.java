package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishers and clients a channel must turn away, each with real ffmpeg publishers or raw sockets: a wrong key, a
 * codec HLS/MPEG-TS cannot carry, random bytes, a connection that sends nothing, 200 bad connections in a row. After
 * each: nothing of it was written or uploaded, the log says why without the key, and a good publisher still works.
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
    void noKeyInTheLog() throws Exception {
        files.close();
        log.close();
        assertEquals(List.of(), log.containing(KEY), "the stream key is in the log");
        assertEquals(List.of(), log.containing(WRONG_KEY), "a refused key is in the log");
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
        assertEquals(List.of(), files.created(), "nothing of the refused publisher was written");
        assertEquals(List.of(), objectsAtOrigin("main"), "nothing of it was uploaded");
        assertEquals(0, ffmpegChildren(), "no ffmpeg was started for it");

        aGoodPublisherStillWorks();
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
        // the codecs are checked from the first tags, before any ffmpeg starts: nothing is written
        assertEquals(List.of(), files.created());
        assertEquals(List.of(), objectsAtOrigin("main"));

        aGoodPublisherStillWorks();
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
        assertEquals(List.of(), files.created());
        assertEquals(List.of(), objectsAtOrigin("main"));

        aGoodPublisherStillWorks();
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
        assertEquals(List.of(), files.created());
        assertEquals(List.of(), objectsAtOrigin("main"));

        aGoodPublisherStillWorks();
    }

    private static long ffmpegChildren() {
        return ProcessHandle.current().descendants().count();
    }

    private void aGoodPublisherStillWorks() throws Exception {
        NotifyBuilder ended = sessionEnded("main");
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(20)), publisher.log());
        }
        assertTrue(ended.matches(20, TimeUnit.SECONDS), "the good publisher's session did not end");
        String playlist = get(playlist("main")).body();
        assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"), playlist);
        assertTrue(OriginPoller.segments(playlist).size() >= 2, playlist);
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
