package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.livecamel.ingest.Ffmpeg;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamDecoder;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * Real RTMP publishers other than the one the other tests use, each sending H.264 + AAC with data besides: the
 * bundled static ffmpeg 4.4.1 and Debian's ffmpeg with a text track (captions, sent as data messages), and
 * GStreamer's rtmpsink, which is librtmp, the library OBS's RTMP output comes from (with its onMetaData). Each
 * session is complete at the origin with #EXT-X-ENDLIST, and a viewer never saw a listed segment missing.
 * Debian's ffmpeg and GStreamer are installed by .ci/run; elsewhere those tests skip with a printed reason.
 */
class RealClientsIT extends StreamingTestSupport {

    private static final Path DEBIAN_FFMPEG = Path.of("/usr/bin/ffmpeg");

    private void publishesACompleteSession(Publisher publisher, String client) throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open();
             OriginPoller viewer = new OriginPoller(playlist("main"), Duration.ofMillis(50));
             Publisher running = publisher) {
            assertEquals(0, running.await(Duration.ofSeconds(40)), client + ":\n" + running.log());
            assertTrue(ended.matches(30, TimeUnit.SECONDS), client + ": the session did not end");
            assertEquals(List.of(), viewer.violations(), client);
            assertEquals(1, log.containing("Channel main: live, session").size(), log.lines().toString());
            assertTrue(log.containing("Channel main: live, session").get(0).contains("(video h264 426x240, audio aac)"),
                    log.lines().toString());
            assertEquals(List.of(), log.containing("WARN"), client);
        }
        String text = get(playlist("main")).body();
        assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), client + ": " + text);
        List<String> segments = OriginPoller.segments(text);
        assertTrue(segments.size() >= 3, client + ": " + text);
        for (String segment : segments) {
            assertEquals(200, get(playlist("main").resolve(segment)).statusCode(), segment);
        }
        assertEquals(List.of(), filesIn(channelFolder("main")));
        assertEquals("", StreamDecoder.errors(playlist("main")), client + ": the stream decodes from start to end");
    }

    @Test
    void theBundledFfmpegWithATextTrack() throws Exception {
        Path bundled = Ffmpeg.locate(Optional.empty()).executable();
        publishesACompleteSession(Publisher.startWithTextTrack(bundled, rtmpPort, KEY, 4, work.resolve("logs")),
                "bundled ffmpeg");
    }

    @Test
    void debiansFfmpegWithATextTrack() throws Exception {
        needs(DEBIAN_FFMPEG, "apt-get install ffmpeg");
        publishesACompleteSession(Publisher.startWithTextTrack(DEBIAN_FFMPEG, rtmpPort, KEY, 4,
                work.resolve("logs")), "Debian's ffmpeg");
    }

    @Test
    void gstreamersLibrtmpSink() throws Exception {
        Optional<String> missing = Publisher.gstreamerMissing();
        missing.ifPresent(reason -> System.out.println("RealClientsIT: GStreamer skipped, " + reason));
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        publishesACompleteSession(Publisher.startGStreamer(rtmpPort, KEY, 4, work.resolve("logs")), "GStreamer");
    }

    private static void needs(Path program, String install) {
        boolean available = Files.isExecutable(program);
        if (!available) {
            System.out.println("RealClientsIT: skipped, " + program + " is missing (" + install + "; .ci/run does)");
        }
        assumeTrue(available, program + " is missing");
    }
}
