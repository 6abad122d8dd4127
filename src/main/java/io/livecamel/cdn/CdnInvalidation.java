package io.livecamel.cdn;

import java.util.UUID;

import io.livecamel.settings.StreamingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClientBuilder;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;

/**
 * Tells CloudFront to drop its cached copy of a channel's playlist when a stream ends, so viewers get the
 * final playlist (with #EXT-X-ENDLIST) at once. Segments need no invalidation: their names are never reused.
 */
public final class CdnInvalidation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdnInvalidation.class);

    private final StreamingSettings settings;
    private CloudFrontClient client;

    public CdnInvalidation(StreamingSettings settings) {
        this.settings = settings;
    }

    /** Invalidates {@code /<prefix>/<channel>/index.m3u8}; returns the invalidation id. */
    public String invalidatePlaylist(String channel) {
        String distribution = settings.cloudFrontDistributionId().orElseThrow(
                () -> new IllegalStateException("streaming.cloudfront.distribution-id is not set"));
        String path = "/" + settings.playlistKey(channel);
        CreateInvalidationResponse response = client().createInvalidation(request -> request
                .distributionId(distribution)
                .invalidationBatch(batch -> batch
                        .callerReference(channel + "-" + UUID.randomUUID())
                        .paths(paths -> paths.quantity(1).items(path))));
        LOG.info("Channel {}: CloudFront invalidation {} of {} requested", channel,
                response.invalidation().id(), path);
        return response.invalidation().id();
    }

    private synchronized CloudFrontClient client() {
        if (client == null) {
            CloudFrontClientBuilder builder = CloudFrontClient.builder()
                    .region(Region.AWS_GLOBAL)
                    .credentialsProvider(DefaultCredentialsProvider.builder().build());
            settings.cloudFrontEndpoint().ifPresent(builder::endpointOverride);
            client = builder.build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
