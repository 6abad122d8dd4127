package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livecamel.origin.EmbeddedOrigin;
import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.TestCredentials;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * Other Camel applications add live publishing the three ways the README shows, each in a JVM of its own on the
 * packaged jar, against an S3 service of theirs (s3proxy run by the test): properties only (Camel's own Main), a YAML
 * route of their own ({@code templatedRoute}), and Java ({@link io.livecamel.embedding.JavaDslHost}). A real publisher
 * goes live on each, and the stream is complete at the origin.
 */
class EmbeddingIT {

    private static final AwsBasicCredentials CREDENTIALS = TestCredentials.CREDENTIALS;
    private static final String KEY = "lobby-key-6f1c2a9d0b3e";
    /** The host's AWS credentials, as the SDK's default provider chain reads them. */
    private static final Map<String, String> AWS = Map.of("AWS_ACCESS_KEY_ID", CREDENTIALS.accessKeyId(),
            "AWS_SECRET_ACCESS_KEY", CREDENTIALS.secretAccessKey());

    private final Path work = Path.of("target", "it", "EmbeddingIT").toAbsolutePath();
    private final int s3Port = FreePort.find();
    private final int rtmpPort = FreePort.find();
    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedOrigin s3;

    @BeforeEach
    void startS3() {
        FileUtil.removeDir(work.toFile());
        s3 = new EmbeddedOrigin(s3Port, work.resolve("s3"), "my-videos", CREDENTIALS, store -> store);
        s3.start();
    }

    @AfterEach
    void stopS3() {
        s3.stop();
    }

    @Test
    void withPropertiesOnly() throws Exception {
        Path host = host("properties", """
                camel.main.configuration-classes = io.livecamel.routes.StreamingConfiguration
                camel.main.routes-include-pattern = classpath:live-streaming/origin.camel.yaml,\\
                  classpath:live-streaming/sessions.camel.yaml,classpath:live-streaming/channel.camel.yaml
                streaming.channels.lobby.key = %s
                """.formatted(KEY), null);
        goLive(ApplicationProcess.startHost("org.apache.camel.main.Main", List.of(), List.of(host),
                AWS, work.resolve("logs")));
    }

    @Test
    void withAYamlRouteOfItsOwn() throws Exception {
        Path host = host("yaml", """
                camel.main.configuration-classes = io.livecamel.routes.StreamingConfiguration
                camel.main.routes-include-pattern = classpath:live-streaming/origin.camel.yaml,\\
                  classpath:live-streaming/sessions.camel.yaml,classpath:live-streaming/channel.camel.yaml,\\
                  classpath:my-channels.camel.yaml
                lobby.publish-key = %s
                """.formatted(KEY), """
                - templatedRoute:
                    routeTemplateRef: live-channel
                    routeId: live-lobby
                    parameters:
                      - name: channel
                        value: lobby
                      - name: key
                        value: "{{lobby.publish-key}}"
                """);
        goLive(ApplicationProcess.startHost("org.apache.camel.main.Main", List.of(), List.of(host),
                AWS, work.resolve("logs")));
    }

    @Test
    void withJava() throws Exception {
        Path host = host("java", """
                lobby.publish-key = %s
                """.formatted(KEY), null);
        goLive(ApplicationProcess.startHost("io.livecamel.embedding.JavaDslHost", List.of(), List.of(host), AWS,
                work.resolve("logs")));
    }

    /** A host's class-path folder: its application.properties (S3, ports and folders for this test, then its own). */
    private Path host(String name, String properties, String routes) throws IOException {
        Path folder = work.resolve(name);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("application.properties"), """
                camel.main.name = my-application
                streaming.s3.embedded = false
                streaming.s3.endpoint = http://127.0.0.1:%d
                streaming.s3.bucket = my-videos
                streaming.rtmp.port = %d
                streaming.media-dir = %s
                streaming.reconnect-grace = 0.5
                """.formatted(s3Port, rtmpPort, work.resolve(name + "-media")) + properties);
        Files.writeString(folder.resolve("log4j2.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.stdout.ref = STDOUT
                appender.stdout.type = Console
                appender.stdout.name = STDOUT
                appender.stdout.layout.type = PatternLayout
                appender.stdout.layout.pattern = %d{HH:mm:ss.SSS} %-5level %-24.24c{1} %msg%n
                """);
        if (routes != null) {
            Files.writeString(folder.resolve("my-channels.camel.yaml"), routes);
        }
        return folder;
    }

    private void goLive(ApplicationProcess application) throws Exception {
        try (application) {
            // the RTMP port opens once a channel can take publishers
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(60));
            URI playlist = URI.create("http://127.0.0.1:" + s3Port + "/my-videos/videos/lobby/index.m3u8");
            try (OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(100))) {
                try (Publisher publisher = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                    assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
                }
                Eventually.await("the session closed at the origin", Duration.ofSeconds(30),
                        () -> body(playlist).endsWith("#EXT-X-ENDLIST\n"));
                assertEquals(List.of(), poller.violations());
            }
            List<String> segments = OriginPoller.segments(body(playlist));
            assertTrue(segments.size() >= 3, "about 4 one-second segments expected: " + segments);
            for (String segment : segments) {
                assertEquals(200, http.send(HttpRequest.newBuilder(playlist.resolve(segment)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), segment);
            }
            assertFalse(application.output().contains(KEY), "the key is in the host's log:\n" + application.output());
            int exit = application.stop(Duration.ofSeconds(40));
            assertTrue(exit == 0 || exit == 143, "exit " + exit + ":\n" + application.output());
        }
    }

    private String body(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
