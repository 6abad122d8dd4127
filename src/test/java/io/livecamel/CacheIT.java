package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.livecamel.hls.Playlist;
import io.livecamel.hls.Session;
import io.livecamel.testing.CachingProxy;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * Viewers behind a real cache: nginx in front of the origin, honouring only the origin's headers (proxy_cache,
 * proxy_cache_lock on, no forced validity). Two sessions, 3-s segments (a target duration of 3 s, so playlists say
 * s-maxage=1, which nginx, counting whole seconds, keeps for 1 to 2 s), a careful viewer and 200 simulated viewers polling the playlist every 0.5 s through the cache. No
 * viewer gets a playlist that lists a missing segment or one older than a target duration, every viewer gets the
 * end marker, the origin sees about one playlist request a second, and segments come from the cache after the first
 * request. Skipped with the reason printed where nginx is not installed.
 */
class CacheIT extends StreamingTestSupport {

    private static final int TARGET_DURATION = 3;
    private static final int VIEWERS = 200;

    @Override
    protected void settings(Properties properties) {
        properties.setProperty("streaming.hls.time", Integer.toString(TARGET_DURATION));
    }

    /** A playlist version, ordered as the origin publishes them: session, newest segment, then the end marker. */
    private record Version(String session, long newest, boolean ended) implements Comparable<Version> {
        static Version of(String text) {
            Playlist playlist = Playlist.parse(text);
            String last = playlist.segments().get(playlist.segments().size() - 1).uri();
            return new Version(Session.ofSegment(last), Session.sequenceOf(last), playlist.ended());
        }

        @Override
        public int compareTo(Version other) {
            return Comparator.comparing(Version::session).thenComparingLong(Version::newest)
                    .thenComparing(Version::ended).compare(this, other);
        }
    }

    /** A playlist a viewer got through the cache, and when; or what went wrong. */
    private record Read(Version version, long atMillis, String failure) {
    }

    @Test
    void viewersBehindACacheGetFreshCompletePlaylistsWhileTheOriginSeesOneRequestASecond() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        String path = "/live/videos/main/index.m3u8";
        HttpClient http = HttpClient.newHttpClient();
        // when each version first appeared at the origin, read directly every 20 ms
        Map<Version, Long> appeared = new ConcurrentHashMap<>();
        Queue<Read> reads = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService clients = Executors.newScheduledThreadPool(8);
        try (CachingProxy cache = CachingProxy.start(URI.create("http://127.0.0.1:" + s3Port), work.resolve("nginx"));
             OriginPoller careful = new OriginPoller(cache.url(path), Duration.ofMillis(100))) {
            clients.scheduleWithFixedDelay(() -> {
                String text = OriginPoller.read(playlist("main"));
                if (!OriginPoller.segments(text).isEmpty()) {
                    appeared.putIfAbsent(Version.of(text), System.currentTimeMillis());
                }
            }, 0, 20, TimeUnit.MILLISECONDS);

            NotifyBuilder firstEnded = sessionEnded("main");
            List<String> sessions = new ArrayList<>();
            long viewingFrom;
            try (Publisher first = Publisher.start(rtmpPort, KEY, 12, work.resolve("logs"))) {
                Eventually.await("the first playlist through the cache", Duration.ofSeconds(20),
                        () -> !OriginPoller.segments(OriginPoller.read(cache.url(path))).isEmpty());
                viewingFrom = System.currentTimeMillis();
                for (int viewer = 0; viewer < VIEWERS; viewer++) {
                    Set<String> fetched = ConcurrentHashMap.newKeySet(); // this viewer's segments
                    clients.scheduleAtFixedRate(() -> {
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(cache.url(path))
                                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                reads.add(new Read(null, 0, "playlist: status " + response.statusCode()));
                                return;
                            }
                            reads.add(new Read(Version.of(response.body()), System.currentTimeMillis(), null));
                            // as a player does: each listed segment it has not loaded yet
                            for (String segment : OriginPoller.segments(response.body())) {
                                if (fetched.add(segment)) {
                                    HttpResponse<Void> loaded = http.send(HttpRequest.newBuilder(
                                            cache.url(path).resolve(segment)).timeout(Duration.ofSeconds(5)).build(),
                                            HttpResponse.BodyHandlers.discarding());
                                    if (loaded.statusCode() != 200) {
                                        reads.add(new Read(null, 0, segment + ": status " + loaded.statusCode()));
                                    }
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt(); // the viewers are stopped
                        } catch (Exception e) {
                            reads.add(new Read(null, 0, e.toString()));
                        }
                    }, ThreadLocalRandom.current().nextLong(500), 500, TimeUnit.MILLISECONDS);
                }
                assertEquals(0, first.await(Duration.ofSeconds(40)), first.log());
            }
            assertTrue(firstEnded.matches(30, TimeUnit.SECONDS), "the first session did not end");
            Eventually.await("the end marker through the cache", Duration.ofSeconds(10),
                    () -> OriginPoller.read(cache.url(path)).endsWith("#EXT-X-ENDLIST\n"));
            sessions.add(Session.ofSegment(OriginPoller.segments(OriginPoller.read(playlist("main"))).get(0)));

            NotifyBuilder secondEnded = sessionEnded("main");
            try (Publisher second = Publisher.start(rtmpPort, KEY, 9, work.resolve("logs"))) {
                assertEquals(0, second.await(Duration.ofSeconds(40)), second.log());
            }
            assertTrue(secondEnded.matches(30, TimeUnit.SECONDS), "the second session did not end");
            Eventually.await("the second end marker through the cache", Duration.ofSeconds(10),
                    () -> OriginPoller.read(cache.url(path)).endsWith("#EXT-X-ENDLIST\n")
                            && !OriginPoller.read(cache.url(path)).contains(sessions.get(0)));
            long viewingUntil = System.currentTimeMillis();
            clients.shutdownNow();
            clients.awaitTermination(10, TimeUnit.SECONDS);
            String last = OriginPoller.read(playlist("main"));
            sessions.add(Session.ofSegment(OriginPoller.segments(last).get(0)));
            assertNotEquals(sessions.get(0), sessions.get(1));

            // the careful viewer: never a listed segment missing, never a playlist going back, both end markers
            assertEquals(List.of(), careful.violations());

            // 200 viewers: every read answered, none older than a target duration
            assertEquals(List.of(), reads.stream().filter(read -> read.failure() != null).map(Read::failure).limit(5)
                    .toList(), "a viewer's request failed (a listed segment missing?)");
            assertTrue(reads.size() >= VIEWERS * 2 * (viewingUntil - viewingFrom) / 1000 * 8 / 10,
                    "the viewers polled: " + reads.size());
            long worst = 0;
            for (Read read : reads) {
                long newerSince = appeared.entrySet().stream().filter(v -> v.getKey().compareTo(read.version()) > 0)
                        .mapToLong(Map.Entry::getValue).min().orElse(Long.MAX_VALUE);
                worst = Math.max(worst, read.atMillis() - Math.min(newerSince, read.atMillis()));
            }
            // the origin's playlist requests: those nginx passed on
            List<CachingProxy.Request> requests = cache.requests();
            double seconds = (viewingUntil - viewingFrom) / 1000.0;
            long originPlaylistRequests = requests.stream().filter(r -> r.path().endsWith(".m3u8") && r.fromOrigin()
                    && r.at() * 1000 >= viewingFrom && r.at() * 1000 <= viewingUntil).count();
            long playlistRequests = requests.stream().filter(r -> r.path().endsWith(".m3u8")
                    && r.at() * 1000 >= viewingFrom && r.at() * 1000 <= viewingUntil).count();

            // segments: each listed one read twice through the cache; the second comes from the cache
            int segments = 0;
            for (String session : sessions) {
                for (String segment : OriginPoller.segments(OriginPoller.read(
                        playlist("main").resolve(session + "/index.m3u8")))) {
                    String name = segment.replace("../", "");
                    byte[] atOrigin = getBytes(playlist("main").resolve(name)).body();
                    HttpResponse<byte[]> once = getBytes(cache.url("/live/videos/main/" + name));
                    HttpResponse<byte[]> again = getBytes(cache.url("/live/videos/main/" + name));
                    assertArrayEquals(atOrigin, once.body(), name);
                    assertArrayEquals(atOrigin, again.body(), name);
                    assertEquals("HIT", header(again, "X-Cache-Status"), name);
                    segments++;
                }
            }
            long segmentRequests = cache.requests().stream().filter(r -> r.path().endsWith(".ts")).count();
            long segmentsFromOrigin = cache.requests().stream().filter(r -> r.path().endsWith(".ts") && r.fromOrigin())
                    .count();
            System.out.printf("Behind nginx: %d viewers for %.1f s, %d playlist requests, %d of them to the origin "
                    + "(%.2f a second); worst staleness %d ms (target duration %d s); %d segments, %d segment "
                    + "requests, %d to the origin (%.1f %% from the cache)%n", VIEWERS, seconds, playlistRequests,
                    originPlaylistRequests, originPlaylistRequests / seconds, worst, TARGET_DURATION, segments,
                    segmentRequests, segmentsFromOrigin, 100.0 * (segmentRequests - segmentsFromOrigin)
                    / segmentRequests);
            assertTrue(worst < TARGET_DURATION * 1000L, "a viewer got a playlist " + worst + " ms old");
            assertTrue(originPlaylistRequests / seconds <= 3, "origin playlist requests a second: "
                    + originPlaylistRequests / seconds);
            // nginx's cache lock is no promise: two first requests for a segment within milliseconds may both reach
            // the origin (seen once on CI); what a cache must do is serve the rest
            assertTrue(segmentsFromOrigin <= segmentRequests / 20, "at least 95 % of segment requests from the "
                    + "cache: " + segmentsFromOrigin + " of " + segmentRequests + " reached the origin");
        } finally {
            clients.shutdownNow();
        }
    }
}
