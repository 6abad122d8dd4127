package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import io.livecamel.hls.Playlist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionJournalTest {

    private static final String SESSION = "20261124-080000000-abcd";

    @TempDir
    Path folder;

    private static String seg(int number) {
        return String.format("%s-1-%05d.ts", SESSION, number);
    }

    /** ffmpeg's playlist with a window from {@code from} to {@code to}, a discontinuity before {@code gapAt}. */
    private void ffmpegLists(int from, int to, int gapAt) throws IOException {
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n"
                + "#EXT-X-MEDIA-SEQUENCE:" + from + "\n");
        for (int i = from; i <= to; i++) {
            text.append(i == gapAt ? "#EXT-X-DISCONTINUITY\n" : "").append("#EXTINF:1.000000,\n").append(seg(i))
                    .append('\n');
        }
        Files.writeString(folder.resolve(SESSION + ".m3u8"), text);
    }

    private List<Playlist.Segment> writtenDown() throws IOException {
        return Playlist.parse("#EXTM3U\n" + Files.readString(folder.resolve(SESSION + ".vod"))).segments();
    }

    @Test
    void everySegmentIsWrittenDownOnceAsTheWindowMoves() throws IOException {
        SessionJournal journal = new SessionJournal(folder, SESSION);
        for (int end = 0; end <= 6; end++) {
            ffmpegLists(Math.max(0, end - 2), end, 4);
            journal.update();
            journal.update(); // the same playlist again: nothing new
        }
        List<Playlist.Segment> written = writtenDown();
        assertEquals(IntStream.rangeClosed(0, 6).mapToObj(SessionJournalTest::seg).toList(),
                written.stream().map(Playlist.Segment::uri).toList());
        assertEquals(List.of("#EXT-X-DISCONTINUITY", "#EXTINF:1.000000,"), written.get(4).tags());
    }

    @Test
    void aNewRunGoesOnWhereTheListStopped() throws IOException {
        ffmpegLists(0, 2, -1);
        new SessionJournal(folder, SESSION).update();
        ffmpegLists(1, 4, -1); // the run before died before it saw 3 and 4
        new SessionJournal(folder, SESSION).update();
        assertEquals(IntStream.rangeClosed(0, 4).mapToObj(SessionJournalTest::seg).toList(),
                writtenDown().stream().map(Playlist.Segment::uri).toList());
    }

    @Test
    void segmentsThatLeftTheWindowUnseenAreSkippedAndTheRestGoesOn() throws IOException {
        SessionJournal journal = new SessionJournal(folder, SESSION);
        ffmpegLists(0, 1, -1);
        journal.update();
        ffmpegLists(5, 7, -1);
        journal.update();
        assertEquals(List.of(seg(0), seg(1), seg(5), seg(6), seg(7)),
                writtenDown().stream().map(Playlist.Segment::uri).toList());
    }
}
