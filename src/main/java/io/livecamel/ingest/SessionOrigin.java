package io.livecamel.ingest;

import java.io.IOException;

import io.livecamel.hls.Session;

/**
 * What the origin holds of a channel, read in cluster mode when this node takes the channel: the channel's playlist
 * (the truth of what viewers were told, so a session taken from another node goes on after it) and its ETag (this
 * node's playlist writes are fenced with it), and the list of segments a session's earlier nodes wrote (its
 * recording so far).
 */
public interface SessionOrigin {

    /** Reads the channel's playlist, and the recording so far of {@code session} if not null. */
    Snapshot read(String channel, String session) throws IOException;

    /**
     * The channel at the origin: its playlist's text and ETag ({@code null} and {@code ""} when there is none), and
     * the session's recording so far ({@code null}: none).
     */
    record Snapshot(String playlist, String tag, String journal) {

        /** True when the playlist at the origin is the session's, and the session has not ended there. */
        public boolean goesOn(String session) {
            return playlist != null && !playlist.contains("#EXT-X-ENDLIST")
                    && playlist.lines().anyMatch(line -> Session.isSegmentOf(line.trim(), session));
        }
    }
}
