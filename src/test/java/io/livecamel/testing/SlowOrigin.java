package io.livecamel.testing;

import java.io.InputStream;
import java.time.Duration;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * An s3proxy store that answers the application's requests (uploads, HEAD of an object or of the bucket) only after
 * a delay, which the test changes as it goes. Reads (the viewers') are not delayed.
 */
public final class SlowOrigin extends ForwardingBlobStore {

    private volatile Duration delay;

    public SlowOrigin(BlobStore delegate, Duration delay) {
        super(delegate);
        this.delay = delay;
    }

    public void delay(Duration changed) {
        delay = changed;
    }

    private void waitAWhile() {
        try {
            Thread.sleep(delay.toMillis()); // the slowness under test, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        waitAWhile();
        return super.putBlob(request, content);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        waitAWhile();
        return super.blobMetadata(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        waitAWhile();
        return super.headBucket(request);
    }
}
