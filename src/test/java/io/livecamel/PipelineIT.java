package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.livecamel.hls.Session;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline with real parts: the application on its embedded S3-compatible origin (s3proxy), a real ffmpeg
 * publishing a 1-s-GOP test pattern over RTMP in real time, and a viewer-like poller reading the origin every 50 ms.
 */
class PipelineIT extends StreamingTestSupport {

    @Test
    void everyFinishedSegmentReachesTheOriginBeforeAnyPlaylistListsItAndTheStreamEnds() throws Exception {
        URI playlist = playlist("main");
        Path folder = channelFolder("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));

        List<String> first;
        try (LogCapture log = LogCapture.open();
             SegmentCapture capture = new SegmentCapture(folder, work.resolve("capture"));
             OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(50))) {
            NotifyBuilder ended = sessionEnded("main");
            try (Publisher publisher = Publisher.start(rtmpPort, KEY, 10, work.resolve("logs"))) {
                assertEquals(0, publisher.await(Duration.ofSeconds(40)), publisher.log());
            }
            assertTrue(ended.matches(30, TimeUnit.SECONDS), "the stream-end route did not finish");

            assertEquals(List.of(), capture.missed(), "segments deleted before the test could keep a copy");
            first = capture.segments();
            assertTrue(first.size() >= 9, "about 10 one-second segments expected, got " + first);

            HttpResponse<String> response = get(playlist);
            assertEquals(200, response.statusCode());
            assertEquals("application/vnd.apple.mpegurl", header(response, "Content-Type"));
            assertEquals("public, max-age=0, s-maxage=1", header(response, "Cache-Control"));
            String text = response.body();
            assertEquals(first, OriginPoller.segments(text), "the final playlist lists exactly what ffmpeg wrote");
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertEquals(first.size(), count(text, "#EXT-X-PROGRAM-DATE-TIME:"), text);
            assertFalse(text.contains(KEY));

            // the session's recording: every segment, a video on demand, one folder below them
            HttpResponse<String> recording = get(playlist.resolve(Session.ofSegment(first.get(0)) + "/index.m3u8"));
            assertEquals(200, recording.statusCode());
            assertEquals(first.stream().map(segment -> "../" + segment).toList(),
                    OriginPoller.segments(recording.body()));
            assertTrue(recording.body().contains("#EXT-X-PLAYLIST-TYPE:VOD")
                    && recording.body().endsWith("#EXT-X-ENDLIST\n"), recording.body());
            String recorded = "is recorded: " + playlist.resolve(Session.ofSegment(first.get(0)) + "/index.m3u8");
            Eventually.await("the recording's URL in the log", Duration.ofSeconds(10),
                    () -> !log.containing(recorded).isEmpty());

            for (String segment : first) {
                HttpResponse<byte[]> object = getBytes(playlist.resolve(segment));
                assertEquals(200, object.statusCode(), segment);
                assertArrayEquals(capture.bytes(segment), object.body(), segment + " differs from what ffmpeg wrote");
                assertEquals("video/mp2t", header(object, "Content-Type"), segment);
                assertEquals("public, max-age=31536000, immutable", header(object, "Cache-Control"), segment);
            }

            assertEquals(List.of(), poller.violations());
            // the playlist went up while the stream was live (how many versions a poller catches depends on timing:
            // two segments published in one update is correct; that it never went back is checked per read)
            assertTrue(poller.liveVersionsSeen() >= 1,
                    "the poller never saw a live playlist in " + poller.reads() + " reads");
            assertEquals(List.of(), filesIn(folder), "the local folder is clean after the stream");
        }

        // the listener is back for a second session, whose segments have names of their own
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(1));
        NotifyBuilder ended = sessionEnded("main");
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
        }
        assertTrue(ended.matches(30, TimeUnit.SECONDS), "the second session did not end");
        String second = get(playlist).body();
        List<String> secondSegments = OriginPoller.segments(second);
        assertTrue(secondSegments.size() >= 2, second);
        assertTrue(second.endsWith("#EXT-X-ENDLIST\n"), second);
        for (String segment : secondSegments) {
            assertFalse(first.contains(segment), segment + " reuses a name of the first session");
            assertEquals(200, get(playlist.resolve(segment)).statusCode(), segment);
        }
        assertEquals(200, get(playlist.resolve(first.get(0))).statusCode(), "old segments stay where they were");
        assertEquals(List.of(), filesIn(folder));
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }
}
