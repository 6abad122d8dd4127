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
    void aWrongKeyIsCutOffBeforeAnySegmentAndTheChannelListensAgainWithinASecond() throws Exception {
        int exit;
        try (Publisher publisher = Publisher.start(rtmpPort, WRONG_KEY, 10, work.resolve("logs"))) {
            exit = publisher.await(Duration.ofSeconds(10));
        }
        Duration back = Listeners.awaitListening(rtmpPort, Duration.ofSeconds(1));
        assertNotEquals(0, exit, "the publisher was disconnected");
        List<String> refusals = log.containing("Channel main: refused a publisher from 127.0.0.1:");
        assertEquals(1, refusals.size(), log.lines().toString());
        assertTrue(refusals.get(0).endsWith(": wrong stream key"), refusals.get(0));
        assertEquals(List.of(), files.created(), "nothing of the refused publisher was written");
        assertEquals(List.of(), objectsAtOrigin("main"), "nothing of it was uploaded");
        assertTrue(back.toMillis() < 1000, "listening again after " + back);

        aGoodPublisherStillWorks();
    }

    @Test
    void aCodecThatHlsCannotCarryIsRefusedWithItsReason() throws Exception {
        try (Publisher publisher = Publisher.startEncoded(rtmpPort, KEY, 10, work.resolve("logs"), Publisher.SMALL,
                List.of("-c:v", "flv", "-c:a", "aac"))) {
            assertNotEquals(0, publisher.await(Duration.ofSeconds(15)));
        }
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(1));
        List<String> refusals = log.containing("Channel main: refused a publisher from 127.0.0.1:");
        assertEquals(1, refusals.size(), log.lines().toString());
        assertTrue(refusals.get(0).endsWith(": its video codec flv1 cannot be carried in HLS/MPEG-TS without "
                + "re-encoding (use H.264 or HEVC)"), refusals.get(0));
        // ffmpeg reports the codecs only once it has opened its output, so a first segment may be written (never
        // for a wrong key, which is refused before any media arrives); it is removed and never uploaded
        assertEquals(List.of(), filesIn(channelFolder("main")), "what it may have written is removed");
        assertEquals(List.of(), objectsAtOrigin("main"));

        aGoodPublisherStillWorks();
    }

    @Test
    void randomBytesAndASilentConnectionDoNotHoldTheChannel() throws Exception {
        String dropped = "Channel main: a client connected but did not publish";
        try (Socket noise = new Socket(InetAddress.getLoopbackAddress(), rtmpPort)) {
            noise.getOutputStream().write(randomBytes(4096));
        } catch (java.net.SocketException e) {
            // the listener may drop it before it has sent everything
        }
        Eventually.await("the noise to be dropped", Duration.ofSeconds(10), () -> log.containing(dropped).size() == 1);
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(2));

        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), rtmpPort)) {
            // it sends nothing: the listener gives up on it after its read timeout (5 s) and listens again
            Eventually.await("the silent connection to be dropped", Duration.ofSeconds(15),
                    () -> log.containing(dropped).size() == 2);
            assertTrue(closedByPeer(silent), "the silent connection was closed");
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(2));
        }
        assertEquals(List.of(), files.created());
        assertEquals(List.of(), objectsAtOrigin("main"));

        aGoodPublisherStillWorks();
    }

    @Test
    void twoHundredBadConnectionsLeaveNothingBehind() throws Exception {
        long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long descriptorsBefore = openDescriptors();
        long childrenBefore = ProcessHandle.current().descendants().count();
        for (int i = 0; i < 200; i++) {
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(5));
            try (Socket bad = new Socket(InetAddress.getLoopbackAddress(), rtmpPort);
                 OutputStream out = bad.getOutputStream()) {
                out.write(randomBytes(64 + i));
            } catch (java.net.SocketException e) {
                // the listener may drop a bad client before it has sent everything
            }
        }
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(5));
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

    private void aGoodPublisherStillWorks() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(5));
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
