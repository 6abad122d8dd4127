package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.livecamel.ingest.FfmpegLog.Event;
import io.livecamel.settings.Channel;
import org.junit.jupiter.api.Test;

class FfmpegLogTest {

    private static final Channel MAIN = new Channel("main", "s3cr3t-key-0123456789", 1935, false);

    // what ffmpeg 4.4 prints when a publisher connects and its streams are recognised
    private static final List<String> PUBLISHED = List.of(
            "[rtmp @ 0x26d69b00] Unexpected stream s3cr3t-key-0123456789, expecting ingest-0a1b2c3d",
            "    Last message repeated 1 times",
            "Input #0, flv, from 'rtmp://0.0.0.0:1935/live/ingest-0a1b2c3d':",
            "  Metadata:",
            "    encoder         : Lavf58.76.100",
            "  Duration: 00:00:00.00, start: 0.000000, bitrate: N/A",
            "    Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720 [SAR 1:1 DAR 16:9], 30 fps, 1k tbn",
            "    Stream #0:1: Audio: aac (LC), 44100 Hz, stereo, fltp, 128 kb/s",
            "Output #0, hls, to '/media/main/20261124-080119733-byr4.m3u8':",
            "  Metadata:");

    @Test
    void tellsTheStreamNameThenThePublishersStreams() {
        FfmpegLog log = new FfmpegLog(MAIN);
        List<Event> events = PUBLISHED.stream().map(log::read).toList();
        assertEquals(List.of(Event.PUBLISH_NAMED, Event.NOTHING, Event.NOTHING, Event.NOTHING, Event.NOTHING,
                Event.NOTHING, Event.NOTHING, Event.NOTHING, Event.INPUT_DESCRIBED, Event.NOTHING), events);
        assertEquals("s3cr3t-key-0123456789", log.publishedName());
        assertTrue(log.described());
        assertTrue(log.sawConnection());
        assertEquals("h264", log.videoCodec());
        assertEquals("aac", log.audioCodec());
        assertEquals("1280x720", log.resolution());
        assertTrue(log.input().endsWith("Stream #0:1: Audio: aac (LC), 44100 Hz, stereo, fltp, 128 kb/s"), log.input());
        assertTrue(log.tail().stream().noneMatch(line -> line.contains("s3cr3t")), "the key is redacted");
    }

    @Test
    void readsAudioOnlyAndOtherCodecs() {
        FfmpegLog log = new FfmpegLog(MAIN);
        log.read("Input #0, flv, from 'rtmp://0.0.0.0:1935/live/x':");
        log.read("    Stream #0:0: Audio: nellymoser, 44100 Hz, mono, flt");
        assertEquals(Event.INPUT_DESCRIBED, log.read("Output #0, hls, to 'x.m3u8':"));
        assertNull(log.videoCodec());
        assertEquals("nellymoser", log.audioCodec());
        assertNull(log.publishedName());
    }

    @Test
    void aListenerThatCannotListenIsToldApartFromAFailedConnection() {
        FfmpegLog bind = new FfmpegLog(MAIN);
        bind.read("[rtmp @ 0x44bba980] Cannot open connection tcp://0.0.0.0:1935?listen&listen_timeout=-1000");
        bind.read("rtmp://0.0.0.0:1935/live/x: Address already in use");
        assertTrue(bind.bindFailed());

        FfmpegLog idle = new FfmpegLog(MAIN);
        idle.read("[rtmp @ 0x366cca00] Unable to read handshake");
        assertTrue(idle.sawConnection());
        assertFalse(idle.bindFailed());
    }

    @Test
    void keepsARedactedTail() {
        FfmpegLog log = new FfmpegLog(MAIN);
        for (int i = 0; i < 30; i++) {
            log.read("line " + i);
        }
        log.read("[rtmp @ 0x1] Unexpected stream s3cr3t-key-0123456789, expecting ingest-0a1b2c3d");
        assertEquals(20, log.tail().size());
        assertEquals("[rtmp @ 0x1] Unexpected stream <stream key>, expecting ingest-0a1b2c3d", log.tail().get(19));
    }
}
