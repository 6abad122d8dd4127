package io.livecamel.routes;

import java.util.concurrent.ExecutorService;

import io.livecamel.settings.StreamingSettings;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks once at start-up, off the start-up path, that the origin bucket answers and takes uploads: it writes one
 * small object, {@code <prefix>/.write-check} (overwritten at each start). A policy that refuses uploads is then
 * seen when the application starts, not when the first stream does, and the first segment's upload does not pay
 * for loading the upload path. An unreachable origin does not stop the application: it logs one clear error, and
 * the uploads retry until the origin is back.
 */
final class OriginCheck {

    private static final Logger LOG = LoggerFactory.getLogger(OriginCheck.class);

    static final String WRITE_CHECK = ".write-check";

    private final S3Client s3;
    private final StreamingSettings settings;

    OriginCheck(S3Client s3, StreamingSettings settings) {
        this.s3 = s3;
        this.settings = settings;
    }

    /** Runs the check once on a thread of Camel's, which ends with it. */
    void startInBackground(CamelContext context) {
        ExecutorService thread = context.getExecutorServiceManager().newSingleThreadExecutor(this, "origin-check");
        thread.execute(this::check);
        thread.shutdown();
    }

    private void check() {
        String where = "bucket " + settings.s3Bucket() + settings.s3Endpoint().map(e -> " at " + e).orElse("");
        try {
            s3.headBucket(request -> request.bucket(settings.s3Bucket()));
        } catch (RuntimeException e) {
            LOG.error("Origin {} is not reachable ({}). The application keeps running: segments wait on disk and "
                    + "are uploaded once the origin answers.", where, e.getMessage());
            return;
        }
        String key = settings.s3Prefix().isEmpty() ? WRITE_CHECK : settings.s3Prefix() + "/" + WRITE_CHECK;
        try {
            s3.putObject(request -> request.bucket(settings.s3Bucket()).key(key).contentType("text/plain")
                    .cacheControl("no-store"), RequestBody.fromString("Written by the live-streaming publisher when "
                            + "it starts, to check that it may upload here.\n"));
            LOG.info("Origin {} is reachable and takes uploads", where);
        } catch (RuntimeException e) {
            LOG.error("Origin {} is reachable but refused the upload of {} ({}). The application keeps running: "
                    + "segments wait on disk and are uploaded once the origin takes them.", where, key, e.getMessage());
        }
    }
}
