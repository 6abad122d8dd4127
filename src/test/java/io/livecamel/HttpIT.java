package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecamel.hls.Session;
import io.livecamel.testing.CompleteSession;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The HTTP side during a real publish: the channels API, the metrics, the local HLS files and what is not served. */
class HttpIT extends StreamingTestSupport {

    private static final List<String> FIELDS = List.of("name", "live", "sessionId", "startedAt", "segments", "bytes",
            "bitrate", "lastSegmentAt", "playlistUrl", "lastRecordingUrl", "node", "restream");

    private URI site(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mainChannel() throws Exception {
        HttpResponse<String> response = get(site("/api/channels"));
        assertEquals(200, response.statusCode());
        assertEquals("application/json", header(response, "Content-Type"));
        assertFalse(response.body().contains(KEY), "a key in the API");
        List<Map<String, Object>> channels = new ObjectMapper().readValue(response.body(), List.class);
        assertEquals(1, channels.size());
        assertEquals(FIELDS, List.copyOf(channels.get(0).keySet()));
        return channels.get(0);
    }

    @Test
    void theApiAndTheMetricsFollowAPublish() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        Map<String, Object> idle = mainChannel();
        assertEquals(false, idle.get("live"));
        assertEquals("http://127.0.0.1:" + s3Port + "/live/videos/main/index.m3u8", idle.get("playlistUrl"));

        NotifyBuilder ended = sessionEnded("main");
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 8, work.resolve("logs"))) {
            Eventually.await("main live with 3 segments in the API", Duration.ofSeconds(20), () -> {
                try {
                    Map<String, Object> main = mainChannel();
                    return Boolean.TRUE.equals(main.get("live")) && ((Number) main.get("segments")).intValue() >= 3;
                } catch (Exception e) {
                    return false;
                }
            });
            Map<String, Object> live = mainChannel();
            assertTrue(((Number) live.get("bitrate")).longValue() > 100_000, live.toString());
            assertTrue(((Number) live.get("bytes")).longValue() > 0, live.toString());
            assertTrue(live.get("startedAt").toString().endsWith("Z") && live.get("lastSegmentAt") != null);
            String session = live.get("sessionId").toString();

            // a local segment, served read-only with CORS for debugging
            String segment = Files.list(channelFolder("main")).map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".ts")).findFirst().orElseThrow();
            HttpResponse<byte[]> local = getBytes(site("/media/main/" + segment));
            assertEquals(200, local.statusCode());
            assertEquals("video/mp2t", header(local, "Content-Type"));
            assertEquals("*", header(local, "Access-Control-Allow-Origin"));
            assertTrue(segment.startsWith(session));
            assertEquals(0, publisher.await(Duration.ofSeconds(30)));
        }
        assertTrue(ended.matches(20, TimeUnit.SECONDS));
        Map<String, Object> after = mainChannel();
        assertEquals(false, after.get("live"));

        String playlist = get(playlist("main")).body();
        int segments = OriginPoller.segments(playlist).size();
        String metrics = get(site("/observe/metrics")).body();
        assertEquals(segments, metric(metrics, "streaming_segments_uploaded_total{channel=\"main\"}"), metrics);
        assertEquals(segments, metric(metrics, "streaming_segment_to_playlist_seconds_count{channel=\"main\"}"));
        assertEquals(0, metric(metrics, "streaming_upload_backlog{channel=\"main\"}"));
        assertTrue(metrics.contains("streaming_segment_to_playlist_seconds_bucket{channel=\"main\",le="), metrics);
        assertTrue(metrics.contains("streaming_publisher_bitrate_bits_per_second{channel=\"main\"}"), metrics);

        HttpResponse<String> health = get(site("/observe/health"));
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().startsWith("{\"status\":\"UP\""), health.body());
        assertTrue(health.body().contains("\"name\":\"listeners\",\"status\":\"UP\""), health.body());
        assertTrue(health.body().contains("\"name\":\"origin\",\"status\":\"UP\""), health.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void pastSessionsAreListedFromTheOriginNewestFirst() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        // a recording an earlier run of the application left at the origin: the list comes from there
        String earlier = "20250101-120000000-abcd";
        S3Client s3 = context.getRegistry().lookupByNameAndType("s3Client", S3Client.class);
        s3.putObject(request -> request.bucket("live").key("videos/main/" + earlier + "/index.m3u8"),
                RequestBody.fromString("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-ENDLIST\n"));
        List<String> sessions = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> segments = CompleteSession.publish(rtmpPort, KEY, playlist("main"), work.resolve("logs"));
            sessions.add(0, Session.ofSegment(segments.get(0)));
        }
        sessions.add(earlier);

        HttpResponse<String> response = get(site("/api/channels/main/recordings"));
        assertEquals(200, response.statusCode());
        assertEquals("application/json", header(response, "Content-Type"));
        List<Map<String, Object>> recordings = new ObjectMapper().readValue(response.body(), List.class);
        assertEquals(sessions, recordings.stream().map(recording -> recording.get("session")).toList(),
                "newest first: " + response.body());
        assertEquals("2025-01-01T12:00:00Z", recordings.get(2).get("startedAt"));
        for (Map<String, Object> recording : recordings.subList(0, 2)) {
            assertEquals(playlist("main").resolve(recording.get("session") + "/index.m3u8").toString(),
                    recording.get("url"));
            String vod = get(URI.create(recording.get("url").toString())).body();
            assertTrue(vod.contains("#EXT-X-PLAYLIST-TYPE:VOD") && vod.endsWith("#EXT-X-ENDLIST\n"), vod);
            assertTrue(OriginPoller.segments(vod).size() >= 3, vod);
        }
        assertEquals(404, get(site("/api/channels/nope/recordings")).statusCode());
    }

    @Test
    void nothingOutsideTheChannelFoldersIsServed() throws Exception {
        Path folder = Files.createDirectories(channelFolder("main"));
        Files.writeString(folder.resolve("visible-1-00000.ts"), "segment");
        Path secret = Files.writeString(work.resolve("secret.ts"), "not for viewers");
        Files.createSymbolicLink(folder.resolve("link-1-00001.ts"), secret);
        Files.createSymbolicLink(folder.resolve("passwd.m3u8"), Path.of("/etc/passwd"));

        assertEquals(200, get(site("/media/main/visible-1-00000.ts")).statusCode());
        for (String path : List.of(
                "/media/main/link-1-00001.ts", "/media/main/passwd.m3u8",
                "/media/main/..%2Fsecret.ts", "/media/main/%2e%2e%2fsecret.ts", "/media/main/..%252Fsecret.ts",
                "/media/main/.%2E/secret.ts", "/media/main/%2E%2E", "/media/..%2Fsecret.ts/x.ts",
                "/media/main/secret.ts", "/media/other/visible-1-00000.ts", "/media/main/visible-1-00000.ts.tmp",
                "/media/main/pom.xml", "/pom.xml", "/routes-yaml/http.camel.yaml", "/watch/..%2F..%2Fpom.xml",
                "/watch/nothere", "/data/live/videos/main/index.m3u8", "/assets/../pom.xml")) {
            HttpResponse<String> response = get(site(path));
            assertEquals(404, response.statusCode(), path + " answered " + response.statusCode() + ": "
                    + response.body());
            assertFalse(response.body().contains("not for viewers") || response.body().contains("root:"), path);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(site("/api/channels"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "only GET");
    }

    private static long metric(String metrics, String name) {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        assertTrue(value.find(), name + " not in:\n" + metrics);
        return Math.round(Double.parseDouble(value.group(1)));
    }
}
