package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livecamel.karaf.StreamingBundle;
import io.livecamel.testing.CompleteSession;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.HostOrigin;
import io.livecamel.testing.Karaf;
import io.livecamel.testing.Listeners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bundle in a real Karaf (4.4, from Maven) on camel-karaf's Camel (4.10): the features descriptor the build makes
 * is installed at boot, a channel is configured in {@code etc/io.livecamel.streaming.cfg}, a real publisher goes live
 * and the stream is complete at an S3 service (s3proxy run by the test).
 * <p>
 * The Maven repository reachable here lacks camel-karaf's component bundles ({@code org.apache.camel.karaf:camel-*},
 * but for camel-core-osgi), while it has the plain Camel jars of the same version. So the test installs the official
 * Camel features from a copy whose bundles are those plain jars wrapped ({@code wrap:mvn:org.apache.camel/...}): the
 * same feature names, the same versions. The descriptor the project ships depends on the official features.
 */
class KarafIT {

    private static final String KEY = "lobby-key-2c8e41f7a90d";
    /** Plain Camel jars the Maven repository here serves at 4.10.5, not at camel-karaf's 4.10.7. */
    private static final Set<String> AT_4_10_5 = Set.of("camel-console", "camel-file-watch", "camel-cloudevents",
            "camel-platform-http-vertx", "camel-platform-http-main", "camel-micrometer-prometheus");
    /** camel-karaf bundles with no plain jar: features that need them are not used here. */
    private static final Set<String> NO_PLAIN_JAR = Set.of("camel-directvm", "camel-vm");
    /** What a camel-karaf bundle holds besides its own jar: the plain jars it merged. */
    private static final Map<String, List<String>> MERGED = Map.of(
            "camel-yaml-dsl", List.of("camel-dsl-support", "camel-yaml-dsl-common", "camel-yaml-dsl-deserializers"));
    private static final Pattern KARAF_BUNDLE = Pattern.compile(
            "<bundle[^>]*>mvn:org\\.apache\\.camel\\.karaf/(camel-[a-z0-9-]+)/([0-9.]+)</bundle>");

    private final Path work = Path.of("target", "it", "KarafIT").toAbsolutePath();
    private final int rtmpPort = FreePort.find();

    @RegisterExtension
    final HostOrigin origin = new HostOrigin(work);

    @Test
    void publishesFromKaraf() throws Exception {
        Path camelFeatures = work.resolve("camel-features-wrapped.xml");
        Files.writeString(camelFeatures, wrapped(Files.readString(
                Path.of(System.getProperty("camel.karaf.features", "target/no-camel-karaf-features")))));
        Path features = work.resolve("live-streaming-features.xml");
        Files.writeString(features, Files.readString(Path.of("target", "karaf", "features.xml"))
                .replaceFirst("<repository>[^<]*</repository>", "<repository>" + camelFeatures.toUri() + "</repository>")
                .replaceFirst("<bundle>mvn:io\\.livecamel/[^<]*</bundle>", "<bundle>"
                        + Path.of(System.getProperty("livestreaming.jar", "target/no-jar-set.jar")).toAbsolutePath()
                                .toUri() + "</bundle>"));

        try (Karaf karaf = Karaf.unpack(work.resolve("karaf"))) {
            karaf.boot(List.of(features.toUri().toString()), List.of("live-streaming"));
            // first as a newcomer would: a channel, but S3 left at its default, the embedded server
            String channel = """
                    streaming.rtmp.port = %d
                    streaming.media-dir = %s
                    streaming.reconnect-grace = 0.5
                    streaming.channels.lobby.key = %s
                    """.formatted(rtmpPort, work.resolve("media"), KEY);
            karaf.configure(StreamingBundle.PID, channel);
            karaf.start(origin.awsEnvironment());
            // a first run downloads the features' bundles from Maven Central
            Eventually.await("the error about the embedded S3 server", Duration.ofMinutes(6), () -> {
                if (!karaf.isAlive()) {
                    throw new AssertionError("Karaf exited:\n" + karaf.log());
                }
                if (karaf.log().contains("Error installing boot features")) { // no use waiting: say why at once
                    throw new AssertionError("the live-streaming feature did not install:\n" + karaf.log());
                }
                return karaf.log().contains("Live streaming cannot start: the embedded S3 server is not part of the "
                        + "Karaf feature. In etc/io.livecamel.streaming.cfg set streaming.s3.embedded = false");
            });
            assertFalse(Listeners.isListening(rtmpPort), "a channel without an origin takes publishers");

            // the configuration fixed while Karaf runs: the flow starts with it
            karaf.configure(StreamingBundle.PID, channel + """
                    streaming.s3.embedded = false
                    streaming.s3.endpoint = %s
                    streaming.s3.bucket = %s
                    """.formatted(origin.endpoint(), HostOrigin.BUCKET));
            Eventually.await("the channel taking publishers in Karaf", Duration.ofMinutes(1), () -> {
                if (karaf.log().split("Live streaming cannot start", -1).length > 2) { // another error than the first
                    throw new AssertionError(karaf.log());
                }
                return Listeners.isListening(rtmpPort);
            });

            CompleteSession.publish(rtmpPort, KEY, origin.playlist("lobby"), work.resolve("logs"));
            String log = karaf.log();
            assertFalse(log.contains(KEY), "the key is in Karaf's log:\n" + log);
            assertTrue(log.contains("Channel lobby: live"), log);
            karaf.stop(Duration.ofMinutes(1));
            assertFalse(Listeners.isListening(rtmpPort), "the RTMP port is still open after Karaf stopped");
        }
    }

    /**
     * The official Camel features with each camel-karaf component bundle replaced by the plain Camel jar of the same
     * version, wrapped as a bundle that exports its packages at that version.
     */
    static String wrapped(String official) {
        String text = official
                .replaceAll("\\s*<conditional>\\s*<condition>shell</condition>\\s*<bundle>[^<]*camel-karaf-shell[^<]*"
                        + "</bundle>\\s*</conditional>", "")
                .replaceAll("\\s*<repository>[^<]*spring-features</repository>", "");
        Matcher bundle = KARAF_BUNDLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (bundle.find()) {
            String artifact = bundle.group(1);
            String version = bundle.group(2);
            String replacement;
            if (artifact.equals("camel-core-osgi")) {
                replacement = bundle.group();
            } else if (NO_PLAIN_JAR.contains(artifact)) {
                replacement = "";
            } else {
                StringBuilder bundles = new StringBuilder(wrap(artifact, version));
                MERGED.getOrDefault(artifact, List.of()).forEach(merged -> bundles.append(wrap(merged, version)));
                replacement = bundles.toString();
            }
            bundle.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        bundle.appendTail(result);
        return result.toString();
    }

    private static String wrap(String artifact, String version) {
        String jar = AT_4_10_5.contains(artifact) ? "4.10.5" : version;
        return "<bundle>wrap:mvn:org.apache.camel/" + artifact + "/" + jar + "$Bundle-SymbolicName=org.apache.camel."
                + artifact + "&amp;Bundle-Version=" + version + "&amp;Export-Package=*;version=" + version
                + "</bundle>";
    }
}
