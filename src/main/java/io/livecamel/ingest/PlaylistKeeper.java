package io.livecamel.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A copy of a session's playlist taken before a new listener may append to it (a reconnect), put back if that
 * listener's publisher is refused: its segments are deleted and never uploaded, so a playlist that listed them would
 * hold the origin's playlist back for the rest of the session.
 */
final class PlaylistKeeper {

    private static final PlaylistKeeper NOTHING = new PlaylistKeeper(null, null);

    private final Path playlist;
    private final Path copy;

    private PlaylistKeeper(Path playlist, Path copy) {
        this.playlist = playlist;
        this.copy = copy;
    }

    /** Keeps a copy of the playlist, if there is one yet. */
    static PlaylistKeeper keep(Path playlist) throws IOException {
        if (!Files.isRegularFile(playlist)) {
            return NOTHING;
        }
        Path copy = playlist.resolveSibling(playlist.getFileName() + ".keep");
        Files.copy(playlist, copy, StandardCopyOption.REPLACE_EXISTING);
        return new PlaylistKeeper(playlist, copy);
    }

    /** The new listener's publisher was let in: its appends stand. */
    void discard() {
        if (copy != null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The new listener's publisher was refused: the playlist is put back as it was. */
    void restore() {
        if (copy != null) {
            try {
                Files.move(copy, playlist, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
