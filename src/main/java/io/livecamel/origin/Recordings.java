package io.livecamel.origin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.livecamel.hls.Session;
import io.livecamel.settings.StreamingSettings;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * A channel's recordings, as the origin holds them (so they are there across restarts, and gone once a lifecycle
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

    private final S3Client s3;
    private final StreamingSettings settings;

    public Recordings(S3Client s3, StreamingSettings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    /** The channel's recordings, newest first, or null for a channel that is not configured (404). */
    public List<Recording> of(String channel) {
        if (settings.channel(channel).isEmpty()) {
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
