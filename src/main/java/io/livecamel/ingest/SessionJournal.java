package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every segment ffmpeg listed in a session, written down beside them ({@link Session#recordingFile}) as it lists
 * them: ffmpeg's playlist keeps only the live window, and this is what the session's recording is made from when
 * it ends. It is written on the ingest side, never held up by the origin: a segment that scrolled out of the window
 * while the origin was down is still in it. It survives a crash: the next run reads where it stopped.
 */
final class SessionJournal {

    private static final Logger LOG = LoggerFactory.getLogger(SessionJournal.class);

    private final Path folder;
    private final String session;
    /** The sequence number of the last segment written down; -1 for none. */
    private long last = -1;

    SessionJournal(Path folder, String session) {
        this.folder = folder;
        this.session = session;
        try {
            List<Playlist.Segment> written = Playlist.parse("#EXTM3U\n"
                    + Files.readString(folder.resolve(Session.recordingFile(session)))).segments();
            if (!written.isEmpty()) {
                last = Session.sequenceOf(written.get(written.size() - 1).uri());
            }
        } catch (NoSuchFileException e) {
            // nothing written yet
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Session {}: its list of segments cannot be read ({}); it is written on from here", session,
                    e.getMessage());
        }
    }

    /** Writes down the segments ffmpeg's playlist lists now that are not written down yet. */
    void update() {
        Playlist playlist;
        try {
            playlist = Playlist.parse(Files.readString(folder.resolve(Session.playlistFile(session))));
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Session {}: its playlist cannot be read ({})", session, e.getMessage());
            return;
        }
        StringBuilder lines = new StringBuilder();
        long newest = last;
        for (Playlist.Segment segment : playlist.segments()) {
            long sequence = Session.sequenceOf(segment.uri());
            if (sequence > newest) {
                if (newest >= 0 && sequence > newest + 1) {
                    LOG.warn("Session {}: segments {} to {} left ffmpeg's playlist before they were written down; "
                            + "the recording goes without them", session, newest + 1, sequence - 1);
                }
                segment.tags().forEach(tag -> lines.append(tag).append('\n'));
                lines.append(segment.uri()).append('\n');
                newest = sequence;
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        try {
            Files.writeString(folder.resolve(Session.recordingFile(session)), lines, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            last = newest;
        } catch (IOException e) {
            LOG.warn("Session {}: its list of segments cannot be written ({}); it is tried again with the next "
                    + "playlist", session, e.getMessage());
        }
    }
}
