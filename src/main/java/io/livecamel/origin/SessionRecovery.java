package io.livecamel.origin;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.ingest.SessionOrigin;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Takes up a session an earlier run left unfinished (a crash, a kill): the origin's own state wins over anything
 * remembered. A finished segment on local disk that the origin already holds (same name, same size) counts as
 * uploaded and does not go up again; the channel's playlist at the origin, if it is this session's, is the one the
 * next must be newer than, so the playlist never goes back. Every other finished segment then goes up, in order.
 */
public final class SessionRecovery implements SessionOrigin {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRecovery.class);

    private final Origin origin;
    private final S3Client s3;
    private final StreamingSettings settings;

    public SessionRecovery(Origin origin, S3Client s3, StreamingSettings settings) {
        this.origin = origin;
        this.s3 = s3;
        this.settings = settings;
    }

    /** Called on the channel route's thread; an origin that does not answer fails it (the route retries it). */
    public void adopt(@Header(StreamingHeaders.CHANNEL) String channel, @Header(StreamingHeaders.SESSION) String session,
            @Header(StreamingHeaders.CONNECTION) int connections) throws IOException {
        Set<String> onOrigin = new HashSet<>();
        List<String> finished = origin.finishedSegments(channel, session);
        for (String name : finished) {
            if (holds(settings.objectKey(channel, name), Files.size(origin.channelDir(channel).resolve(name)))) {
                onOrigin.add(name);
            }
        }
        Playlist published = publishedPlaylist(channel, session);
        origin.sessions().recovered(channel, session, connections, onOrigin, published);
        LOG.info("Channel {}: session {} is taken up: {} finished segments on disk, {} of them already at the "
                + "origin{}", channel, session, finished.size(), onOrigin.size(),
                published == null ? "" : ", which lists up to " + last(published));
    }

    /**
     * The channel's playlist at the origin and its ETag, and the session's recording so far: the list of segments its
     * earlier nodes wrote, put there as each handed it over ({@code <prefix>/<channel>/<session>.vod}).
     */
    @Override
    public Snapshot read(String channel, String session) {
        ResponseBytes<GetObjectResponse> playlist = get(settings.playlistKey(channel));
        ResponseBytes<GetObjectResponse> journal = session == null ? null
                : get(settings.objectKey(channel, Session.recordingFile(session)));
        return new Snapshot(playlist == null ? null : playlist.asUtf8String(),
                playlist == null ? "" : playlist.response().eTag(), journal == null ? null : journal.asUtf8String());
    }

    private ResponseBytes<GetObjectResponse> get(String key) {
        try {
            return s3.getObjectAsBytes(request -> request.bucket(settings.s3Bucket()).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private boolean holds(String key, long size) {
        try {
            return s3.headObject(request -> request.bucket(settings.s3Bucket()).key(key)).contentLength() == size;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** The channel's playlist at the origin if it is this session's, else {@code null}. */
    private Playlist publishedPlaylist(String channel, String session) {
        String text;
        try {
            text = s3.getObjectAsBytes(request -> request.bucket(settings.s3Bucket())
                    .key(settings.playlistKey(channel))).asUtf8String();
        } catch (NoSuchKeyException e) {
            return null;
        }
        try {
            Playlist playlist = Playlist.parse(text);
            return playlist.segments().stream().anyMatch(segment -> Session.isSegmentOf(segment.uri(), session))
                    ? playlist : null;
        } catch (IllegalArgumentException e) {
            LOG.warn("Channel {}: the playlist at the origin is not one this application wrote ({})", channel,
                    e.getMessage());
            return null;
        }
    }

    private static String last(Playlist playlist) {
        return playlist.segments().get(playlist.segments().size() - 1).uri();
    }
}
