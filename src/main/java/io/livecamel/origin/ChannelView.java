package io.livecamel.origin;

import java.util.List;

import io.livecamel.restream.DestinationView;

/**
 * A channel as {@code /api/channels} shows it: whether a publisher is live, its session, what the session put on
 * the origin, the publisher's bitrate (bits per second) over its last segments, the playlist URL viewers load, and
 * the recording of the last session that ended (null until one has, since the start), and in cluster mode the node
 * that serves the channel (null when none does, and out of cluster mode), and the session's restream destinations
 * on this node (each by its host and a short hash). Times are ISO-8601 (UTC) or null. Never a key.
 */
public record ChannelView(String name, boolean live, String sessionId, String startedAt, long segments, long bytes,
        long bitrate, String lastSegmentAt, String playlistUrl, String lastRecordingUrl, String node,
        List<DestinationView> restream) {

    /** The same channel, served by {@code node}. */
    public ChannelView on(String node) {
        return new ChannelView(name, live, sessionId, startedAt, segments, bytes, bitrate, lastSegmentAt, playlistUrl,
                lastRecordingUrl, node, restream);
    }

    /** The same channel, with its session's restream destinations. */
    public ChannelView restreaming(List<DestinationView> destinations) {
        return new ChannelView(name, live, sessionId, startedAt, segments, bytes, bitrate, lastSegmentAt, playlistUrl,
                lastRecordingUrl, node, List.copyOf(destinations));
    }
}
