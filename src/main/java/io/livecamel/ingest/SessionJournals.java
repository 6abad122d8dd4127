package io.livecamel.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.livecamel.hls.Session;

/** The {@link SessionJournal} of each session of a channel that has a playlist on disk. One thread uses it. */
final class SessionJournals {

    private final Map<String, SessionJournal> journals = new HashMap<>();

    /** Writes down the segments the session's playlist in {@code folder} lists now. */
    void update(Path folder, String session) {
        if (Files.isRegularFile(folder.resolve(Session.playlistFile(session)))) {
            journals.computeIfAbsent(session, s -> new SessionJournal(folder, s)).update();
        } else {
            journals.remove(session); // ended and cleaned up
        }
    }

    void forget(String session) {
        journals.remove(session);
    }
}
