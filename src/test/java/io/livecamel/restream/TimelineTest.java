package io.livecamel.restream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livecamel.media.FlvTag;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** A destination's clock: from 0 at a keyframe, never back, continuous across a publisher's reconnect. */
class TimelineTest {

    private static FlvTag video(long timestamp, boolean keyframe) {
        return new FlvTag(FlvTag.VIDEO, timestamp, Unpooled.wrappedBuffer(new byte[] {(byte) (keyframe ? 0x17 : 0x27),
            1, 0, 0, 0}));
    }

    private static FlvTag audio(long timestamp) {
        return new FlvTag(FlvTag.AUDIO, timestamp, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1, 0x21}));
    }

    @Test
    void itStartsAtZeroOnTheFirstKeyframe() {
        Timeline clock = new Timeline();
        assertEquals(-1, clock.place(audio(4970), true), "nothing before a keyframe");
        assertEquals(-1, clock.place(video(4960, false), true));
        assertEquals(0, clock.place(video(5000, true), true));
        assertEquals(0, clock.place(audio(4990), true), "a track's first tag never goes below 0");
        assertEquals(40, clock.place(video(5040, false), true));
        assertEquals(33, clock.place(audio(5033), true));
        assertEquals(80, clock.place(video(5080, false), true));
    }

    @Test
    void aReconnectGoesOnOneFrameAfterTheLastTag() {
        Timeline clock = new Timeline();
        clock.place(video(0, true), true);
        clock.place(video(40, false), true);
        clock.place(audio(60), true);
        clock.place(video(80, false), true);
        clock.publisherStarted(); // the new connection starts again from 0
        assertEquals(-1, clock.place(audio(0), true), "up to its first keyframe");
        assertEquals(120, clock.place(video(0, true), true), "one frame (40 ms) after the last tag");
        assertEquals(120, clock.place(audio(0), true));
        assertEquals(160, clock.place(video(40, false), true));
    }

    @Test
    void aTrackNeverGoesBack() {
        Timeline clock = new Timeline();
        clock.place(video(1000, true), true);
        clock.place(video(1080, false), true);
        assertEquals(80, clock.place(video(1040, false), true), "held at the last one");
        clock.dropped();
        assertEquals(-1, clock.place(video(1120, false), true), "after a drop: the next keyframe");
        assertEquals(1000, clock.place(video(2000, true), true), "with the gap of what was dropped");
    }

    @Test
    void audioAloneStartsAStreamWithoutVideo() {
        Timeline clock = new Timeline();
        assertEquals(0, clock.place(audio(300), false));
        assertEquals(23, clock.place(audio(323), false));
    }
}
