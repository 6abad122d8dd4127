package io.livecamel.web;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.livecamel.origin.Origin;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DOWN while the origin bucket does not answer (HeadBucket, 3 s at the most). The message also says how many
 * segments wait on local disk to be uploaded, per channel (a slow origin shows there before it fails).
 */
public final class OriginHealthCheck extends AbstractHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final S3Client s3;
    private final StreamingSettings settings;
    private final Origin origin;

    public OriginHealthCheck(S3Client s3, StreamingSettings settings, Origin origin) {
        super("streaming", "origin");
        this.s3 = s3;
        this.settings = settings;
        this.origin = origin;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("bucket", settings.s3Bucket());
        Map<String, Long> backlog = origin.uploadBacklog();
        String waiting = backlog.isEmpty() ? "" : "; segments waiting to be uploaded: " + backlog.entrySet().stream()
                .map(channel -> channel.getKey() + " " + channel.getValue()).collect(Collectors.joining(", "));
        backlog.forEach((channel, segments) -> builder.detail("backlog." + channel, segments));
        settings.s3Endpoint().ifPresent(endpoint -> builder.detail("endpoint", endpoint.toString()));
        try {
            s3.headBucket(request -> request.bucket(settings.s3Bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT).apiCallAttemptTimeout(TIMEOUT)));
            builder.message("bucket " + settings.s3Bucket() + " answers" + waiting);
            builder.up();
        } catch (RuntimeException e) {
            builder.message("bucket " + settings.s3Bucket() + " does not answer: " + e.getMessage() + waiting);
            builder.down();
        }
    }
}
