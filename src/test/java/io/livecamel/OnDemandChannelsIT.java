package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.livecamel.testing.AdmissionBackend;
import io.livecamel.testing.AdmissionBackend.Answer;
import io.livecamel.testing.ApplicationProcess;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.HostOrigin;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A channel that exists only because the admission backend names it, across its life: made for its first publisher,
 * removed once idle, made again for the next one; live when the application is killed, taken up by the next start
 * (its route made again from what the media folder holds); and after that restart its player page, its recordings
 * and its entry in /api/channels are there, from the origin.
 */
class OnDemandChannelsIT {

    private static final String KEY = "shows-key-8b6d4f2a0c";

    private final Path work = Path.of("target", "it", "OnDemandChannelsIT").toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final HostOrigin origin = new HostOrigin(work);

    @Test
    void aChannelMadeOnDemandIsRemovedWhenIdleAndOutlivesARestart() throws Exception {
        try (AdmissionBackend backend = new AdmissionBackend()) {
            backend.answer(KEY, Answer.channel("shows"));
            Map<String, String> settings = origin.applicationSettings(work.resolve("media"));
            settings.put("streaming.reconnect-grace", "1");
            settings.put("streaming.admission.url", backend.url().toString());
            settings.put("streaming.admission.channel-idle-timeout", "2");
            int rtmpPort = Integer.parseInt(settings.get("streaming.rtmp.port"));
            String http = "http://127.0.0.1:" + settings.get("streaming.http.port");
            URI playlist = origin.playlist("shows");

            try (ApplicationProcess first = ApplicationProcess.start(settings, origin.awsEnvironment(),
                    work.resolve("logs"))) {
                Listeners.awaitListening(rtmpPort, Duration.ofSeconds(60));
                for (int round = 1; round <= 2; round++) { // made, used, removed; made again
                    try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
                        assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
                    }
                    Eventually.await("session " + round + " closed at the origin", Duration.ofSeconds(30),
                            () -> OriginPoller.read(playlist).endsWith("#EXT-X-ENDLIST\n"));
                    int closedBefore = round - 1;
                    Eventually.await("the idle channel removed (" + round + ")", Duration.ofSeconds(30),
                            () -> count(first.output(), "Channel shows is closed: nothing happened on it for 2 s")
                                    > closedBefore);
                }
                assertEquals(2, count(first.output(), "Channel shows is open (made on demand)"));
                // a third session, live when the application is killed
                try (Publisher publisher = Publisher.start(rtmpPort, KEY, 60, work.resolve("logs"))) {
                    Eventually.await("the third session live at the origin", Duration.ofSeconds(30), () -> {
                        String text = OriginPoller.read(playlist);
                        return text != null && !text.endsWith("#EXT-X-ENDLIST\n")
                                && OriginPoller.segments(text).size() >= 2;
                    });
                    first.process().destroyForcibly(); // SIGKILL
                    first.awaitExit(Duration.ofSeconds(10));
                    publisher.kill();
                }
            }
            try (ApplicationProcess second = ApplicationProcess.start(settings, origin.awsEnvironment(),
                    work.resolve("logs"))) {
                second.awaitLine("Channel shows is open (made on demand)", Duration.ofSeconds(60));
                second.awaitLine("is taken up (the application restarted)", Duration.ofSeconds(30));
                Eventually.await("the killed session closed at the origin", Duration.ofSeconds(30),
                        () -> OriginPoller.read(playlist).endsWith("#EXT-X-ENDLIST\n"));
                HttpResponse<String> recordings = get(http + "/api/channels/shows/recordings");
                assertEquals(200, recordings.statusCode());
                assertEquals(3, count(recordings.body(), "\"session\""), recordings.body());
                assertEquals(200, get(http + "/watch/shows").statusCode());
                assertTrue(get(http + "/api/channels").body().contains("\"name\":\"shows\""));
                assertEquals(404, get(http + "/watch/nobody").statusCode());
                assertEquals(0, count(second.output(), KEY), "the key is never in the log");
            }
        }
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
