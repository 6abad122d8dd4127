package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SRT ingest with the key as passphrase: the encryption itself refuses a wrong key. The bundled static ffmpeg's SRT
 * listener crashes when a caller connects, so this needs Debian's ffmpeg (.ci/run installs it); elsewhere it is
 * skipped with a reason.
 */
class SrtIT extends StreamingTestSupport {

    private static final Path SYSTEM_FFMPEG = Path.of("/usr/bin/ffmpeg");

    private final int srtPort = FreePort.find();

    @BeforeAll
    static void needsAnFfmpegWithSrt() {
        boolean available = Files.isExecutable(SYSTEM_FFMPEG);
        if (!available) {
            System.out.println("SrtIT skipped: " + SYSTEM_FFMPEG + " is missing (apt-get install ffmpeg; .ci/run does)");
        }
        assumeTrue(available, SYSTEM_FFMPEG + " is missing (apt-get install ffmpeg)");
    }

    @Override
    protected void settings(Properties properties) {
        properties.setProperty("streaming.ffmpeg.path", SYSTEM_FFMPEG.toString());
        properties.setProperty("streaming.channels.main.srt-port", Integer.toString(srtPort));
    }

    @Test
    void theKeyIsTheSrtPassphraseAndAWrongOneGetsNothing() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        Eventually.await("the SRT listener", Duration.ofSeconds(20), () -> Listeners.isBoundUdp(srtPort));
        try (LogCapture log = LogCapture.open();
             SegmentCapture files = new SegmentCapture(channelFolder("main"), work.resolve("capture"))) {
            try (Publisher intruder = Publisher.startSrt(srtPort, "not-the-key-0123456789", 4, work.resolve("logs"))) {
                assertNotEquals(0, intruder.await(Duration.ofSeconds(20)), intruder.log());
            }
            assertEquals(List.of(), files.created(), "nothing of a wrong passphrase was written");
            assertEquals(List.of(), objectsAtOrigin("main"));

            NotifyBuilder ended = sessionEnded("main");
            try (Publisher publisher = Publisher.startSrt(srtPort, KEY, 5, work.resolve("logs"))) {
                assertEquals(0, publisher.await(Duration.ofSeconds(20)), publisher.log());
            }
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the SRT session did not end");
            assertEquals(1, log.containing("Channel main: live, session").size(), log.lines().toString());
            assertEquals(List.of(), log.containing(KEY), "the passphrase is in the log");
        }
        String text = get(playlist("main")).body();
        assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
        List<String> segments = OriginPoller.segments(text);
        assertTrue(segments.size() >= 3, text);
        for (String segment : segments) {
            assertEquals(200, get(playlist("main").resolve(segment)).statusCode(), segment);
        }
        assertEquals(List.of(), filesIn(channelFolder("main")));
    }
}
