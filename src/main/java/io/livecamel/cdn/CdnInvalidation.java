package io.livecamel.cdn;

import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.livecamel.settings.InvalidSettingException;
import io.livecamel.settings.StreamingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudfront.CloudFrontClientBuilder;

/**
 * Tells CloudFront to drop its cached copy of a channel's playlist when a stream ends, so viewers get the
 * final playlist (with #EXT-X-ENDLIST) at once. Segments need no invalidation: their names are never reused.
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

    /** Invalidates {@code /<prefix>/<channel>/index.m3u8}; returns the invalidation id. */
    public String invalidatePlaylist(String channel) {
        String distribution = settings.cloudFrontDistributionId().orElseThrow(
                () -> new IllegalStateException("streaming.cloudfront.distribution-id is not set"));
        String path = "/" + settings.playlistKey(channel);
        String id = cloudFront().invalidate(distribution, channel + "-" + UUID.randomUUID(), path);
        LOG.info("Channel {}: CloudFront invalidation {} of {} requested", channel, id, path);
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
