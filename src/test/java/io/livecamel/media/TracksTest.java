package io.livecamel.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The track check on tags as FLV and RTMP carry them, codec byte first. */
class TracksTest {

    private static FlvTag video(int... bytes) {
        return tag(FlvTag.VIDEO, bytes);
    }

    private static FlvTag audio(int... bytes) {
        return tag(FlvTag.AUDIO, bytes);
    }

    private static FlvTag tag(int type, int... bytes) {
        byte[] body = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            body[i] = (byte) bytes[i];
        }
        return new FlvTag(type, 0, Unpooled.wrappedBuffer(body));
    }

    /** SPSs x264 wrote (High profile) for 1280x720, 1920x1080 (cropped from 1088) and 426x240 (cropped from 432). */
    private static final int[] SPS_720 = {0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9, 0x40, 0x50, 0x05, 0xbb, 0x01, 0x10,
        0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x83, 0x19, 0x60};
    private static final int[] SPS_1080 = {0x67, 0x64, 0x00, 0x28, 0xac, 0xd9, 0x40, 0x78, 0x02, 0x27, 0xe5, 0xc0,
        0x44, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xc8, 0x3c, 0x60, 0xc6, 0x58};
    private static final int[] SPS_240 = {0x67, 0x64, 0x00, 0x15, 0xac, 0xd9, 0x41, 0xb1, 0xfe, 0x4f, 0x01, 0x10,
        0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x62, 0xd9, 0x60};

    private static FlvTag avcConfig() {
        return avcConfig(SPS_720);
    }

    /** An H.264 sequence header (AVCPacketType 0): the decoder configuration record around one SPS. */
    private static FlvTag avcConfig(int[] sps) {
        int[] body = new int[5 + 8 + sps.length + 3];
        int i = 0;
        for (int b : new int[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, sps.length}) {
            body[i++] = b;
        }
        for (int b : sps) {
            body[i++] = b;
        }
        body[i++] = 1; // one PPS of one byte
        body[i++] = 0;
        body[i] = 1;
        return video(body);
    }

    @Test
    void h264AndAacAreReadyOnceBothSequenceHeadersArrived() {
        Tracks tracks = new Tracks(false);
        tracks.metadata(Map.of("videocodecid", 7.0, "audiocodecid", 10.0, "width", 1280.0, "height", 720.0));
        tracks.see(avcConfig());
        assertEquals(Tracks.Decision.WAIT, tracks.decide(false), "the audio is announced and not configured yet");
        tracks.see(audio(0xAF, 0, 0x12, 0x10));
        assertEquals(Tracks.Decision.READY, tracks.decide(false));
        assertEquals("h264", tracks.videoCodec());
        assertEquals("aac", tracks.audioCodec());
        assertEquals("1280x720", tracks.resolution());
    }

    @Test
    void theSizeIsReadFromTheSpsCroppingIncluded() {
        for (Object[] c : new Object[][] {{SPS_720, "1280x720"}, {SPS_1080, "1920x1080"}, {SPS_240, "426x240"}}) {
            Tracks tracks = new Tracks(false);
            tracks.see(avcConfig((int[]) c[0]));
            assertEquals(Tracks.Decision.READY, tracks.decide(true));
            assertEquals(c[1], tracks.resolution());
        }
    }

    @Test
    void theSizeComesFromTheSpsNotFromWhatTheMetadataClaims() {
        Tracks tracks = new Tracks(false);
        tracks.see(avcConfig());
        tracks.metadata(Map.of("videocodecid", 7.0, "width", 640.0, "height", 360.0));
        assertEquals(Tracks.Decision.READY, tracks.decide(false), "video only, as announced");
        assertEquals("1280x720", tracks.resolution());
        assertNull(tracks.audioCodec());
        assertFalse(tracks.hasAudio());
    }

    @Test
    void withoutMetadataItWaitsForBothTracksOrEnoughMedia() {
        Tracks audioOnly = new Tracks(false);
        audioOnly.see(audio(0x2F, 0xFF, 0xFB)); // MP3
        assertEquals(Tracks.Decision.WAIT, audioOnly.decide(false));
        assertEquals(Tracks.Decision.READY, audioOnly.decide(true));
        assertEquals("mp3", audioOnly.audioCodec());
        assertFalse(audioOnly.hasVideo());
    }

    @Test
    void codecsHlsCannotCarryAreRefusedByName() {
        Tracks h263 = new Tracks(false);
        h263.see(video(0x12, 0, 0));
        assertEquals(Tracks.Decision.REFUSED, h263.decide(false));
        assertEquals("its video codec Sorenson H.263 cannot be carried in HLS/MPEG-TS without re-encoding; send H.264",
                h263.refusal().orElseThrow());
        Tracks speex = new Tracks(false);
        speex.see(audio(0xB2, 0));
        assertEquals(Tracks.Decision.REFUSED, speex.decide(false));
        assertTrue(speex.refusal().orElseThrow().startsWith("its audio codec Speex"));
        Tracks av1 = new Tracks(true);
        av1.see(video(0x90, 'a', 'v', '0', '1', 0));
        assertEquals(Tracks.Decision.REFUSED, av1.decide(false));
        assertTrue(av1.refusal().orElseThrow().startsWith("its video codec AV1 (Enhanced RTMP)"));
    }

    @Test
    void hevcOverEnhancedRtmpNeedsAnFfmpegThatReadsIt() {
        Tracks old = new Tracks(false);
        old.see(video(0x90, 'h', 'v', 'c', '1', 1, 2, 3));
        assertEquals(Tracks.Decision.REFUSED, old.decide(false));
        assertTrue(old.refusal().orElseThrow().contains("HEVC over Enhanced RTMP, which the ffmpeg in use cannot read"),
                old.refusal().orElseThrow());
        Tracks recent = new Tracks(true);
        recent.metadata(Map.of("videocodecid", "hvc1"));
        recent.see(video(0x90, 'h', 'v', 'c', '1', 1, 2, 3)); // packet type 0: the sequence start
        assertEquals(Tracks.Decision.READY, recent.decide(false));
        assertEquals("hevc", recent.videoCodec());
    }

    @Test
    void framesWithoutTheirSequenceHeaderAreRefusedOnceEnoughHasCome() {
        Tracks tracks = new Tracks(false);
        tracks.see(video(0x27, 1, 0, 0, 0)); // an H.264 inter frame, no configuration before it
        assertEquals(Tracks.Decision.WAIT, tracks.decide(false));
        assertEquals(Tracks.Decision.REFUSED, tracks.decide(true));
        assertEquals("it sent h264 video without its sequence header (decoder configuration)",
                tracks.refusal().orElseThrow());
    }
}
