package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.CompleteSession;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.SmallDisk;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The media folder on a small disk of its own (a 48-MB tmpfs mounted by the test; skipped with the reason where it
 * cannot be mounted), with 16 MB to keep free: a disk short of space or read-only refuses publishers with a clear
 * status, shows in the health check and the log, loses nothing a live publisher sent, and takes publishers again by
 * itself once it is fixed.
 */
class StorageIT extends StreamingTestSupport {

    private SmallDisk disk;

    @Override
    protected void settings(Properties properties) {
        try {
            // here because the test support makes the context (and empties the work folder) before each test
            disk = SmallDisk.mount(work.resolve("disk"), 48);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        properties.setProperty("streaming.media-dir", work.resolve("disk").resolve("media").toString());
        properties.setProperty("streaming.disk.min-free-mb", "16");
    }

    @Override
    protected Path channelFolder(String channel) {
        return work.resolve("disk").resolve("media").resolve(channel);
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aDiskShortOfSpaceRefusesPublishersUntilThereIsRoomAgain() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        disk.fillLeaving(8);
        try (LogCapture log = LogCapture.open()) {
            try (Publisher refused = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                assertNotEquals(0, refused.await(Duration.ofSeconds(20)), refused.log());
                assertTrue(refused.log().contains("Not allowed to publish now: the server cannot store this "
                        + "stream: the media folder's disk has "), refused.log());
            }
            assertStorageDown("the media folder's disk has ");
            List<String> errors = log.containing("ERROR");
            assertEquals(1, errors.size(), log.lines().toString());
            assertTrue(errors.get(0).contains("MB free, less than the 16 MB kept free"), errors.get(0));
            assertEquals(List.of(), objectsAtOrigin("main"), "nothing of a refused publisher reaches the origin");
            assertEquals(List.of(), segmentsIn(channelFolder("main")));

            disk.free();
            assertStorageUp();
            CompleteSession.publish(rtmpPort, KEY, playlist("main"), work.resolve("logs"));
            assertEquals(1, log.containing("can be written again").size(), log.lines().toString());
        }
    }

    @Test
    void aMediaFolderThatCannotBeWrittenRefusesPublishersUntilItCanBe() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        disk.readOnly(true);
        try (LogCapture log = LogCapture.open()) {
            try (Publisher refused = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                assertNotEquals(0, refused.await(Duration.ofSeconds(20)), refused.log());
                assertTrue(refused.log().contains("Not allowed to publish now: the server cannot store this "
                        + "stream: the media folder cannot be written (Read-only file system)."), refused.log());
            }
            assertStorageDown("the media folder cannot be written (Read-only file system)");
            assertEquals(1, log.containing("ERROR").size(), log.lines().toString());
            assertEquals(List.of(), objectsAtOrigin("main"));

            disk.readOnly(false);
            assertStorageUp();
            CompleteSession.publish(rtmpPort, KEY, playlist("main"), work.resolve("logs"));
        }
    }

    @Test
    void aDiskThatFillsUnderALiveStreamCutsThePublisherAndKeepsEverythingItSent() throws Exception {
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open();
             // hard links: on the same disk
             SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("disk").resolve("capture"));
             OriginPoller viewer = new OriginPoller(playlist, Duration.ofMillis(50));
             Publisher publisher = Publisher.start(rtmpPort, KEY, 60, work.resolve("logs"))) {
            Eventually.await("two segments at the origin", Duration.ofSeconds(30),
                    () -> OriginPoller.segments(OriginPoller.read(playlist)).size() >= 2);
            disk.fillLeaving(8);
            assertNotEquals(0, publisher.await(Duration.ofSeconds(20)), "the publisher was cut: " + publisher.log());
            assertTrue(ended.matches(30, TimeUnit.SECONDS), "the session did not end");
            assertEquals(List.of(), viewer.violations());

            String text = OriginPoller.read(playlist);
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertEquals(List.of(), capture.missed());
            assertEquals(capture.segments(), OriginPoller.segments(text), "every segment ffmpeg finished");
            for (String segment : capture.segments()) {
                assertArrayEquals(capture.bytes(segment), getBytes(playlist.resolve(segment)).body(), segment);
            }
            assertEquals(1, log.containing("ERROR").size(), log.lines().toString());
            assertEquals(1, log.containing("publisher gone (The server cannot store more of this stream now: the "
                    + "media folder's disk has ").size(), log.lines().toString());
            assertEquals(List.of(), segmentsIn(channelFolder("main")), "cleaned up");
        }
    }

    private void assertStorageDown(String reason) throws Exception {
        HttpResponse<String> health = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health"));
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().matches("(?s).*\"name\":\"storage\",\"status\":\"DOWN\",\"message\":\"[^\"]*"
                + reason.replace("(", "\\(").replace(")", "\\)") + ".*"), health.body());
    }

    private void assertStorageUp() throws Exception {
        HttpResponse<String> health = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health"));
        assertTrue(health.body().contains("\"name\":\"storage\",\"status\":\"UP\""), health.body());
    }

    private static List<String> segmentsIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        return filesIn(folder).stream().filter(name -> name.endsWith(".ts")).toList();
    }
}
