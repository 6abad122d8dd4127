package io.livecamel.origin;

import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Body;
import org.apache.camel.Header;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The {@code fence} bean, in cluster mode: a node writes a channel's playlist only if it is still the one the node
 * last wrote, or found when it took the channel. Each write is conditional ({@code If-Match} on that ETag, or
 * {@code If-None-Match: *} when there was none), so a node that lost the channel without knowing it (a long pause,
 * its ZooKeeper session expired meanwhile) has its next write refused once another node has written the playlist
 * ({@link ChannelMovedException}). S3 checks the condition and writes as one step; a store that checks and then
 * writes (s3proxy's filesystem store) leaves a window between the two.
 */
public final class PlaylistFence {

    private final OriginRecords records;
    private final S3Client s3;
    private final StreamingSettings settings;

    PlaylistFence(OriginRecords records, S3Client s3, StreamingSettings settings) {
        this.records = records;
        this.s3 = s3;
        this.settings = settings;
    }

    /** This node took the channel and found its playlist at the origin with this ETag ({@code ""}: none). */
    public void taken(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.PLAYLIST_TAG) String tag) {
        if (tag != null) {
            records.channel(channel).playlistTag = tag;
        }
    }

    /** Writes the channel's playlist if it is still the one this node last saw there. */
    public void put(@Header(StreamingHeaders.CHANNEL) String channel, @Header("CamelAwsS3Key") String key,
            @Header("CamelAwsS3ContentControl") String cacheControl, @Body String playlist)
            throws ChannelMovedException {
        OriginRecords.ChannelRecord record = records.channel(channel);
        String tag = record.playlistTag;
        if (tag == null) {
            throw new ChannelMovedException(channel, "this node did not take the channel in the cluster");
        }
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(settings.s3Bucket()).key(key)
                .contentType("application/vnd.apple.mpegurl").cacheControl(cacheControl);
        if (tag.isEmpty()) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(tag);
        }
        try {
            record.playlistTag = s3.putObject(request.build(), RequestBody.fromString(playlist)).eTag();
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                record.playlistTag = null;
                throw new ChannelMovedException(channel, "another node has written its playlist since this node "
                        + "took it");
            }
            throw e;
        }
    }
}
