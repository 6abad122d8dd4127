package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamDecoder;
import io.livecamel.testing.StreamingTestSupport;
import io.livecamel.testing.WebhookReceiver;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher drops and comes back within the reconnect grace, as OBS does on a flaky network: viewers keep one
 * playlist URL, which continues after an #EXT-X-DISCONTINUITY and never shows an end until the grace has run out
 * with no publisher. The session events reach a real HTTP webhook as JSON.
 */
class ReconnectIT extends StreamingTestSupport {

    private WebhookReceiver webhook;

    @Override
    protected void settings(Properties properties) {
        try {
            webhook = new WebhookReceiver();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        properties.setProperty("streaming.reconnect-grace", "4");
        properties.setProperty("streaming.webhook.url", webhook.url().toString());
    }

    @AfterEach
    void stopWebhook() {
        webhook.close();
    }

    @Test
    void aPublisherThatComesBackContinuesTheSessionAfterADiscontinuity() throws Exception {
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        long secondGone;
        try (OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(50))) {
            try (Publisher first = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                assertEquals(0, first.await(Duration.ofSeconds(20)), first.log());
            }
            Eventually.await("PublisherLeft at the webhook", Duration.ofSeconds(5),
                    () -> webhook.names().contains("PublisherLeft"));
            Listeners.awaitListening(rtmpPort, Duration.ofSeconds(1));
            try (Publisher second = Publisher.start(rtmpPort, KEY, 10, work.resolve("logs"))) {
                Eventually.await("the second connection's segments at the origin", Duration.ofSeconds(15),
                        () -> bodyOf(playlist).contains("-2-00"));
                second.kill(); // cut off mid-segment, as a crashed encoder or a dropped network would
            }
            secondGone = System.nanoTime();
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the session did not end after the grace");
            Eventually.await("the poller to read the final playlist", Duration.ofSeconds(5),
                    () -> poller.firstEndListNanos() != 0);
            assertTrue(poller.firstEndListNanos() > secondGone + Duration.ofSeconds(3).toNanos(),
                    "the end was shown before the reconnect grace ran out");
            assertEquals(List.of(), poller.violations());
        }

        String text = get(playlist).body();
        List<String> segments = OriginPoller.segments(text);
        assertEquals(1, text.split("#EXT-X-DISCONTINUITY\n", -1).length - 1, text);
        int join = text.indexOf("#EXT-X-DISCONTINUITY");
        assertTrue(text.substring(0, join).contains("-1-00") && !text.substring(0, join).contains("-2-00"), text);
        assertFalse(text.substring(join).contains("-1-00"), text);
        assertEquals(segments.size(), new HashSet<>(segments).size(), "a segment name is repeated");
        assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
        for (String segment : segments) {
            assertEquals(200, get(playlist.resolve(segment)).statusCode(), segment);
        }
        assertEquals("", StreamDecoder.errors(playlist), "the playlist plays from start to end without errors");

        Eventually.await("SessionEnded at the webhook", Duration.ofSeconds(10),
                () -> webhook.names().contains("SessionEnded"));
        assertEquals(List.of("SessionStarted", "PublisherLeft", "PublisherReconnected", "PublisherLeft",
                "SessionEnded"), webhook.names());
        String session = (String) webhook.events().get(0).get("sessionId");
        assertTrue(webhook.events().stream().allMatch(event -> session.equals(event.get("sessionId"))
                && "main".equals(event.get("channel"))));
        Map<String, Object> started = webhook.events().get(0);
        assertEquals("h264", started.get("videoCodec"));
        assertEquals("aac", started.get("audioCodec"));
        assertEquals("426x240", started.get("resolution"));
        assertTrue(((String) started.get("remoteAddress")).startsWith("127.0.0.1:"), started.toString());
        Map<String, Object> end = webhook.events().get(4);
        assertEquals(segments.size(), end.get("segments"), end.toString());
        assertTrue(((Number) end.get("bytes")).longValue() > 0, end.toString());
        assertTrue(((String) end.get("reason")).startsWith("no publisher came back within 4 s"), end.toString());
        assertTrue(webhook.contentTypes().stream().allMatch(type -> type.startsWith("application/json")));
        assertFalse(webhook.events().toString().contains(KEY));
    }

    @Test
    void aSecondPublisherWithTheKeyTakesOverTheLiveSession() throws Exception {
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open();
             OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(50));
             Publisher stale = Publisher.start(rtmpPort, KEY, 30, work.resolve("logs"))) {
            Eventually.await("the first connection's segments at the origin", Duration.ofSeconds(15),
                    () -> bodyOf(playlist).contains("-1-00002"));
            // OBS reconnecting while its old TCP connection is not dead yet: the newer one takes over at once
            try (Publisher fresh = Publisher.start(rtmpPort, KEY, 4, work.resolve("logs"))) {
                assertTrue(stale.await(Duration.ofSeconds(10)) != 0, "the older connection was cut");
                assertEquals(0, fresh.await(Duration.ofSeconds(20)), fresh.log());
            }
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the session did not end");
            assertEquals(List.of(), poller.violations());
            assertEquals(1, log.containing("Channel main: a new RTMP publisher 127.0.0.1:").size(),
                    log.lines().toString());
        }
        String text = get(playlist).body();
        assertEquals(1, text.split("#EXT-X-DISCONTINUITY\n", -1).length - 1, text);
        assertTrue(text.contains("-2-00"), text);
        assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
        for (String segment : OriginPoller.segments(text)) {
            assertEquals(200, get(playlist.resolve(segment)).statusCode(), segment);
        }
        Eventually.await("SessionEnded at the webhook", Duration.ofSeconds(10),
                () -> webhook.names().contains("SessionEnded"));
        assertEquals(List.of("SessionStarted", "PublisherLeft", "PublisherReconnected", "PublisherLeft",
                "SessionEnded"), webhook.names());
        assertEquals("Another connection published with this channel's key and took over",
                webhook.events().get(1).get("reason"));
        assertEquals("", StreamDecoder.errors(playlist), "the playlist plays from start to end without errors");
    }

    private String bodyOf(URI uri) {
        try {
            return get(uri).body();
        } catch (Exception e) {
            return "";
        }
    }
}
