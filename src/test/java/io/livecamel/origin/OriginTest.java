package io.livecamel.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.settings.StreamingSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginTest {

    private static final String S1 = "20261124-080000000-aaaa";
    private static final String S2 = "20261124-090000000-bbbb";

    @TempDir
    Path media;
    private Path folder;
    private Origin origin;

    @BeforeEach
    void setUp() throws IOException {
        origin = new Origin(StreamingSettings.read(name -> Optional.empty()), media, new OriginMetrics(new SimpleMeterRegistry()), null);
        folder = Files.createDirectories(media.resolve("main"));
        origin.sessions().admit("main", S1, 1);
        origin.sessions().admit("main", S2, 1);
    }

    private void segments(String session, int from, int to) throws IOException {
        for (int i = from; i <= to; i++) {
            Files.writeString(folder.resolve(seg(session, i)), "ts " + i);
        }
    }

    private static String seg(String session, int number) {
        return String.format("%s-1-%05d.ts", session, number);
    }

    /** A playlist as ffmpeg writes it, listing the window [from, to]. */
    private void playlist(String session, int from, int to, boolean ended) throws IOException {
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:")
                .append(from).append('\n');
        for (int i = from; i <= to; i++) {
            text.append("#EXTINF:1.000000,\n").append(seg(session, i)).append('\n');
        }
        if (ended) {
            text.append("#EXT-X-ENDLIST\n");
        }
        Files.writeString(folder.resolve(session + ".m3u8"), text);
    }

    private List<String> uris(Playlist playlist) {
        return playlist.segments().stream().map(Playlist.Segment::uri).toList();
    }

    @Test
    void pendingSegmentsAreTheSessionsFinishedOnesInNumberOrder() throws IOException {
        segments(S1, 99998, 100001);
        segments(S2, 0, 0);
        Files.writeString(folder.resolve(S1 + "-1-100002.ts.tmp"), "partial");
        origin.segments().uploaded("main", seg(S1, 99998));
        assertEquals(List.of(seg(S1, 99999), seg(S1, 100000), seg(S1, 100001)),
                origin.segments().pending("main", S1).stream().map(File::getName).toList());
    }

    @Test
    void aPlaylistIsCutBeforeItsFirstSegmentNotOnTheOrigin() throws IOException {
        segments(S1, 0, 2);
        playlist(S1, 0, 2, false);
        assertNull(origin.playlists().next("main", S1, false), "nothing is on the origin: nothing to publish");

        origin.segments().uploaded("main", seg(S1, 0));
        origin.segments().uploaded("main", seg(S1, 2));
        Playlist next = origin.playlists().next("main", S1, false);
        assertEquals(List.of(seg(S1, 0)), uris(next));
        origin.playlists().published("main", S1, next);
        assertNull(origin.playlists().next("main", S1, false), "the same version is not published twice");

        origin.segments().uploaded("main", seg(S1, 1));
        assertEquals(List.of(seg(S1, 0), seg(S1, 1), seg(S1, 2)),
                uris(origin.playlists().next("main", S1, false)));
    }

    @Test
    void theLastPlaylistEndsEvenIfFfmpegCouldNotWriteTheEndMarker() throws IOException {
        segments(S1, 0, 1);
        playlist(S1, 0, 1, false);
        origin.segments().uploaded("main", seg(S1, 0));
        origin.segments().uploaded("main", seg(S1, 1));
        origin.playlists().published("main", S1, origin.playlists().next("main", S1, false));
        Playlist last = origin.playlists().next("main", S1, true);
        assertTrue(last.ended());
        assertEquals(2, last.segments().size());
    }

    @Test
    void anOlderSessionNeverReplacesANewerOnesPlaylist() throws IOException {
        segments(S1, 0, 3);
        playlist(S1, 0, 3, false);
        segments(S2, 0, 0);
        playlist(S2, 0, 0, false);
        origin.segments().uploaded("main", seg(S2, 0));
        origin.playlists().published("main", S2, origin.playlists().next("main", S2, false));
        for (int i = 0; i <= 3; i++) {
            origin.segments().uploaded("main", seg(S1, i));
        }
        assertNull(origin.playlists().next("main", S1, true));
        assertEquals(List.of(seg(S2, 0)), uris(origin.playlists().lastPublished("main")));
    }

    @Test
    void aLocalSegmentIsDeletedOnlyWhenUploadedAndOutOfTheWindow() throws IOException {
        segments(S1, 0, 4);
        for (int i = 0; i <= 3; i++) {
            origin.segments().uploaded("main", seg(S1, i));
        }
        playlist(S1, 2, 4, false); // 0 and 1 have left the window, 4 is not uploaded
        origin.playlists().published("main", S1, origin.playlists().next("main", S1, false));
        assertFalse(Files.exists(folder.resolve(seg(S1, 0))));
        assertFalse(Files.exists(folder.resolve(seg(S1, 1))));
        assertTrue(Files.exists(folder.resolve(seg(S1, 2))), "still listed");
        assertTrue(Files.exists(folder.resolve(seg(S1, 4))), "not uploaded yet");

        // a segment that leaves the window before it is uploaded stays until it is
        playlist(S1, 5, 5, false);
        segments(S1, 5, 5);
        origin.segments().uploaded("main", seg(S1, 5));
        origin.playlists().published("main", S1, origin.playlists().next("main", S1, false));
        assertTrue(Files.exists(folder.resolve(seg(S1, 4))));
        assertEquals(List.of(seg(S1, 4)), origin.segments().pending("main", S1).stream().map(File::getName).toList());
    }

    @Test
    void segmentsOfAConnectionThatWasNotLetInNeverGoUp() throws IOException {
        Files.writeString(folder.resolve(S1 + "-2-00003.ts"), "a refused publisher's");
        assertFalse(origin.segments().isPending("main", S1 + "-2-00003.ts"));
        assertEquals(List.of(), origin.segments().pending("main", S1));
        origin.sessions().admit("main", S1, 2);
        assertTrue(origin.segments().isPending("main", S1 + "-2-00003.ts"));
    }

    @Test
    void whileTheSessionIsLiveThePlaylistNeverEndsThoughFfmpegEndedAConnection() throws IOException {
        segments(S1, 0, 1);
        playlist(S1, 0, 1, true);
        origin.segments().uploaded("main", seg(S1, 0));
        origin.segments().uploaded("main", seg(S1, 1));
        assertFalse(origin.playlists().next("main", S1, false).ended(), "the publisher may come back");
        assertTrue(origin.playlists().next("main", S1, true).ended());
        assertEquals(2L, origin.sessions().summary("main", S1).get("segments"));
        assertEquals(8L, origin.sessions().summary("main", S1).get("bytes"));
    }

    @Test
    void aFileThatIsNotAPlaylistIsNeverPublishedNorRetried() throws IOException {
        Files.writeString(folder.resolve(S1 + ".m3u8"), "root:x:0:0:root:/root:/bin/bash\n");
        assertNull(origin.playlists().next("main", S1, false));
        Files.writeString(folder.resolve("stray.m3u8"), "#EXTM3U\n#EXTINF:1,\nstray-1-00000.ts\n");
        assertNull(origin.playlists().next("main", "stray", false), "no publisher of that session was let in");
    }

    @Test
    void cleanUpRemovesEveryFileOfTheSessionAndNoOther() throws IOException {
        segments(S1, 0, 1);
        playlist(S1, 0, 1, true);
        Files.writeString(folder.resolve(S1 + "-1-00002.ts.tmp"), "partial");
        segments(S2, 0, 0);
        origin.sessions().cleanUp("main", S1);
        try (var files = Files.list(folder)) {
            assertEquals(List.of(seg(S2, 0)), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aRecoveredSessionUploadsOnlyWhatTheOriginLacksAndItsPlaylistNeverGoesBack() throws IOException {
        String left = "20261124-100000000-cccc";
        segments(left, 0, 4);
        playlist(left, 0, 4, false);
        Playlist atOrigin = Playlist.parse(Files.readString(folder.resolve(left + ".m3u8"))).upTo(
                uri -> Session.sequenceOf(uri) <= 2);
        // a fresh Origin: what the run before knew is gone
        origin = new Origin(StreamingSettings.read(name -> Optional.empty()), media, new OriginMetrics(new SimpleMeterRegistry()), null);
        assertEquals(List.of(), origin.segments().pending("main", left), "nothing of a session not taken up");

        origin.sessions().recovered("main", left, 1, java.util.Set.of(seg(left, 0), seg(left, 1), seg(left, 2)), atOrigin);
        assertEquals(List.of(seg(left, 3), seg(left, 4)),
                origin.segments().pending("main", left).stream().map(File::getName).toList());
        assertNull(origin.playlists().next("main", left, false), "the origin's playlist is not replaced by the same");
        origin.segments().uploaded("main", seg(left, 3));
        assertEquals(List.of(seg(left, 0), seg(left, 1), seg(left, 2), seg(left, 3)),
                uris(origin.playlists().next("main", left, false)));
        assertEquals(4L, origin.sessions().summary("main", left).get("segments"), "the three found at the origin and one since");
    }

    @Test
    void aFileOfASessionNamesItsConnectionAndASessionItsStart() {
        assertEquals(2, Session.connectionNumber(S1 + "-2-00007.ts", S1));
        assertEquals(3, Session.connectionNumber(S1 + "-3-00008.ts.tmp", S1));
        assertEquals(0, Session.connectionNumber(S1 + ".m3u8", S1));
        assertEquals(0, Session.connectionNumber(S2 + "-1-00000.ts", S1));
        assertEquals(java.time.Instant.parse("2026-11-24T08:00:00Z"), Session.startedAt(S1));
    }

    @Test
    void theRecordingIsWhatTheIngestWroteDownUpToTheLastSegmentPublished() throws IOException {
        segments(S1, 0, 5);
        StringBuilder journal = new StringBuilder();
        for (int i = 0; i <= 5; i++) {
            journal.append("#EXTINF:1.000000,\n").append(seg(S1, i)).append('\n');
        }
        Files.writeString(folder.resolve(S1 + ".vod"), journal);
        assertNull(origin.recordings().playlist("main", S1, null), "nothing published, nothing to record");
        playlist(S1, 2, 4, false); // a window of three: 0 and 1 have left it unpublished (an origin outage)
        for (int i = 0; i <= 4; i++) {
            origin.segments().uploaded("main", seg(S1, i));
        }
        origin.playlists().published("main", S1, origin.playlists().next("main", S1, false));
        Playlist recording = origin.recordings().playlist("main", S1, null);
        assertEquals(java.util.stream.IntStream.rangeClosed(0, 4).mapToObj(i -> "../" + seg(S1, i)).toList(),
                uris(recording), "5 is written down, but not at the origin");
        String text = recording.render();
        assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:VOD") && text.endsWith("#EXT-X-ENDLIST\n"), text);
        origin.sessions().cleanUp("main", S1);
        assertFalse(Files.exists(folder.resolve(S1 + ".vod")), "the recording's list goes with the session");
    }
}
