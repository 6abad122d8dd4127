package io.livecamel.origin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Header;

/**
 * The {@code sessions} bean of the channel and stream-end routes: which connections' publishers were let in, whether
 * one is live, what a session put on the origin, and its local files once it has ended. It also says what viewers
 * and operators see of a channel ({@link ChannelView}).
 */
public final class OriginSessions {

    private final OriginRecords records;
    private final StreamingSettings settings;

    OriginSessions(OriginRecords records, StreamingSettings settings) {
        this.records = records;
        this.settings = settings;
    }

    /**
     * A connection's publisher was let in (its key and codecs checked): only then may its segments reach the origin.
     * Anything a refused publisher might have written never does.
     */
    public void admit(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session, @Header(StreamingHeaders.CONNECTION) int connection) {
        OriginRecords.ChannelRecord channelRecord = records.channel(channel);
        OriginRecords.SessionRecord record = channelRecord.session(session);
        record.admitted.add(Session.connectionId(session, connection));
        if (record.startedAt == null) {
            record.startedAt = Instant.now();
        }
        channelRecord.currentSession = session;
        channelRecord.publisherConnected = true;
    }

    /**
     * A session an earlier run left unfinished ({@link SessionRecovery}): its connections were let in then, the
     * segments in {@code onOrigin} are there already, and {@code published} (if not null) is its playlist there.
     */
    void recovered(String channel, String session, int connections, Set<String> onOrigin, Playlist published)
            throws IOException {
        OriginRecords.ChannelRecord channelRecord = records.channel(channel);
        OriginRecords.SessionRecord record = channelRecord.session(session);
        for (int number = 1; number <= connections; number++) {
            record.admitted.add(Session.connectionId(session, number));
        }
        record.startedAt = Session.startedAt(session);
        for (String name : onOrigin) {
            record.markUploaded(records.folder(channel), name);
        }
        if (published != null) {
            // listed there, so there (RFC 8216), even when another node wrote them
            published.segments().forEach(segment -> record.listedOnOrigin.add(segment.uri()));
            published.segments().forEach(segment -> record.uploaded.add(segment.uri()));
            record.published = published;
            channelRecord.liveSession = session;
            channelRecord.lastPublished = published;
        }
        channelRecord.currentSession = session;
    }

    /**
     * The session leaves this node (cluster mode, SessionHandedOver): a session this node did not know yet (left by
     * an earlier run) gets its connections let in, so that what they finished goes up; when it goes to no node (this
     * node lost the channel) no playlist of it is published any more.
     */
    public void leaving(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session, @Header(StreamingHeaders.CONNECTION) int connections,
            @Header(StreamingHeaders.NODE) String toNode) {
        OriginRecords.SessionRecord record = records.channel(channel).session(session);
        record.noPlaylist = toNode == null; // this node lost the channel: its segments go up, never a playlist
        for (int number = 1; number <= connections; number++) {
            record.admitted.add(Session.connectionId(session, number));
        }
    }

    /** The publisher's connection ended; the session may still go on (reconnect grace). */
    public void publisherLeft(@Header(StreamingHeaders.CHANNEL) String channel) {
        records.channel(channel).publisherConnected = false;
    }

    /** What a session put on the origin: {@code segments}, {@code bytes}, {@code durationSeconds} (as headers). */
    public Map<String, Object> summary(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        OriginRecords.SessionRecord record = records.session(channel, session);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("segments", record.segments);
        summary.put("bytes", record.bytes);
        summary.put("durationSeconds", record.startedAt == null ? 0
                : Duration.between(record.startedAt, Instant.now()).toSeconds());
        return summary;
    }

    /** Deletes every local file of an ended session and forgets it. */
    public void cleanUp(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) throws IOException {
        try (Stream<Path> files = Files.list(records.folder(channel))) {
            for (Path file : files.filter(p -> Session.owns(p.getFileName().toString(), session)).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            // nothing was written
        }
        OriginRecords.ChannelRecord channelRecord = records.channel(channel);
        channelRecord.sessions.remove(session);
        if (session.equals(channelRecord.currentSession)) {
            channelRecord.currentSession = null;
            channelRecord.playlistTag = null; // cluster mode: taken anew for the next session
            channelRecord.publisherConnected = false;
            channelRecord.recent.clear();
        }
    }

    /** The channels seen since the start: an event of theirs came. */
    public java.util.Set<String> seen() {
        return records.seen();
    }

    /**
     * A channel another node serves (cluster mode): its session as the cluster knows it, live; what it put on the
     * origin is that node's to tell.
     */
    public ChannelView servedElsewhere(String channel, String session, String node) {
        OriginRecords.ChannelRecord state = records.channel(channel);
        return new ChannelView(channel, true, session, Session.isId(session) ? Session.startedAt(session).toString()
                : null, 0, 0, 0, null, settings.publicPlaylistUrl(channel), state.lastRecording, node, java.util.List.of());
    }

    /** What viewers and operators see of a channel ({@code /api/channels}). */
    public ChannelView view(String channel) {
        OriginRecords.ChannelRecord state = records.channel(channel);
        String session = state.currentSession;
        OriginRecords.SessionRecord current = session == null ? null : state.sessions.get(session);
        return new ChannelView(channel, state.publisherConnected, session,
                current == null || current.startedAt == null ? null : current.startedAt.toString(),
                current == null ? 0 : current.segments,
                current == null ? 0 : current.bytes,
                state.publisherConnected ? state.bitrate() : 0,
                state.lastSegmentAt == null ? null : state.lastSegmentAt.toString(),
                settings.publicPlaylistUrl(channel), state.lastRecording, null, java.util.List.of());
    }
}
