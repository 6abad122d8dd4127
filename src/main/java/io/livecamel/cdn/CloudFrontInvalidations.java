package io.livecamel.cdn;

import java.util.List;
import java.util.function.Consumer;

import io.livecamel.settings.StreamingSettings;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClientBuilder;

/**
 * The CloudFront client: the one class that needs the AWS SDK's cloudfront module, loaded only once an invalidation is
 * asked for (Karaf's features do not carry that module).
 */
final class CloudFrontInvalidations implements AutoCloseable {

    private final CloudFrontClient client;

    CloudFrontInvalidations(StreamingSettings settings) {
        this(settings, builder -> { });
    }

    CloudFrontInvalidations(StreamingSettings settings, Consumer<CloudFrontClientBuilder> customizer) {
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

    /** Asks for the invalidation of some paths; returns its id. */
    String invalidate(String distribution, String callerReference, List<String> paths) {
        return client.createInvalidation(request -> request
                .distributionId(distribution)
                .invalidationBatch(batch -> batch
                        .callerReference(callerReference)
                        .paths(items -> items.quantity(paths.size()).items(paths))))
                .invalidation().id();
    }

    @Override
    public void close() {
        client.close();
    }
}
