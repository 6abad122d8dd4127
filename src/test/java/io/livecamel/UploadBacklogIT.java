package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.hls.Session;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The origin (s3proxy run by the test) is down for longer than the channel may hold segments for it: a live window
 * of 2 and a backlog of 3 (streaming.upload.max-backlog). The publisher is cut when the channel's folder holds 5,
 * new publishers are refused with a clear status, the health check says why; nothing is lost: once the origin is
 * back every segment goes up, the session is closed, and publishers are let in again.
 */
class UploadBacklogIT extends StreamingTestSupport {

    @Override
    protected void settings(Properties properties) {
        useExternalOrigin(properties);
        properties.setProperty("streaming.hls.list-size", "2");
        properties.setProperty("streaming.upload.max-backlog", "3");
    }

    @Test
    void aChannelWhoseBacklogIsFullIsCutAndTakesPublishersAgainOnceTheOriginHasTakenIt() throws Exception {
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open();
             SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("capture"))) {
            try (Publisher cut = Publisher.start(rtmpPort, KEY, 60, work.resolve("logs"))) {
                assertNotEquals(0, cut.await(Duration.ofSeconds(40)), "the publisher was cut: " + cut.log());
            }
            List<String> kept = filesIn(channelFolder("main")).stream().filter(name -> name.endsWith(".ts")).toList();
            // the fifth segment reaches the bound; ffmpeg finishes the one it was writing when the publisher is cut
            assertTrue(kept.size() == 5 || kept.size() == 6, "the folder holds what the channel may keep: " + kept);
            assertEquals(capture.segments(), kept);
            List<String> errors = log.containing("segments wait on local disk");
            assertEquals(1, errors.size(), log.lines().toString());
            assertTrue(errors.get(0).contains("ERROR"), errors.get(0));
            assertTrue(errors.get(0).contains("Channel main: 5 segments wait on local disk, the most it may keep (a "
                    + "live window of 2 and a backlog of 3 for the origin)"), errors.get(0));

            try (Publisher refused = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                assertNotEquals(0, refused.await(Duration.ofSeconds(20)), refused.log());
                assertTrue(refused.log().contains("Not allowed to publish now: the server cannot store this "
                        + "stream: channel main keeps " + kept.size() + " segments on local disk, the most it may "
                        + "(its live window and what the origin has not taken)."), refused.log());
            }
            HttpResponse<String> health = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health"));
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"name\":\"storage\",\"status\":\"DOWN\",\"message\":\"channel main "
                    + "keeps " + kept.size() + " segments on local disk"), health.body());

            startExternalOrigin(store -> store);
            assertTrue(ended.matches(60, TimeUnit.SECONDS), "the session was not closed once the origin was back");
            String text = OriginPoller.read(playlist);
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            for (String segment : capture.segments()) {
                assertArrayEquals(capture.bytes(segment), getBytes(playlist.resolve(segment)).body(), segment);
            }
            assertEquals(capture.segments().subList(kept.size() - 2, kept.size()), OriginPoller.segments(text),
                    "the live window");
            String cutSession = Session.ofSegment(capture.segments().get(0));
            String recording = OriginPoller.read(playlist.resolve(cutSession + "/index.m3u8"));
            assertEquals(capture.segments().stream().map(name -> "../" + name).toList(),
                    OriginPoller.segments(recording), "the recording holds the segments never listed live");

            NotifyBuilder next = sessionEnded("main");
            try (Publisher admitted = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                assertEquals(0, admitted.await(Duration.ofSeconds(30)), admitted.log());
            }
            assertTrue(next.matches(30, TimeUnit.SECONDS), "the next session did not end");
            String nextText = OriginPoller.read(playlist);
            assertTrue(nextText.endsWith("#EXT-X-ENDLIST\n"), nextText);
            assertTrue(OriginPoller.segments(nextText).stream().noneMatch(name -> Session.ofSegment(name)
                    .equals(cutSession)), "a new session: " + nextText);
            assertEquals(1, log.containing("Channel main: the origin has taken the backlog").size(),
                    log.lines().toString());
        }
    }
}
