package io.livecamel.testing;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** An s3proxy store that refuses the first {@code failures} uploads of objects whose key ends with a suffix. */
public final class FlakyUploads extends ForwardingBlobStore {

    private final String suffix;
    private final AtomicInteger failuresLeft;
    private final List<String> refused = new CopyOnWriteArrayList<>();

    public FlakyUploads(BlobStore delegate, String suffix, int failures) {
        super(delegate);
        this.suffix = suffix;
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        if (request.key().endsWith(suffix) && failuresLeft.getAndDecrement() > 0) {
            refused.add(request.key());
            throw new IllegalStateException("injected failure for " + request.key());
        }
        return super.putBlob(request, content);
    }

    /** The keys of the uploads refused so far, one entry per refusal. */
    public List<String> refused() {
        return refused;
    }
}
