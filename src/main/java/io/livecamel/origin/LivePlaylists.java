package io.livecamel.origin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code playlists} bean of the upload routes, and the rules that keep the channel's live playlist correct for
 * viewers: a playlist is published only once every segment it lists is on the origin (RFC 8216 §6.2.1), a published
 * playlist is never replaced by an older one (nor by an older session's), and a local segment is deleted only once
 * it is uploaded and has left the live window.
 */
public final class LivePlaylists {

    private static final Logger LOG = LoggerFactory.getLogger(LivePlaylists.class);
    private static final int BITRATE_WINDOW = 10;

    private final OriginRecords records;
    private final StreamingSettings settings;

    LivePlaylists(OriginRecords records, StreamingSettings settings) {
        this.records = records;
        this.settings = settings;
    }

    /**
     * The playlist the origin should get now: the session's local playlist cut before its first segment that is not
     * uploaded yet, or {@code null} when that is nothing new. With {@code last} (the session has ended) the playlist
     * gets {@code #EXT-X-ENDLIST} even if ffmpeg could not write it (a crash).
     */
    public Playlist next(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session, @Header(OriginHeaders.FINAL) Boolean last)
            throws IOException {
        OriginRecords.ChannelRecord state = records.channel(channel);
        OriginRecords.SessionRecord current = state.sessions.get(session);
        if (current == null || current.admitted.isEmpty() || current.noPlaylist) {
            return null; // not a session of a publisher that was let in (a refused one, or a stray file), or lost
        }
        Path file = records.folder(channel).resolve(Session.playlistFile(session));
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return null; // the session ended and was cleaned up, or has not written a playlist yet
        }
        Playlist local;
        try {
            local = Playlist.parse(text);
        } catch (IllegalArgumentException e) {
            // ffmpeg replaces its playlist atomically, so this is not its: retrying would not help
            LOG.warn("Channel {}: {} is not a playlist ffmpeg wrote ({}); it is not published", channel,
                    file.getFileName(), e.getMessage());
            return null;
        }
        current.listed = new HashSet<>(local.segments().stream().map(Playlist.Segment::uri).toList());
        Playlist candidate = local.upTo(current.uploaded::contains);
        if (Boolean.TRUE.equals(last)) {
            if (candidate.segments().size() < local.segments().size()) {
                LOG.error("Channel {}: session {} ended but segment {} never reached the origin; "
                        + "the final playlist stops before it", channel, session,
                        local.segments().get(candidate.segments().size()).uri());
            }
            candidate = candidate.withEndList();
        } else {
            candidate = candidate.withoutEndList();
        }
        if (candidate.segments().isEmpty() || !candidate.isNewerThan(current.published)
                || state.liveSession != null && session.compareTo(state.liveSession) < 0) {
            return null;
        }
        return candidate;
    }

    /** The object key of a channel's playlist: the same for every session, e.g. {@code videos/main/index.m3u8}. */
    public String key(@Header(StreamingHeaders.CHANNEL) String channel) {
        return settings.playlistKey(channel);
    }

    /** The playlist's Cache-Control ({@link Playlist#cacheControl()}). */
    public String cacheControl(@Body Playlist playlist) {
        return playlist.cacheControl();
    }

    /**
     * Records a playlist as published and deletes the local segments that are uploaded and out of the window.
     * Returns true for a session's first playlist: the channel is live again, and a CDN may hold the last one of the
     * session before.
     */
    public boolean published(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session, @ExchangeProperty("playlist") Playlist playlist)
            throws IOException {
        OriginRecords.ChannelRecord state = records.channel(channel);
        OriginRecords.SessionRecord current = state.session(session);
        boolean first = current.published == null;
        Instant now = Instant.now();
        for (Playlist.Segment segment : playlist.segments()) {
            if (current.listedOnOrigin.add(segment.uri())) {
                firstListed(channel, state, current, segment, now);
            }
        }
        current.published = playlist;
        state.liveSession = session;
        state.lastPublished = playlist;
        // a segment older than the window (numbers go on across the session's connections) is done with: its local
        // file goes, and the session forgets it, so that a stream of many hours keeps only its window in memory
        long windowStart = current.listed.stream().mapToLong(Session::sequenceOf).min().orElse(Long.MIN_VALUE);
        for (Iterator<String> names = current.uploaded.iterator(); names.hasNext(); ) {
            String name = names.next();
            if (Session.sequenceOf(name) < windowStart) {
                Files.deleteIfExists(records.folder(channel).resolve(name));
                names.remove();
                current.listedOnOrigin.remove(name);
                current.sizes.remove(name);
            }
        }
        return first;
    }

    private void firstListed(String channel, OriginRecords.ChannelRecord state, OriginRecords.SessionRecord current,
            Playlist.Segment segment, Instant now) throws IOException {
        Path file = records.folder(channel).resolve(segment.uri());
        if (Files.exists(file)) {
            records.metrics().segmentListed(channel,
                    Duration.between(Files.getLastModifiedTime(file).toInstant(), now));
        }
        Long size = current.sizes.get(segment.uri());
        if (size != null) {
            state.recent.addLast(new long[] {size, Math.round(segment.duration() * 1000)});
            while (state.recent.size() > BITRATE_WINDOW) {
                state.recent.removeFirst();
            }
        }
        state.lastSegmentAt = now;
    }

    /** The playlist last published for a channel, or {@code null}. */
    public Playlist lastPublished(String channel) {
        OriginRecords.ChannelRecord state = records.existing(channel);
        return state == null ? null : state.lastPublished;
    }
}
