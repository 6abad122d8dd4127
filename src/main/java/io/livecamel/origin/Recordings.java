package io.livecamel.origin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.ingest.Channel;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Header;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The {@code recordings} bean: the recording of a session that has ended (a video on demand, made by the
 * record-session route), and a channel's recordings as the origin holds them (so they are there across restarts, and gone once a lifecycle
 * rule has expired them): one folder per session under the channel's prefix, {@code <session>/index.m3u8}. The
 * newest {@value #MOST} first; the listing reads at most {@value #MOST_PAGES} pages of 1,000 sessions and takes 5 s
 * at the most.
 */
public final class Recordings {

    static final int MOST = 50;
    static final int MOST_PAGES = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One recording: its session, when that started (ISO-8601, UTC), and the URL of its playlist for viewers. */
    public record Recording(String session, String startedAt, String url) {
    }

    private final OriginRecords records;
    private final S3Client s3;
    private final StreamingSettings settings;

    Recordings(OriginRecords records, S3Client s3, StreamingSettings settings) {
        this.records = records;
        this.s3 = s3;
        this.settings = settings;
    }

    /**
     * The whole session as a video on demand, once it has ended: every segment ffmpeg listed in it (written down on
     * the ingest side as it listed them, also those that left the live window while the origin was down) up to the
     * last one its final playlist lists at the origin; {@code null} when it is not recorded ({@link #wanted}) or it
     * published none. It lives one folder below the segments.
     */
    public Playlist playlist(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session, @Header(StreamingHeaders.RECORD) Boolean record) {
        OriginRecords.ChannelRecord channelRecord = records.existing(channel);
        OriginRecords.SessionRecord sessionRecord = channelRecord == null ? null : channelRecord.sessions.get(session);
        if (!wanted(record) || sessionRecord == null || sessionRecord.published == null) {
            return null;
        }
        List<Playlist.Segment> published = sessionRecord.published.segments();
        long last = Session.sequenceOf(published.get(published.size() - 1).uri());
        List<Playlist.Segment> segments = recordedSegments(channel, session).stream()
                .filter(segment -> Session.sequenceOf(segment.uri()) <= last).toList();
        return segments.isEmpty() ? null : Playlist.recording(segments, "../");
    }

    private List<Playlist.Segment> recordedSegments(String channel, String session) {
        try {
            return Playlist.parse("#EXTM3U\n" + Files.readString(
                    records.folder(channel).resolve(Session.recordingFile(session)))).segments();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The session's recording so far as this node has it (the segments it and the session's earlier nodes listed),
     * for the node that goes on with it (cluster mode: a hand-over); {@code null} when there is none.
     */
    public String sofar(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        List<Playlist.Segment> segments = recordedSegments(channel, session);
        if (segments.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        segments.forEach(segment -> {
            segment.tags().forEach(tag -> text.append(tag).append('\n'));
            text.append(segment.uri()).append('\n');
        });
        return text.toString();
    }

    /**
     * Cluster mode: whether the session's recording so far is due at the origin again, so that a node that takes the
     * session up after this one died has it whole: once the live window has moved by half its length since it last
     * went up, so the segments listed since are always still in the window the next node reads.
     */
    public boolean sofarDue(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        OriginRecords.SessionRecord record = records.session(channel, session);
        if (settings.cluster().isEmpty() || record.published == null || record.published.segments().isEmpty()) {
            return false;
        }
        List<Playlist.Segment> window = record.published.segments();
        long last = Session.sequenceOf(window.get(window.size() - 1).uri());
        if (last - record.sofarUpTo < Math.max(1, window.size() / 2)) {
            return false;
        }
        record.sofarUpTo = last;
        return true;
    }

    /** Where a session's recording so far waits for the node that goes on with it. */
    public String sofarKey(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        return settings.objectKey(channel, Session.recordingFile(session));
    }

    /**
     * What this node wrote of a session it may no longer write (it lost the channel, or found it taken when it
     * started again): every segment it listed, as a playlist beside the session's recording,
     * {@code <session>/left-<node>.m3u8}; {@code null} when it listed none.
     */
    public Playlist leftOver(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        List<Playlist.Segment> segments = recordedSegments(channel, session);
        return segments.isEmpty() ? null : Playlist.recording(segments, "../");
    }

    public String leftOverKey(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        String recording = settings.recordingKey(channel, session);
        return recording.substring(0, recording.lastIndexOf('/') + 1) + "left-"
                + settings.cluster().map(cluster -> cluster.nodeId()).orElse("node") + ".m3u8";
    }

    /** The object key of a session's recording, e.g. {@code videos/main/20261123-200512123-k3f9/index.m3u8}. */
    public String key(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        return settings.recordingKey(channel, session);
    }

    /** The session's recording is at the origin: its URL, as the session event and the API give it. */
    public String published(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        String url = settings.publicUrl(settings.recordingKey(channel, session));
        records.channel(channel).lastRecording = url;
        return url;
    }

    /**
     * Whether the session is kept as a recording: as its admission said ({@code StreamingRecord}), else as
     * {@code streaming.recording} says.
     */
    public boolean wanted(@Header(StreamingHeaders.RECORD) Boolean record) {
        return record == null ? settings.recording() : record;
    }

    /**
     * Whether the channel exists for viewers: configured, seen since the start, or with objects at the origin (a
     * channel made on demand before a restart).
     */
    public boolean exists(String channel) {
        if (!Channel.isValidName(channel)) {
            return false;
        } else if (settings.channel(channel).isPresent() || records.existing(channel) != null) {
            return true;
        }
        return s3.listObjectsV2(request -> request.bucket(settings.s3Bucket()).prefix(settings.objectKey(channel, ""))
                .maxKeys(1).overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT))).keyCount() > 0;
    }

    /** The channel's recordings, newest first, or null for a channel that does not exist ({@link #exists}: 404). */
    public List<Recording> of(@Header("channel") String channel) {
        if (!exists(channel)) {
            return null;
        }
        String folder = settings.objectKey(channel, "");
        List<String> sessions = new ArrayList<>();
        String token = null;
        for (int page = 0; page < MOST_PAGES; page++) {
            String continuation = token;
            ListObjectsV2Response listed = s3.listObjectsV2(request -> request.bucket(settings.s3Bucket())
                    .prefix(folder).delimiter("/").continuationToken(continuation)
                    .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT)));
            for (CommonPrefix prefix : listed.commonPrefixes()) {
                String session = prefix.prefix().substring(folder.length()).replaceAll("/$", "");
                if (Session.isId(session)) {
                    sessions.add(session);
                }
            }
            token = listed.nextContinuationToken();
            if (!Boolean.TRUE.equals(listed.isTruncated())) {
                break;
            }
        }
        return sessions.stream().sorted(Comparator.reverseOrder()).limit(MOST)
                .map(session -> new Recording(session, Session.startedAt(session).toString(),
                        settings.publicUrl(settings.recordingKey(channel, session))))
                .toList();
    }
}
