package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.AdmissionBackend;
import io.livecamel.testing.AdmissionBackend.Answer;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.NginxRtmp;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.RawRtmpClient;
import io.livecamel.testing.StreamingTestSupport;
import io.livecamel.testing.WebhookReceiver;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who may publish, decided by a user's HTTP backend (a real HTTP server in the test) through the admission route, with
 * real ffmpeg publishers: channels made on demand with the backend's metadata in their events, a backend that hangs
 * for some publishers while two channels stay live, 20 publishers at once, a key revoked by the re-check, a session
 * stopped through the admin API; and no key in any log line, event or API answer.
 */
class AdmissionIT extends StreamingTestSupport {

    private static final String ALICE_KEY = "alice-key-7c1e5a9b3d";
    private static final String BOB_KEY = "bob-key-2f8d6c4a1e";
    private static final String HANG_KEY = "hang-key-9a7b5c3d1e";
    private static final String CAROL_KEY = "carol-key-4e6f8a0b2c";
    private static final String DAVE_KEY = "dave-key-1b3d5f7a9c";
    private static final String TOKEN = "admin-token-5c7e9a1b3d";
    private static final List<String> SECRETS = List.of(ALICE_KEY, BOB_KEY, HANG_KEY, CAROL_KEY, DAVE_KEY, TOKEN);

    private AdmissionBackend backend;
    private WebhookReceiver webhook;

    @Override
    protected void settings(Properties properties) {
        try {
            backend = new AdmissionBackend();
            webhook = new WebhookReceiver();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        properties.setProperty("streaming.admission.url", backend.url().toString());
        properties.setProperty("streaming.admission.secret", "backend-secret-0123");
        properties.setProperty("streaming.admission.recheck-interval", "1");
        properties.setProperty("streaming.api.token", TOKEN);
        properties.setProperty("streaming.webhook.url", webhook.url().toString());
        properties.setProperty("streaming.reconnect-grace", "5");
    }

    @AfterEach
    void stopBackend() throws InterruptedException {
        backend.close();
        webhook.close();
    }

    private List<Map<String, Object>> events(String channel) {
        return webhook.events().stream().filter(event -> channel.equals(event.get("channel"))).toList();
    }

    private List<Object> eventNames(String channel) {
        return events(channel).stream().map(event -> event.get("event")).toList();
    }

    private void awaitLive(String channel) throws InterruptedException {
        Eventually.await(channel + " to be live", Duration.ofSeconds(30),
                () -> eventNames(channel).contains("SessionStarted"));
    }

    /** The channel's events at the webhook once its session has ended there (the webhook is called off the route). */
    private List<Object> endedEvents(String channel) throws InterruptedException {
        Eventually.await(channel + "'s SessionEnded at the webhook", Duration.ofSeconds(20),
                () -> eventNames(channel).contains("SessionEnded"));
        return eventNames(channel);
    }

    @Test
    void aBackendMakesChannelsOnDemandAndOneThatHangsDelaysNoOther() throws Exception {
        backend.answer(ALICE_KEY, new Answer(200, null, "{\"channel\": \"alice\", \"metadata\": {\"user\": \"u-42\"}}",
                0));
        backend.answer(BOB_KEY, new Answer(302, "bob", "", 0));
        backend.answer(HANG_KEY, new Answer(200, null, "{\"channel\": \"hang\"}", 20_000));
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder aliceEnded = sessionEnded("alice");
        NotifyBuilder bobEnded = sessionEnded("bob");
        long hangStarted;
        long hangOver;
        try (LogCapture log = LogCapture.open();
             OriginPoller aliceViewer = new OriginPoller(playlist("alice"), Duration.ofMillis(50));
             OriginPoller bobViewer = new OriginPoller(playlist("bob"), Duration.ofMillis(50))) {
            try (Publisher alice = Publisher.start(rtmpPort, ALICE_KEY, 12, work.resolve("logs"));
                 Publisher bob = Publisher.start(rtmpPort, BOB_KEY + "?token=abc", 12, work.resolve("logs"))) {
                awaitLive("alice");
                awaitLive("bob");
                hangStarted = System.nanoTime();
                List<Publisher> hanging = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    hanging.add(Publisher.start(rtmpPort, HANG_KEY, 5, work.resolve("logs")));
                }
                for (Publisher refused : hanging) {
                    assertNotEquals(0, refused.await(Duration.ofSeconds(20)), "refused: " + refused.log());
                    assertTrue(refused.log().contains("Not allowed to publish now"), refused.log());
                    refused.close();
                }
                hangOver = System.nanoTime();
                assertEquals(0, alice.await(Duration.ofSeconds(40)), alice.log());
                assertEquals(0, bob.await(Duration.ofSeconds(40)), bob.log());
            }
            assertTrue(aliceEnded.matches(30, TimeUnit.SECONDS));
            assertTrue(bobEnded.matches(30, TimeUnit.SECONDS));
            assertEquals(3, log.containing("did not answer within 3 s").size(), log.lines().toString());
            assertEquals(List.of(), aliceViewer.violations());
            assertEquals(List.of(), bobViewer.violations());
            // a figure for the README, not a bound: how far apart new segments were listed while the backend hung
            System.out.println("ADMISSION segment listing gaps while a backend hangs for 3 publishers: alice "
                    + gaps(aliceViewer, hangStarted, hangOver) + ", bob " + gaps(bobViewer, hangStarted, hangOver));
            for (String secret : SECRETS) {
                assertEquals(List.of(), log.containing(secret), "a secret in the log");
            }
        }
        // the two live channels went on as if nothing happened: one connection each, every segment about 1 s
        for (String channel : List.of("alice", "bob")) {
            assertEquals(List.of("SessionStarted", "PublisherLeft", "SessionEnded"), endedEvents(channel), channel);
            String text = get(playlist(channel)).body();
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertFalse(text.contains("#EXT-X-DISCONTINUITY"), text);
            List<Double> durations = text.lines().filter(line -> line.startsWith("#EXTINF:"))
                    .map(line -> Double.parseDouble(line.substring(8, line.indexOf(',')))).toList();
            assertTrue(durations.size() >= 10, text);
            assertTrue(durations.stream().allMatch(duration -> duration < 1.6), channel + ": " + durations);
        }
        // the backend's metadata is on every event of alice's session
        for (Map<String, Object> event : events("alice")) {
            assertEquals(Map.of("user", "u-42"), event.get("metadata"), event.toString());
        }
        assertEquals("abc", backend.requests().stream().filter(form -> BOB_KEY.equals(form.get("name")))
                .findFirst().orElseThrow().get("token"), "the publish URL's query reached the backend");
        // nothing at all for the publishers refused: no folder, no objects, no event
        assertFalse(Files.exists(channelFolder("hang")));
        assertEquals(List.of(), objectsAtOrigin("hang"));
        assertEquals(List.of(), events("hang"));
        String api = get(URI.create("http://127.0.0.1:" + httpPort + "/api/channels")).body();
        assertTrue(api.contains("\"name\":\"alice\"") && api.contains("\"name\":\"bob\""), api);
        for (String secret : SECRETS) {
            assertFalse(api.contains(secret), "a secret in /api/channels");
            assertFalse(webhook.events().toString().contains(secret), "a secret in an event");
        }
    }

    @Test
    void aBadChannelNameFromTheBackendIsRefusedAndMakesNothing() throws Exception {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("bad-key-dotdot", "../main");
        names.put("bad-key-slash", "a/b");
        names.put("bad-key-space", "a b");
        names.put("bad-key-long", "x".repeat(65));
        names.put("bad-key-itself", "bad-key-itself"); // the key would become a public name
        names.forEach((key, name) -> backend.answer(key, Answer.channel(name)));
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        try (LogCapture log = LogCapture.open()) {
            for (String key : names.keySet()) {
                try (RawRtmpClient client = RawRtmpClient.connect(rtmpPort).handshake()
                        .command("connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"))
                        .command("createStream", 2.0, null).commandOn(1, "publish", 3.0, null, key, "live")) {
                    assertTrue(client.closedWithin(Duration.ofSeconds(10)), key);
                    assertTrue(client.received().contains("NetStream.Publish.BadName"), client.received());
                    assertFalse(client.received().contains("NetStream.Publish.Start"), client.received());
                }
            }
            assertEquals(4, log.containing("refused: the admission route named an invalid channel (").size(),
                    log.lines().toString());
            assertEquals(1, log.containing("refused: the admission route named the stream key as the channel")
                    .size(), log.lines().toString());
            for (String key : names.keySet()) {
                assertEquals(List.of(), log.containing(key), "a key in the log");
            }
        }
        try (var folders = Files.list(work.resolve("media"))) {
            assertEquals(List.of(), folders.map(Path::getFileName).map(Path::toString)
                    .filter(name -> !name.equals("main")).toList(), "no channel folder was made");
        } catch (java.nio.file.NoSuchFileException e) {
            // no folder at all: nothing was made
        }
        String api = get(URI.create("http://127.0.0.1:" + httpPort + "/api/channels")).body();
        assertFalse(api.contains("bad-key") || api.contains("xxxx") || api.contains("a b"), api);
    }

    @Test
    void twentyPublishersAreDecidedOnAtOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            backend.answer("crowd-key-" + i, Answer.channel("crowd-" + i));
        }
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        ExecutorService publishers = Executors.newFixedThreadPool(20);
        try {
            // first each channel is new (made on demand), then the same 20 again: they exist (idle for less than 60 s)
            for (String round : List.of("new channels", "existing channels")) {
                List<Long> millis = admitAtOnce(publishers, "crowd-key-", 20);
                // a figure for the README, not a bound: the backend answers at once, so this is what admission adds
                System.out.println("ADMISSION 20 publishers at once, " + round + ": publish -> "
                        + "NetStream.Publish.Start p50 " + millis.get(9) + " ms, p99 " + millis.get(19) + " ms");
            }
            assertEquals(40, backend.requests().size());
        } finally {
            publishers.shutdownNow();
        }
    }

    @Test
    void asManyPublishersAsTheServerDecidesOnAtOnceAreAllAdmittedWhileTheBackendThinks() throws Exception {
        // the server decides on 64 at once (more are refused until one is decided): a node's channels all coming
        // back together, each answer taking a second, so that every question is open at the same time
        int most = 64;
        for (int i = 0; i < most; i++) {
            backend.answer("house-key-" + i, Answer.channel("house-" + i));
        }
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        ExecutorService publishers = Executors.newFixedThreadPool(most);
        ExecutorService oneByOne = Executors.newSingleThreadExecutor();
        try {
            // the channels are made first, one publisher after the other: channels on demand are made one at a
            // time, and 64 new ones at once could take longer than the decision may (not what is tested here)
            admitAtOnce(oneByOne, "house-key-", most);
            for (int i = 0; i < most; i++) {
                backend.answer("house-key-" + i, new Answer(200, null, "{\"channel\": \"house-" + i + "\"}", 1000));
            }
            List<Long> millis = admitAtOnce(publishers, "house-key-", most);
            assertEquals(most, millis.size());
            assertEquals(2 * most, backend.requests().size(), "each publisher was asked about once a round");
        } finally {
            publishers.shutdownNow();
            oneByOne.shutdownNow();
        }
    }

    /** {@code count} raw publishers publish at once; how long each waited for NetStream.Publish.Start, sorted. */
    private List<Long> admitAtOnce(ExecutorService publishers, String keys, int count) throws Exception {
        List<Future<Long>> waits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = keys + i;
            waits.add(publishers.submit(() -> {
                try (RawRtmpClient client = RawRtmpClient.connect(rtmpPort).handshake()
                        .command("connect", 1.0, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"))
                        .command("createStream", 2.0, null)) {
                    long asked = System.nanoTime();
                    client.commandOn(1, "publish", 3.0, null, key, "live");
                    assertTrue(client.receivedWithin("NetStream.Publish.Start", Duration.ofSeconds(20)),
                            key + " admitted: " + client.received());
                    return System.nanoTime() - asked;
                }
            }));
        }
        List<Long> millis = new ArrayList<>();
        for (Future<Long> wait : waits) {
            millis.add(TimeUnit.NANOSECONDS.toMillis(wait.get(60, TimeUnit.SECONDS)));
        }
        Collections.sort(millis);
        return millis;
    }

    @Test
    void aKeyTheBackendRevokesIsCutAtOnceAndTheAdminApiStopsASession() throws Exception {
        backend.answer(CAROL_KEY, Answer.channel("carol")).answer(DAVE_KEY, Answer.channel("dave"));
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder carolEnded = sessionEnded("carol");
        NotifyBuilder daveEnded = sessionEnded("dave");
        try (Publisher carol = Publisher.start(rtmpPort, CAROL_KEY, 40, work.resolve("logs"));
             Publisher dave = Publisher.start(rtmpPort, DAVE_KEY, 40, work.resolve("logs"))) {
            awaitLive("carol");
            awaitLive("dave");
            backend.update(CAROL_KEY, new Answer(403, null, "", 0)); // the user's key is revoked
            assertNotEquals(0, carol.await(Duration.ofSeconds(20)), "carol is cut: " + carol.log());
            assertTrue(carolEnded.matches(20, TimeUnit.SECONDS));

            URI stop = URI.create("http://127.0.0.1:" + httpPort + "/api/channels/dave/stop");
            assertEquals(401, post(stop, null).statusCode(), "no token");
            assertEquals(401, post(stop, "Bearer " + TOKEN + "x").statusCode(), "a wrong token");
            assertEquals(404, post(URI.create("http://127.0.0.1:" + httpPort + "/api/channels/nobody/stop"),
                    "Bearer " + TOKEN).statusCode());
            assertTrue(dave.isRunning(), "a refused stop stops nothing");
            HttpResponse<String> stopped = post(stop, "Bearer " + TOKEN);
            assertEquals(202, stopped.statusCode(), stopped.body());
            assertNotEquals(0, dave.await(Duration.ofSeconds(20)), "dave is cut: " + dave.log());
            assertTrue(daveEnded.matches(20, TimeUnit.SECONDS));
        }
        // ended at once with their reason, without waiting out the reconnect grace, each playlist closed
        assertEquals(List.of("SessionStarted", "SessionEnded"), endedEvents("carol"), "no grace: nobody is waited for");
        assertEquals("revoked", events("carol").get(1).get("reason"));
        assertEquals(List.of("SessionStarted", "SessionEnded"), endedEvents("dave"));
        assertEquals("stopped", events("dave").get(1).get("reason"));
        assertTrue(events("dave").get(1).get("recording") != null, "recorded as any session");
        for (String channel : List.of("carol", "dave")) {
            assertTrue(get(playlist(channel)).body().endsWith("#EXT-X-ENDLIST\n"), channel);
        }
        assertTrue(backend.requests().stream().anyMatch(form -> "update".equals(form.get("call"))
                && CAROL_KEY.equals(form.get("name"))), "asked again with call=update");
    }

    @Test
    void theBackendIsAskedWithTheFieldsNginxRtmpSends() throws Exception {
        // the same backend, the same publisher and URL: once through nginx-rtmp's on_publish, once through ours
        backend.answer("fields-key", new Answer(302, "fields", "", 0));
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        try (NginxRtmp nginx = NginxRtmp.start(work.resolve("nginx"), "on_publish " + backend.url() + ";");
             Publisher toNginx = Publisher.startTo("rtmp://127.0.0.1:" + nginx.port()
                     + "/live/fields-key?token=abc", 2, work.resolve("logs"))) {
            assertEquals(0, toNginx.await(Duration.ofSeconds(30)), toNginx.log());
        }
        Map<String, String> theirs = backend.requests().get(0);
        try (Publisher toUs = Publisher.startTo("rtmp://127.0.0.1:" + rtmpPort + "/live/fields-key?token=abc", 2,
                work.resolve("logs"))) {
            assertEquals(0, toUs.await(Duration.ofSeconds(30)), toUs.log());
        }
        Map<String, String> ours = backend.requests().get(1);
        assertEquals(List.copyOf(theirs.keySet()), List.copyOf(ours.keySet()), "the same fields in the same order");
        for (String field : List.of("app", "addr", "call", "name", "type", "token")) {
            assertEquals(theirs.get(field), ours.get(field), field);
        }
        assertEquals(theirs.get("tcurl").replace(":" + theirs.get("tcurl").split(":")[2].split("/")[0], ""),
                ours.get("tcurl").replace(":" + rtmpPort, ""), "tcurl, but for the port");
    }

    @Test
    void gstreamersRtmpsinkPublishesWithATokenInItsUrl() throws Exception {
        java.util.Optional<String> missing = Publisher.gstreamerMissing();
        missing.ifPresent(reason -> System.out.println("SKIPPED: " + reason));
        org.junit.jupiter.api.Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
        backend.answer("gst-key-3a5c7e9b1d", Answer.channel("gst"));
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("gst");
        try (Publisher gstreamer = Publisher.startGStreamer(rtmpPort, "gst-key-3a5c7e9b1d?token=from-obs", 5,
                work.resolve("logs"))) {
            awaitLive("gst");
            assertEquals(0, gstreamer.await(Duration.ofSeconds(30)), gstreamer.log());
        }
        assertTrue(ended.matches(20, TimeUnit.SECONDS));
        assertEquals("from-obs", backend.requests().get(0).get("token"), backend.requests().toString());
        assertTrue(get(playlist("gst")).body().endsWith("#EXT-X-ENDLIST\n"));
    }

    /** The largest gap between two segments' first listings during [from, to] and outside it, in ms. */
    private static String gaps(OriginPoller viewer, long from, long to) {
        List<Long> listed = OriginPoller.segments(viewer.lastRead()).stream().map(viewer::firstListedNanos)
                .filter(java.util.Objects::nonNull).sorted().toList();
        long during = 0;
        long outside = 0;
        for (int i = 1; i < listed.size(); i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(listed.get(i) - listed.get(i - 1));
            if (listed.get(i) >= from && listed.get(i - 1) <= to) {
                during = Math.max(during, gap);
            } else {
                outside = Math.max(outside, gap);
            }
        }
        return "max " + during + " ms during the hang, " + outside + " ms otherwise";
    }

    private HttpResponse<String> post(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
