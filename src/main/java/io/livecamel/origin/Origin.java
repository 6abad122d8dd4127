package io.livecamel.origin;

import java.nio.file.Path;
import java.util.Map;

import io.livecamel.settings.StreamingSettings;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the origin (the S3 bucket) holds of each channel, and the beans the upload routes in
 * {@code routes-yaml/origin.camel.yaml} call, each one job: {@link SegmentUploads} ({@code segments}),
 * {@link LivePlaylists} ({@code playlists}: the RFC 8216 rule), {@link OriginSessions} ({@code sessions}) and
 * {@link Recordings} ({@code recordings}), over one record of what is where ({@link OriginRecords}).
 */
public final class Origin {

    private final OriginRecords records;
    private final SegmentUploads segments;
    private final LivePlaylists playlists;
    private final OriginSessions sessions;
    private final Recordings recordings;
    private final PlaylistFence fence;

    /** {@code mediaDir} is where ffmpeg writes each channel's HLS; {@code s3} lists recordings (may be null). */
    public Origin(StreamingSettings settings, Path mediaDir, OriginMetrics metrics, S3Client s3) {
        records = new OriginRecords(mediaDir, metrics);
        segments = new SegmentUploads(records, settings);
        playlists = new LivePlaylists(records, settings);
        sessions = new OriginSessions(records, settings);
        recordings = new Recordings(records, s3, settings);
        fence = new PlaylistFence(records, s3, settings);
    }

    /** The beans the routes call, by the names they call them. */
    public Map<String, Object> beans() {
        return Map.of("segments", segments, "playlists", playlists, "sessions", sessions, "recordings", recordings,
                "fence", fence);
    }

    public SegmentUploads segments() {
        return segments;
    }

    public LivePlaylists playlists() {
        return playlists;
    }

    public OriginSessions sessions() {
        return sessions;
    }

    public Recordings recordings() {
        return recordings;
    }

    /** The local folder ffmpeg writes a channel's HLS into. */
    public Path channelDir(String channel) {
        return records.folder(channel);
    }

    /** For each channel with any, how many finished segments on local disk are not on the origin yet. */
    public Map<String, Long> uploadBacklog() {
        return records.uploadBacklog();
    }

    /** The names of the session's finished segments on local disk, oldest first. */
    java.util.List<String> finishedSegments(String channel, String session) {
        return records.finishedSegments(channel, session, name -> true);
    }
}
