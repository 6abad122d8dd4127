package io.livecamel.cdn;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.livecamel.settings.InvalidSettingException;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudfront.CloudFrontClientBuilder;

/**
 * Tells CloudFront to drop its cached copies of channels' playlists where one could be wrong (a session has ended,
 * a channel is live again), so viewers get the final playlist, or the new session's, at once. Segments need no
 * invalidation: their names are never reused. The route {@code invalidate-cdn} gathers the requests of an interval
 * into one call.
 */
public final class CdnInvalidation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdnInvalidation.class);
    private static final String CLOUDFRONT_CLIENT = "software.amazon.awssdk.services.cloudfront.CloudFrontClient";

    private final StreamingSettings settings;
    private final Supplier<CloudFrontInvalidations> clients;
    private CloudFrontInvalidations cloudFront;

    /**
     * @throws InvalidSettingException when a distribution is set and the AWS SDK's cloudfront module is missing
     */
    public CdnInvalidation(StreamingSettings settings) {
        this(settings, () -> new CloudFrontInvalidations(settings));
    }

    /** With a last say on the client (tests look at the request the SDK would send). */
    CdnInvalidation(StreamingSettings settings, Consumer<CloudFrontClientBuilder> customizer) {
        this(settings, () -> new CloudFrontInvalidations(settings, customizer));
    }

    // no lambda here may take a CloudFront type: linking it would load that type
    private CdnInvalidation(StreamingSettings settings, Supplier<CloudFrontInvalidations> clients) {
        this.settings = settings;
        this.clients = clients;
        if (settings.cloudFrontDistributionId().isPresent()) {
            try {
                Class.forName(CLOUDFRONT_CLIENT, false, CdnInvalidation.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new InvalidSettingException("streaming.cloudfront.distribution-id is set, but the AWS SDK's "
                        + "cloudfront module (software.amazon.awssdk:cloudfront) is not on the class path");
            }
        }
    }

    /**
     * Invalidates the playlists of the channels named (each once, however often it is named) in one request, with a
     * caller reference of its own; returns the invalidation id.
     */
    public String invalidatePlaylists(@Body Collection<String> channels) {
        String distribution = settings.cloudFrontDistributionId().orElseThrow(
                () -> new IllegalStateException("streaming.cloudfront.distribution-id is not set"));
        List<String> paths = new TreeSet<>(channels).stream().map(channel -> "/" + settings.playlistKey(channel))
                .toList();
        String id = cloudFront().invalidate(distribution, "live-" + UUID.randomUUID(), paths);
        LOG.info("CloudFront invalidation {} of {} requested", id, String.join(", ", paths));
        return id;
    }

    private synchronized CloudFrontInvalidations cloudFront() {
        if (cloudFront == null) {
            cloudFront = clients.get();
        }
        return cloudFront;
    }

    @Override
    public synchronized void close() {
        if (cloudFront != null) {
            cloudFront.close();
        }
    }
}
