package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * Publishers the application must turn away, real ffmpeg publishers: a wrong key, a codec HLS/MPEG-TS cannot carry.
 * Each: one clear WARN naming the client's address (never the key), the publisher told why, nothing written or
 * uploaded, no ffmpeg started, and the next good publisher works. The clients that break the RTMP protocol are
 * refused by the server alone, in seconds: rtmp/RtmpServerTest.
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

    @Test
    void aWrongKeyIsRefusedBeforeAnyMediaWithAStatusTheClientShows() throws Exception {
        int exit;
        try (Publisher publisher = Publisher.start(rtmpPort, WRONG_KEY, 10, work.resolve("logs"))) {
            exit = publisher.await(Duration.ofSeconds(10));
            assertTrue(publisher.log().contains("Not allowed to publish: no channel has this stream key."), publisher.log());
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
}
