package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.livecamel.settings.Channel;
import org.junit.jupiter.api.Test;

class FfmpegLogTest {

    private static final Channel MAIN = new Channel("main", "s3cr3t-key-0123456789", 1935, false);

    // what ffmpeg 4.4 prints when a publisher's stream is recognised
    private static final List<String> PUBLISHED = List.of(
            "Input #0, flv, from 'rtmp://0.0.0.0:1935/live/s3cr3t-key-0123456789':",
            "  Metadata:",
            "    encoder         : Lavf58.76.100",
            "  Duration: 00:00:00.00, start: 0.000000, bitrate: N/A",
            "    Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720, 30 fps, 30 tbr, 1k tbn, 60 tbc",
            "    Stream #0:1: Audio: aac (LC), 44100 Hz, stereo, fltp, 128 kb/s",
            "Output #0, hls, to '/media/main/20261124-080119733-byr4.m3u8':",
            "  Metadata:");

    @Test
    void recognisesThePublisherOnceItsStreamsAreDescribed() {
        FfmpegLog log = new FfmpegLog(MAIN);
        List<Boolean> completes = PUBLISHED.stream().map(log::read).toList();
        assertEquals(List.of(false, false, false, false, false, false, true, false), completes);
        assertTrue(log.started());
        assertEquals("""
                Metadata:
                encoder         : Lavf58.76.100
                Duration: 00:00:00.00, start: 0.000000, bitrate: N/A
                Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720, 30 fps, 30 tbr, 1k tbn, 60 tbc
                Stream #0:1: Audio: aac (LC), 44100 Hz, stereo, fltp, 128 kb/s""", log.input());
    }

    @Test
    void aListenerThatFailsBeforeAPublisherKeepsARedactedTail() {
        FfmpegLog log = new FfmpegLog(MAIN);
        for (int i = 0; i < 30; i++) {
            log.read("line " + i);
        }
        log.read("[rtmp @ 0x1] Unable to read handshake rtmp://0.0.0.0:1935/live/s3cr3t-key-0123456789");
        assertFalse(log.started());
        assertEquals(20, log.tail().size());
        assertEquals("[rtmp @ 0x1] Unable to read handshake rtmp://0.0.0.0:1935/live/<stream key>",
                log.tail().get(19));
        assertTrue(log.tail().stream().noneMatch(line -> line.contains("s3cr3t")));
    }
}
