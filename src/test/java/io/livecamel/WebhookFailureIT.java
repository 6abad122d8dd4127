package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** A webhook that cannot be reached: one error per event in the log, never its URL (it often holds a token), and
 * the stream is not held up. */
class WebhookFailureIT extends StreamingTestSupport {

    private static final String TOKEN = "hook-token-8d7c6b5a";

    @Override
    protected void settings(Properties properties) {
        // nothing listens there
        properties.setProperty("streaming.webhook.url",
                "http://127.0.0.1:" + FreePort.find() + "/hooks/live?token=" + TOKEN);
    }

    @Test
    void anUnreachableWebhookIsReportedWithoutItsUrlAndTheStreamGoesOn() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (LogCapture log = LogCapture.open()) {
            try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
                assertEquals(0, publisher.await(Duration.ofSeconds(20)), publisher.log());
            }
            assertTrue(ended.matches(20, TimeUnit.SECONDS), "the stream was held up by the webhook");
            Eventually.await("the three events to be given up", Duration.ofSeconds(60),
                    () -> log.containing("could not be POSTed to streaming.webhook.url").size() == 3);
            List<String> errors = log.containing("could not be POSTed to streaming.webhook.url");
            assertTrue(errors.get(0).contains("The SessionStarted event of channel main"), errors.toString());
            assertEquals(List.of(), log.containing(TOKEN), "the webhook URL is in the log");
            assertEquals(List.of(), log.containing("/hooks/live"), "the webhook URL is in the log");
        }
        assertTrue(get(playlist("main")).body().endsWith("#EXT-X-ENDLIST\n"));
    }
}
