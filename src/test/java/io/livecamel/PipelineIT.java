package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.routes.StreamingConfiguration;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline with real parts: the application on its embedded S3-compatible origin (s3proxy), a real ffmpeg
 * publishing a 1-s-GOP test pattern over RTMP in real time, and a viewer-like poller reading the origin every 50 ms.
 */
class PipelineIT extends CamelMainTestSupport {

    private static final String KEY = "pipeline-test-key-6f1c2a9d";
    private static final Path WORK = Path.of("target", "it", "pipeline").toAbsolutePath();
    private static final int RTMP_PORT = FreePort.find();
    private static final int S3_PORT = FreePort.find();
    private static final URI PLAYLIST = URI.create("http://127.0.0.1:" + S3_PORT + "/live/videos/main/index.m3u8");

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(StreamingConfiguration.class);
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        FileUtil.removeDir(WORK.toFile());
        Properties properties = new Properties();
        properties.setProperty("camel.main.routes-reload-enabled", "false");
        properties.setProperty("streaming.rtmp.port", Integer.toString(RTMP_PORT));
        properties.setProperty("streaming.s3.embedded-port", Integer.toString(S3_PORT));
        properties.setProperty("streaming.s3.embedded-dir", WORK.resolve("data").toString());
        properties.setProperty("streaming.media-dir", WORK.resolve("media").toString());
        properties.setProperty("streaming.channels.main.key", KEY);
        context.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Test
    void everyFinishedSegmentReachesTheOriginBeforeAnyPlaylistListsItAndTheStreamEnds() throws Exception {
        Path folder = WORK.resolve("media").resolve("main");
        Listeners.awaitListening(RTMP_PORT, Duration.ofSeconds(20));

        List<String> first;
        try (SegmentCapture capture = new SegmentCapture(folder, WORK.resolve("capture"));
             OriginPoller poller = new OriginPoller(PLAYLIST, Duration.ofMillis(50))) {
            NotifyBuilder ended = sessionEnded();
            try (Publisher publisher = Publisher.start(RTMP_PORT, KEY, 10, WORK.resolve("logs"))) {
                assertEquals(0, publisher.await(Duration.ofSeconds(40)), publisher.log());
            }
            assertTrue(ended.matches(30, TimeUnit.SECONDS), "the stream-end route did not finish");

            assertEquals(List.of(), capture.missed(), "segments deleted before the test could keep a copy");
            first = capture.segments();
            assertTrue(first.size() >= 9, "about 10 one-second segments expected, got " + first);

            HttpResponse<String> playlist = get(PLAYLIST);
            assertEquals(200, playlist.statusCode());
            assertEquals("application/vnd.apple.mpegurl", header(playlist, "Content-Type"));
            assertEquals("no-cache", header(playlist, "Cache-Control"));
            String text = playlist.body();
            assertEquals(first, OriginPoller.segments(text), "the final playlist lists exactly what ffmpeg wrote");
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertEquals(first.size(), count(text, "#EXT-X-PROGRAM-DATE-TIME:"), text);
            assertFalse(text.contains(KEY));

            for (String segment : first) {
                HttpResponse<byte[]> object = http.send(HttpRequest.newBuilder(PLAYLIST.resolve(segment)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, object.statusCode(), segment);
                assertArrayEquals(capture.bytes(segment), object.body(), segment + " differs from what ffmpeg wrote");
                assertEquals("video/mp2t", header(object, "Content-Type"), segment);
                assertEquals("public, max-age=31536000, immutable", header(object, "Cache-Control"), segment);
            }

            assertEquals(List.of(), poller.violations());
            assertTrue(poller.versionsSeen() >= first.size(),
                    "the poller saw only " + poller.versionsSeen() + " playlist versions in " + poller.reads()
                            + " reads");
            assertEquals(List.of(), filesIn(folder), "the local folder is clean after the stream");
        }

        // the listener is back for a second session, whose segments have names of their own
        Listeners.awaitListening(RTMP_PORT, Duration.ofSeconds(1));
        NotifyBuilder ended = sessionEnded();
        try (Publisher publisher = Publisher.start(RTMP_PORT, KEY, 3, WORK.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
        }
        assertTrue(ended.matches(30, TimeUnit.SECONDS), "the second session did not end");
        String second = get(PLAYLIST).body();
        List<String> secondSegments = OriginPoller.segments(second);
        assertTrue(secondSegments.size() >= 2, second);
        assertTrue(second.endsWith("#EXT-X-ENDLIST\n"), second);
        for (String segment : secondSegments) {
            assertFalse(first.contains(segment), segment + " reuses a name of the first session");
            assertEquals(200, get(PLAYLIST.resolve(segment)).statusCode(), segment);
        }
        assertEquals(200, get(PLAYLIST.resolve(first.get(0))).statusCode(), "old segments stay where they were");
        assertEquals(List.of(), filesIn(folder));
    }

    private NotifyBuilder sessionEnded() {
        return new NotifyBuilder(context).fromRoute("main-origin")
                .filter(org.apache.camel.builder.Builder.header(StreamingHeaders.EVENT).isEqualTo(StreamingHeaders.SESSION_ENDED))
                .whenCompleted(1).create();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
