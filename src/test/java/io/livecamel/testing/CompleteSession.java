package io.livecamel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real publisher goes live for a few seconds on an application run some other way (another Camel application,
 * Karaf), and the whole session is then at the origin: valid playlists all along (a poller), the end marker, every
 * listed segment there.
 */
public final class CompleteSession {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CompleteSession() {
    }

    /** Publishes 4 s of test pattern with {@code key}; returns the segments the final playlist lists. */
    public static List<String> publish(int rtmpPort, String key, URI playlist, Path logs) throws Exception {
        try (OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(100))) {
            try (Publisher publisher = Publisher.start(rtmpPort, key, 4, logs)) {
                assertEquals(0, publisher.await(Duration.ofSeconds(60)), publisher.log());
            }
            Eventually.await("the session closed at the origin", Duration.ofSeconds(60),
                    () -> OriginPoller.read(playlist).endsWith("#EXT-X-ENDLIST\n"));
            assertEquals(List.of(), poller.violations());
        }
        List<String> segments = OriginPoller.segments(OriginPoller.read(playlist));
        assertTrue(segments.size() >= 3, "about 4 one-second segments expected: " + segments);
        for (String segment : segments) {
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(playlist.resolve(segment)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), segment);
        }
        return segments;
    }
}
