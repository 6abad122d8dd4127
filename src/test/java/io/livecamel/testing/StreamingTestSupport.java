package io.livecamel.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

import io.livecamel.ingest.IngestEvent;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.origin.EmbeddedOrigin;
import io.livecamel.routes.StreamingConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.Builder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.FileUtil;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterEach;

/**
 * Runs the application as {@code mvn compile camel:run} does (application.properties, the YAML routes from
 * routes-yaml/), on free ports and in a work folder of its own under target/it, with the main channel's key known
 * to the test.
 */
public abstract class StreamingTestSupport extends CamelMainTestSupport {

    protected static final String KEY = "test-key-6f1c2a9d0b3e";

    protected final Path work = Path.of("target", "it", getClass().getSimpleName()).toAbsolutePath();
    protected final int rtmpPort = FreePort.find();
    protected final int s3Port = FreePort.find();
    protected final int httpPort = FreePort.find();
    protected final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedOrigin externalOrigin;

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(StreamingConfiguration.class);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        // not in configureContext(): the test support calls that from its constructor, before these fields are set
        FileUtil.removeDir(work.toFile());
        Properties properties = new Properties();
        properties.setProperty("camel.main.routes-reload-enabled", "false");
        properties.setProperty("streaming.rtmp.port", Integer.toString(rtmpPort));
        properties.setProperty("streaming.s3.embedded-port", Integer.toString(s3Port));
        properties.setProperty("streaming.http.port", Integer.toString(httpPort));
        properties.setProperty("streaming.s3.embedded-dir", work.resolve("data").toString());
        properties.setProperty("streaming.media-dir", work.resolve("media").toString());
        properties.setProperty("streaming.channels.main.key", KEY);
        // a session ends this long after its publisher left; tests of reconnects set more
        properties.setProperty("streaming.reconnect-grace", "0.5");
        settings(properties);
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(properties);
        return super.createCamelContext();
    }

    /** Test-specific settings on top of the defaults above. */
    protected void settings(Properties properties) {
    }

    /**
     * For {@link #settings}: the application uses an external S3-compatible service on {@link #s3Port} rather than
     * the embedded one, with the test credentials from the SDK's default provider chain. Start it with
     * {@link #startExternalOrigin} (then, or later for an outage).
     */
    protected void useExternalOrigin(Properties properties) {
        TestCredentials.install();
        properties.setProperty("streaming.s3.embedded", "false");
        properties.setProperty("streaming.s3.endpoint", "http://127.0.0.1:" + s3Port);
    }

    /**
     * That service: s3proxy with bucket live, its data under work/data, its store decorated; stopped after the test.
     */
    protected void startExternalOrigin(UnaryOperator<BlobStore> decorator) {
        externalOrigin = new EmbeddedOrigin(s3Port, work.resolve("data"), "live", TestCredentials.CREDENTIALS,
                decorator);
        externalOrigin.start();
    }

    @AfterEach
    void stopExternalOrigin() {
        if (externalOrigin != null) {
            externalOrigin.stop();
        }
    }

    /** The viewer URL of a channel's playlist at the origin. */
    protected URI playlist(String channel) {
        return URI.create("http://127.0.0.1:" + s3Port + "/live/videos/" + channel + "/index.m3u8");
    }

    protected Path channelFolder(String channel) {
        return work.resolve("media").resolve(channel);
    }

    /** Matches once a session of the channel has been closed at the origin (the stream-end route is done). */
    protected NotifyBuilder sessionEnded(String channel) {
        return new NotifyBuilder(context).fromRoute("live-" + channel)
                .filter(Builder.header(StreamingHeaders.EVENT).isEqualTo(IngestEvent.SessionEnded.name()))
                .whenCompleted(1).create();
    }

    protected HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<byte[]> getBytes(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    protected static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The objects under a channel's prefix at the embedded origin, read from its store (a folder). */
    protected List<String> objectsAtOrigin(String channel) throws IOException {
        Path stored = work.resolve("data").resolve("live").resolve("videos").resolve(channel);
        return Files.isDirectory(stored) ? filesIn(stored) : List.of();
    }

    protected static List<String> filesIn(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
