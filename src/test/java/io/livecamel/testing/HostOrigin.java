package io.livecamel.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import io.livecamel.origin.EmbeddedOrigin;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The S3 service of an application that runs the publisher some other way (its own Camel application, Karaf):
 * s3proxy on a free port with the bucket {@value #BUCKET}, started before each test in a fresh work folder, and the
 * credentials the application's AWS SDK reads from its environment.
 */
public final class HostOrigin implements BeforeEachCallback, AfterEachCallback {

    public static final String BUCKET = "my-videos";

    private final Path work;
    private final int port = FreePort.find();
    private EmbeddedOrigin s3;

    /** {@code work} is emptied before each test; the S3 data go to its {@code s3} folder. */
    public HostOrigin(Path work) {
        this.work = work;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        FileUtil.removeDir(work.toFile());
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    /** An outage: the port refuses connections until {@link #start}; what the bucket holds stays. */
    public void stop() {
        if (s3 != null) {
            s3.stop();
            s3 = null;
        }
    }

    /** Starts it again on the same port with what the bucket held. */
    public void start() {
        s3 = new EmbeddedOrigin(port, work.resolve("s3"), BUCKET, TestCredentials.CREDENTIALS, store -> store);
        s3.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public URI playlist(String channel) {
        return endpoint().resolve("/" + BUCKET + "/videos/" + channel + "/index.m3u8");
    }

    /**
     * The settings of an application process on this origin, each on free ports: no route reloading, the RTMP and
     * HTTP ports, the external origin and its bucket, and {@code mediaDir}. Tests add their own.
     */
    public Map<String, String> applicationSettings(Path mediaDir) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("camel.main.routes-reload-enabled", "false");
        settings.put("streaming.rtmp.port", Integer.toString(FreePort.find()));
        settings.put("streaming.http.port", Integer.toString(FreePort.find()));
        settings.put("streaming.s3.embedded", "false");
        settings.put("streaming.s3.endpoint", endpoint().toString());
        settings.put("streaming.s3.bucket", BUCKET);
        settings.put("streaming.media-dir", mediaDir.toString());
        return settings;
    }

    /** The credentials as the SDK's default provider chain reads them from the environment. */
    public Map<String, String> awsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", TestCredentials.CREDENTIALS.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", TestCredentials.CREDENTIALS.secretAccessKey());
    }
}
