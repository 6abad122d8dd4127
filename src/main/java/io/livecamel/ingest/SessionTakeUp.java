package io.livecamel.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.livecamel.hls.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session another node wrote, taken up on this one (cluster mode): what the origin holds of it becomes this
 * node's local state, so that ffmpeg and the origin routes go on as after a reconnect on one node. The origin's
 * playlist, what viewers were told, becomes the session's local playlist: ffmpeg appends to it after an
 * {@code #EXT-X-DISCONTINUITY} and numbers on, so the media sequence never goes back. The session's recording so far
 * becomes its local list of segments ({@link SessionJournal}).
 */
final class SessionTakeUp {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTakeUp.class);

    private SessionTakeUp() {
    }

    /** Writes the session's local files from the origin's; false when the session has ended there. */
    static boolean seed(String channel, Path folder, String session, SessionOrigin.Snapshot origin) {
        if (origin.playlist() != null && origin.playlist().contains("#EXT-X-ENDLIST")
                && origin.playlist().lines().anyMatch(line -> Session.isSegmentOf(line.trim(), session))) {
            LOG.info("Channel {}: session {} has ended at the origin; a new session starts", channel, session);
            return false;
        }
        try {
            Files.createDirectories(folder);
            if (origin.goesOn(session)) {
                Files.writeString(folder.resolve(Session.playlistFile(session)), origin.playlist());
            }
            if (origin.journal() != null) {
                Files.writeString(folder.resolve(Session.recordingFile(session)), origin.journal());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local files of session " + session, e);
        }
        return true;
    }
}
