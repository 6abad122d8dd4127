package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.CompleteSession;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.HostOrigin;
import io.livecamel.testing.Listeners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Other Camel applications add live publishing the three ways the README shows, each in a JVM of its own on the
 * packaged jar, against an S3 service of theirs (s3proxy run by the test): properties only (Camel's own Main), a YAML
 * route of their own ({@code templatedRoute}), and Java ({@link io.livecamel.embedding.JavaDslHost}). A real publisher
 * goes live on each, and the stream is complete at the origin.
 */
class EmbeddingIT {

    private static final String KEY = "lobby-key-6f1c2a9d0b3e";

    private final Path work = Path.of("target", "it", "EmbeddingIT").toAbsolutePath();
    private final int rtmpPort = FreePort.find();

    @RegisterExtension
    final HostOrigin origin = new HostOrigin(work);

    @Test
    void withPropertiesOnly() throws Exception {
        Path host = host("properties", """
                camel.main.configuration-classes = io.livecamel.routes.StreamingConfiguration
                camel.main.routes-include-pattern = classpath:live-streaming/origin.camel.yaml,\\
                  classpath:live-streaming/sessions.camel.yaml,classpath:live-streaming/channel.camel.yaml
                streaming.channels.lobby.key = %s
                """.formatted(KEY), null);
        goLive(ApplicationProcess.startHost("org.apache.camel.main.Main", List.of(), List.of(host),
                origin.awsEnvironment(), work.resolve("logs")));
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
                origin.awsEnvironment(), work.resolve("logs")));
    }

    @Test
    void withJava() throws Exception {
        Path host = host("java", """
                lobby.publish-key = %s
                """.formatted(KEY), null);
        goLive(ApplicationProcess.startHost("io.livecamel.embedding.JavaDslHost", List.of(), List.of(host), origin.awsEnvironment(),
                work.resolve("logs")));
    }

    /** A host's class-path folder: its application.properties (S3, ports and folders for this test, then its own). */
    private Path host(String name, String properties, String routes) throws IOException {
        Path folder = work.resolve(name);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("application.properties"), """
                camel.main.name = my-application
                streaming.s3.embedded = false
                streaming.s3.endpoint = %s
                streaming.s3.bucket = %s
                streaming.rtmp.port = %d
                streaming.media-dir = %s
                streaming.reconnect-grace = 0.5
                """.formatted(origin.endpoint(), HostOrigin.BUCKET, rtmpPort, work.resolve(name + "-media")) + properties);
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
            CompleteSession.publish(rtmpPort, KEY, origin.playlist("lobby"), work.resolve("logs"));
            assertFalse(application.output().contains(KEY), "the key is in the host's log:\n" + application.output());
            int exit = application.stop(Duration.ofSeconds(40));
            assertTrue(exit == 0 || exit == 143, "exit " + exit + ":\n" + application.output());
        }
    }
}
