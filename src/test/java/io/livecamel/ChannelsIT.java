package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** Two channels side by side on the one RTMP port, each with its own key, local folder and prefix at the origin. */
class ChannelsIT extends StreamingTestSupport {

    private static final String STUDIO_KEY = "studio-key-5e4d3c2b1a09";

    @Override
    protected void settings(Properties properties) {
        properties.setProperty("streaming.channels.studio.key", STUDIO_KEY);
    }

    @Test
    void twoChannelsPublishAtOnceAndAWrongKeyGetsNothing() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder mainEnded = sessionEnded("main");
        NotifyBuilder studioEnded = sessionEnded("studio");
        try (LogCapture log = LogCapture.open();
             OriginPoller mainViewer = new OriginPoller(playlist("main"), Duration.ofMillis(50));
             OriginPoller studioViewer = new OriginPoller(playlist("studio"), Duration.ofMillis(50));
             Publisher main = Publisher.start(rtmpPort, KEY, 6, work.resolve("logs"));
             Publisher studio = Publisher.start(rtmpPort, STUDIO_KEY, 6, work.resolve("logs"))) {
            assertEquals(0, main.await(Duration.ofSeconds(30)), main.log());
            assertEquals(0, studio.await(Duration.ofSeconds(30)), studio.log());
            assertTrue(mainEnded.matches(20, TimeUnit.SECONDS));
            assertTrue(studioEnded.matches(20, TimeUnit.SECONDS));
            assertEquals(List.of(), mainViewer.violations());
            assertEquals(List.of(), studioViewer.violations());

            // a key of no channel opens none
            try (Publisher intruder = Publisher.start(rtmpPort, STUDIO_KEY + "x", 5, work.resolve("logs"))) {
                assertNotEquals(0, intruder.await(Duration.ofSeconds(15)));
            }
            assertEquals(1, log.containing("refused: no channel has this stream key").size(),
                    log.lines().toString());
            assertEquals(List.of(), log.containing(KEY));
            assertEquals(List.of(), log.containing(STUDIO_KEY));
        }
        for (String channel : List.of("main", "studio")) {
            String text = get(playlist(channel)).body();
            List<String> segments = OriginPoller.segments(text);
            assertTrue(segments.size() >= 5, channel + ": " + text);
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertEquals(segments.size() + 2, objectsAtOrigin(channel).size(), channel
                    + " has its segments, its playlist and its recording, nothing else: " + objectsAtOrigin(channel));
            assertEquals(List.of(), filesIn(channelFolder(channel)));
        }
    }
}
