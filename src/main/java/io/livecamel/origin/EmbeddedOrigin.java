package io.livecamel.origin;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.UnaryOperator;

import org.apache.camel.Service;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * The S3-compatible server (s3proxy) that lets the application run with no AWS account: bound to 127.0.0.1,
 * objects stored under a local folder, the bucket readable by anyone (viewers need no credentials) and CORS
 * open to GET and HEAD from any origin, as a public CDN origin would be. Writing needs credentials that are
 * made up at start and only ever given to this application's own S3 client.
 */
public final class EmbeddedOrigin implements Service {

    private final int port;
    private final Path storeDir;
    private final String bucket;
    private final AwsBasicCredentials credentials;
    private final UnaryOperator<BlobStore> storeDecorator;
    private Path keystore;
    private String keystorePassword;
    private S3Proxy server;

    /** The application's own origin, writable only with credentials made up here. */
    public EmbeddedOrigin(int port, Path storeDir, String bucket) {
        this(port, storeDir, bucket, madeUpCredentials(), UnaryOperator.identity());
    }

    /**
     * An origin with given credentials, whose store can be decorated (tests use it as an "external" S3 service and
     * to make chosen uploads fail).
     */
    public EmbeddedOrigin(int port, Path storeDir, String bucket, AwsBasicCredentials credentials,
            UnaryOperator<BlobStore> storeDecorator) {
        this.port = port;
        this.storeDir = storeDir;
        this.bucket = bucket;
        this.credentials = credentials;
        this.storeDecorator = storeDecorator;
    }

    private static AwsBasicCredentials madeUpCredentials() {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        return AwsBasicCredentials.create("embedded-" + Integer.toHexString(random.nextInt()),
                HexFormat.of().formatHex(secret));
    }

    /**
     * Serves HTTPS rather than HTTP, with the key and certificate in {@code keystore} (PKCS12), as S3 itself does (the
     * benchmark uses it: the SDK signs every body it sends over plain HTTP, and only there).
     */
    public EmbeddedOrigin overTls(Path keystore, String password) {
        this.keystore = keystore;
        this.keystorePassword = password;
        return this;
    }

    public URI endpoint() {
        return URI.create((keystore == null ? "http" : "https") + "://127.0.0.1:" + port);
    }

    public AwsBasicCredentials credentials() {
        return credentials;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(storeDir);
            BlobStore store = new PublicReadBlobStore(storeDecorator.apply(
                    new FilesystemNio2BlobStore(storeDir.toAbsolutePath().normalize().toString())), bucket);
            Properties properties = new Properties();
            if (keystore == null) {
                properties.setProperty("s3proxy.endpoint", endpoint().toString());
            } else {
                properties.setProperty("s3proxy.secure-endpoint", endpoint().toString());
                properties.setProperty("s3proxy.keystore-path", keystore.toString());
                properties.setProperty("s3proxy.keystore-password", keystorePassword);
            }
            properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            properties.setProperty("s3proxy.identity", credentials.accessKeyId());
            properties.setProperty("s3proxy.credential", credentials.secretAccessKey());
            properties.setProperty("s3proxy.cors-allow-origins", "*");
            properties.setProperty("s3proxy.cors-allow-methods", "GET HEAD");
            properties.setProperty("s3proxy.cors-allow-headers", "*");
            S3Proxy proxy = S3Proxy.Builder.fromProperties(properties).blobStore(store).build();
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                if ("FAILED".equals(proxy.getState())) {
                    throw new IllegalStateException("the embedded S3 server did not start");
                }
                Thread.onSpinWait();
            }
            if (!store.containerExists(bucket)) {
                store.createContainer(bucket);
            }
            store.setContainerAccess(bucket, BucketCannedACL.PUBLIC_READ);
            server = proxy;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("The embedded S3 server cannot start on " + endpoint() + ": "
                    + e.getMessage() + " (is port " + port + " in use? set streaming.s3.embedded-port)", e);
        }
    }

    /**
     * Anonymous GETs of every object in the bucket, as a bucket policy allowing s3:GetObject to everyone does on
     * AWS (s3proxy's filesystem store otherwise checks a per-object ACL, which AWS buckets no longer use).
     */
    private static final class PublicReadBlobStore extends ForwardingBlobStore {
        private final String bucket;

        PublicReadBlobStore(BlobStore delegate, String bucket) {
            super(delegate);
            this.bucket = bucket;
        }

        @Override
        public ObjectCannedACL getBlobAccess(String container, String key) {
            return bucket.equals(container) ? ObjectCannedACL.PUBLIC_READ : super.getBlobAccess(container, key);
        }
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("The embedded S3 server did not stop cleanly", e);
            } finally {
                server = null;
            }
        }
    }
}
