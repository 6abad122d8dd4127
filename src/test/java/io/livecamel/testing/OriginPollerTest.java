package io.livecamel.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The poller's own rules: what counts as a gap and as a playlist going back. */
class OriginPollerTest {

    private static String playlist(String... segments) {
        StringBuilder text = new StringBuilder("#EXTM3U\n");
        for (String segment : segments) {
            text.append("#EXTINF:1.0,\n").append(segment).append('\n');
        }
        return text.toString();
    }

    @Test
    void aPlaylistThatLosesItsLastSegmentGoesBack() {
        assertNotNull(OriginPoller.backwards(playlist("s-1-00001.ts", "s-1-00002.ts"), playlist("s-1-00001.ts")));
    }

    @Test
    void twoSegmentsInOneUpdateANewConnectionOrTheSameVersionDoNot() {
        assertNull(OriginPoller.backwards(playlist("s-1-00001.ts"), playlist("s-1-00001.ts", "s-1-00002.ts",
                "s-1-00003.ts")));
        assertNull(OriginPoller.backwards(playlist("s-1-00007.ts"), playlist("s-1-00007.ts", "s-2-00000.ts")));
        assertNull(OriginPoller.backwards(playlist("s-1-00002.ts"), playlist("s-1-00002.ts")));
        assertNull(OriginPoller.backwards(null, playlist("s-1-00002.ts")));
    }

    @Test
    void aSkippedNumberIsAGap() {
        assertNotNull(OriginPoller.gap(java.util.List.of("s-1-00001.ts", "s-1-00003.ts")));
        assertNull(OriginPoller.gap(java.util.List.of("s-1-00001.ts", "s-1-00002.ts", "s-2-00000.ts")));
    }
}
