package io.livecamel.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PlaylistTest {

    // as ffmpeg 4.4 writes it: PROGRAM-DATE-TIME after EXTINF, a discontinuity before the third segment
    static final String LIVE = """
            #EXTM3U
            #EXT-X-VERSION:6
            #EXT-X-TARGETDURATION:1
            #EXT-X-MEDIA-SEQUENCE:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXTINF:1.000000,
            #EXT-X-PROGRAM-DATE-TIME:2026-11-23T20:06:25.905+0000
            s1-00007.ts
            #EXTINF:1.000000,
            #EXT-X-PROGRAM-DATE-TIME:2026-11-23T20:06:26.905+0000
            s1-00008.ts
            #EXT-X-DISCONTINUITY
            #EXTINF:0.990000,
            #EXT-X-PROGRAM-DATE-TIME:2026-11-23T20:06:27.905+0000
            s2-00009.ts
            """;

    @Test
    void parsesWhatFfmpegWritesAndRendersItBack() {
        Playlist playlist = Playlist.parse(LIVE);
        assertEquals(List.of("s1-00007.ts", "s1-00008.ts", "s2-00009.ts"),
                playlist.segments().stream().map(Playlist.Segment::uri).toList());
        assertEquals(7, playlist.mediaSequence());
        assertEquals(10, playlist.endSequence());
        assertEquals(1, playlist.targetDuration());
        assertFalse(playlist.ended());
        assertEquals(LIVE, playlist.render());
    }

    @Test
    void cutsBeforeTheFirstSegmentThatIsNotAvailableAndKeepsItsTags() {
        Playlist cut = Playlist.parse(LIVE + "#EXT-X-ENDLIST\n").upTo(Set.of("s1-00007.ts", "s2-00009.ts")::contains);
        assertEquals(List.of("s1-00007.ts"), cut.segments().stream().map(Playlist.Segment::uri).toList());
        assertFalse(cut.ended(), "a cut playlist must not claim the stream is over");
        assertEquals(8, cut.endSequence());
        assertTrue(cut.render().contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-23T20:06:25.905+0000\ns1-00007.ts\n"));
        assertFalse(cut.render().contains("s2-00009.ts"), "a segment after a missing one is never listed");
    }

    @Test
    void keepsTheSamePlaylistWhenEverySegmentIsAvailable() {
        Playlist playlist = Playlist.parse(LIVE + "#EXT-X-ENDLIST\n");
        assertSame(playlist, playlist.upTo(uri -> true));
        assertTrue(playlist.ended());
        assertTrue(playlist.render().endsWith("s2-00009.ts\n#EXT-X-ENDLIST\n"));
    }

    @Test
    void ordersVersionsByWhatTheyList() {
        Playlist full = Playlist.parse(LIVE);
        Playlist shorter = full.upTo("s1-00007.ts"::equals);
        assertTrue(full.isNewerThan(shorter));
        assertFalse(shorter.isNewerThan(full));
        assertFalse(full.isNewerThan(full));
        assertTrue(full.withEndList().isNewerThan(full), "the end marker is news");
        assertFalse(full.isNewerThan(full.withEndList()));
        assertTrue(full.isNewerThan(null));
    }

    @Test
    void windowSlideWithoutANewSegmentIsNotNewer() {
        String slid = LIVE.replace("#EXT-X-MEDIA-SEQUENCE:7", "#EXT-X-MEDIA-SEQUENCE:8")
                .replace("#EXTINF:1.000000,\n#EXT-X-PROGRAM-DATE-TIME:2026-11-23T20:06:25.905+0000\ns1-00007.ts\n", "");
        assertFalse(Playlist.parse(slid).isNewerThan(Playlist.parse(LIVE)));
    }

    @Test
    void cacheControlIsAtMostHalfTheTargetDuration() {
        assertEquals("public, max-age=0, s-maxage=1", Playlist.parse(LIVE).cacheControl());
        assertEquals("public, max-age=0, s-maxage=1",
                Playlist.parse(LIVE.replace("TARGETDURATION:1", "TARGETDURATION:0")).cacheControl());
        assertEquals("public, max-age=0, s-maxage=1",
                Playlist.parse(LIVE.replace("TARGETDURATION:1", "TARGETDURATION:2")).cacheControl());
        assertEquals("public, max-age=0, s-maxage=3",
                Playlist.parse(LIVE.replace("TARGETDURATION:1", "TARGETDURATION:6")).cacheControl());
        assertEquals("public, max-age=0, s-maxage=3",
                Playlist.parse(LIVE.replace("TARGETDURATION:1", "TARGETDURATION:7")).cacheControl());
    }

    @Test
    void refusesTextThatIsNotAPlaylist() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Playlist.parse("<html>not found</html>"));
        assertTrue(error.getMessage().contains("#EXTM3U"));
        assertThrows(IllegalArgumentException.class, () -> Playlist.parse(""));
    }

    @Test
    void readsCrLfPlaylists() {
        Playlist playlist = Playlist.parse(LIVE.replace("\n", "\r\n"));
        assertEquals(3, playlist.segments().size());
        assertEquals(LIVE, playlist.render());
    }
}
