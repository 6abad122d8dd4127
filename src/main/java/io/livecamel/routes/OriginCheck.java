package io.livecamel.routes;

import io.livecamel.settings.StreamingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks once at start-up, off the start-up path, that the origin bucket answers. An unreachable origin does
 * not stop the application: it logs one clear error, and the uploads retry until the origin is back.
 */
final class OriginCheck {

    private static final Logger LOG = LoggerFactory.getLogger(OriginCheck.class);

    private final S3Client s3;
    private final StreamingSettings settings;

    OriginCheck(S3Client s3, StreamingSettings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    void startInBackground() {
        Thread thread = new Thread(this::check, "origin-check");
        thread.setDaemon(true);
        thread.start();
    }

    private void check() {
        String where = "bucket " + settings.s3Bucket() + settings.s3Endpoint().map(e -> " at " + e).orElse("");
        try {
            s3.headBucket(request -> request.bucket(settings.s3Bucket()));
            LOG.info("Origin {} is reachable", where);
        } catch (RuntimeException e) {
            LOG.error("Origin {} is not reachable ({}). The application keeps running: segments wait on disk and "
                    + "are uploaded once the origin answers.", where, e.getMessage());
        }
    }
}
