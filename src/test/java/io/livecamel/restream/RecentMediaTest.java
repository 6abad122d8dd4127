package io.livecamel.restream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.livecamel.media.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The recent media a destination starts with: from a keyframe, whole GOPs let go as they age, nothing leaked. */
class RecentMediaTest {

    private final List<ByteBuf> bodies = new ArrayList<>();

    private FlvTag video(long timestamp, boolean keyframe) {
        ByteBuf body = Unpooled.buffer(5).writeBytes(new byte[] {(byte) (keyframe ? 0x17 : 0x27), 1, 0, 0, 0});
        bodies.add(body);
        return new FlvTag(FlvTag.VIDEO, timestamp, body);
    }

    @Test
    void itStartsAtAKeyframeAndKeepsAtLeastFiveSeconds() {
        RecentMedia recent = new RecentMedia();
        recent.add(video(0, false), true); // before any keyframe: not kept
        for (long t = 40; t <= 8000; t += 40) {
            recent.add(video(t, t % 1000 == 0), true); // a keyframe every second
        }
        List<Long> kept = new ArrayList<>();
        recent.tags().forEach(tag -> kept.add(tag.timestamp()));
        assertEquals(3000, kept.get(0), "the oldest GOP whose successors still span 5 s");
        assertEquals(8000, kept.get(kept.size() - 1));
        assertTrue(recent.tags().iterator().next().isKeyframe());
        recent.clear();
        bodies.forEach(ByteBuf::release); // the caller's reference
        assertTrue(bodies.stream().allMatch(body -> body.refCnt() == 0), "every duplicate released");
    }
}
