package io.livecamel.cdn;

import java.util.UUID;
import java.util.function.Consumer;

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
    private final Consumer<CloudFrontClientBuilder> customizer;
    private CloudFrontClient client;

    public CdnInvalidation(StreamingSettings settings) {
        this(settings, builder -> { });
    }

    /** With a last say on the client (tests look at the request the SDK would send). */
    CdnInvalidation(StreamingSettings settings, Consumer<CloudFrontClientBuilder> customizer) {
        this.settings = settings;
        this.customizer = customizer;
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
            // CloudFront is global: the SDK sends to cloudfront.amazonaws.com and signs for us-east-1. An overridden
            // endpoint (a test double) is signed the same way, so it sees what CloudFront would.
            CloudFrontClientBuilder builder = CloudFrontClient.builder()
                    .credentialsProvider(DefaultCredentialsProvider.builder().build());
            settings.cloudFrontEndpoint().ifPresentOrElse(
                    endpoint -> builder.endpointOverride(endpoint).region(Region.US_EAST_1),
                    () -> builder.region(Region.AWS_GLOBAL));
            customizer.accept(builder);
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
