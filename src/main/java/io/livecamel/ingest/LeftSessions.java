package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import io.livecamel.hls.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions an earlier run left in a channel's folder: it stopped without ending them (a crash, a kill). A session
 * is left when its playlist is there; segments of a session that never wrote a playlist were never published, and
 * are deleted. Files not named the way this application names them are left alone.
 */
final class LeftSessions {

    private static final Logger LOG = LoggerFactory.getLogger(LeftSessions.class);

    /** One session left unfinished, and how many connections of its publishers wrote segments. */
    record Left(String session, int connections) {
    }

    private LeftSessions() {
    }

    /** The sessions left in {@code folder}, oldest first; the orphaned segments are deleted. */
    static List<Left> in(String channel, Path folder) {
        List<String> names;
        try (var files = Files.list(folder)) {
            names = files.map(file -> file.getFileName().toString()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.error("Channel {}: cannot read {} for sessions an earlier run left: {}", channel, folder,
                    e.getMessage());
            return List.of();
        }
        List<String> sessions = names.stream().filter(name -> name.endsWith(".m3u8")).map(Session::ofPlaylist)
                .filter(Session::isId).sorted().toList();
        for (String name : names) {
            String of = Session.ofSegmentFile(name); // null for a file not named the way this application names them
            if (of != null && !sessions.contains(of)) {
                try {
                    Files.deleteIfExists(folder.resolve(name));
                    LOG.info("Channel {}: {}, left by an earlier run in a session with no playlist, is deleted",
                            channel, name);
                } catch (IOException e) {
                    LOG.warn("Channel {}: cannot delete {}: {}", channel, name, e.getMessage());
                }
            }
        }
        return sessions.stream().map(session -> new Left(session,
                names.stream().mapToInt(name -> Session.connectionNumber(name, session)).max().orElse(0))).toList();
    }
}
