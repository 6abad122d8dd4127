package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * Editing the YAML routes while a real publisher is live, as a user does with {@code mvn compile camel:run}
 * (reload on): the session-events route, the origin routes, the channel templates, then broken files and their fix.
 * The stream goes on through all of it and ends complete at the origin.
 */
class LiveEditingIT extends StreamingTestSupport {

    private static final Duration APPLIED = Duration.ofSeconds(30);

    private final Path routes = work.resolve("routes");
    private final Path events = work.resolve("events");

    @Override
    protected void settings(Properties properties) {
        try {
            Files.createDirectories(routes);
            try (Stream<Path> files = Files.list(Path.of("routes-yaml"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                    Files.copy(file, routes.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        properties.setProperty("camel.main.routes-reload-enabled", "true");
        properties.setProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        properties.setProperty("camel.main.routes-reload-directory", routes.toString());
    }

    @Test
    void everyRouteFileCanBeEditedWhileAStreamIsLiveAndTheStreamEndsComplete() throws Exception {
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        List<String> httpFailures = new CopyOnWriteArrayList<>();
        Thread httpWatch = watchHttp(httpFailures);
        try (LogCapture log = LogCapture.open();
             SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("capture"));
             OriginPoller poller = new OriginPoller(playlist, Duration.ofMillis(100));
             Publisher publisher = Publisher.start(rtmpPort, KEY, 600, work.resolve("logs"))) {
            Eventually.await("the stream to be live at the origin", Duration.ofSeconds(30),
                    () -> poller.liveVersionsSeen() > 0);

            // 1. the session-events route also writes each event to a file
            Route sessionEvents = context.getRoute("session-events");
            edit("sessions.camel.yaml", "      uri: seda:session-events\n      steps:\n",
                    "      uri: seda:session-events\n      steps:\n"
                    + "        - setBody:\n"
                    + "            simple: \"${header.StreamingEvent} ${header.StreamingSession}\"\n"
                    + "        - to: \"file:" + events + "?fileName=${header.StreamingEvent}-${exchangeId}.txt\"\n");
            awaitReplaced(sessionEvents);

            // 2. segments get one more header at the origin
            Route uploadSegment = context.getRoute("upload-segment");
            edit("origin.camel.yaml", "                  constant: video/mp2t\n",
                    "                  constant: video/mp2t\n"
                    + "              - setHeader:\n"
                    + "                  name: CamelAwsS3ContentDisposition\n"
                    + "                  constant: inline\n");
            awaitReplaced(uploadSegment);
            Eventually.await("a segment with the new header at the origin", APPLIED,
                    () -> "inline".equals(header(lastListedSegment(playlist), "Content-Disposition")));

            // 3. the channel template: every channel's route is made again, its events wait meanwhile
            Route channelRoute = context.getRoute("live-main");
            edit("channel.camel.yaml", "                    - to: direct:upload-pending\n",
                    "                    - setHeader:\n"
                    + "                        name: EditedTemplate\n"
                    + "                        constant: \"yes\"\n"
                    + "                    - to: direct:upload-pending\n");
            awaitReplaced(channelRoute);
            String listedAtTemplate = lastListed(playlist);
            Eventually.await("a segment uploaded by the new channel route", APPLIED,
                    () -> !lastListed(playlist).equals(listedAtTemplate));

            // 4. a YAML error: reported, health DOWN, the routes that ran go on; the fix applies
            String sessions = Files.readString(routes.resolve("sessions.camel.yaml"));
            Files.writeString(routes.resolve("sessions.camel.yaml"), sessions + "\n- route:\n    from: [unclosed\n");
            Eventually.await("the YAML error in the log", APPLIED,
                    () -> !log.containing("sessions.camel.yaml was not applied").isEmpty());
            assertTrue(log.containing("sessions.camel.yaml was not applied").get(0).startsWith("ERROR "));
            HttpResponse<String> health = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health"));
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("sessions.camel.yaml") && health.body().contains("line"),
                    health.body());
            assertTrue(context.getRouteController().getRouteStatus("session-events").isStarted());
            Files.writeString(routes.resolve("sessions.camel.yaml"), sessions);
            Eventually.await("the fixed file applied", APPLIED,
                    () -> !log.containing("sessions.camel.yaml is fixed and applied").isEmpty());
            assertEquals(200, get(URI.create("http://127.0.0.1:" + httpPort + "/observe/health")).statusCode());

            // 5. a route error (a component nobody has): reported; uploads go on meanwhile
            String origin = Files.readString(routes.resolve("origin.camel.yaml"));
            Files.writeString(routes.resolve("origin.camel.yaml"),
                    origin.replace("- to: direct:upload-segment", "- to: nosuch:upload-segment"));
            Eventually.await("the route error in the log", APPLIED,
                    () -> !log.containing("origin.camel.yaml was not applied").isEmpty());
            assertTrue(log.containing("origin.camel.yaml was not applied").get(0).contains("nosuch"),
                    log.containing("origin.camel.yaml was not applied").get(0));
            String listedAtError = lastListed(playlist);
            Eventually.await("a segment uploaded while the broken file waits for its fix", APPLIED,
                    () -> !lastListed(playlist).equals(listedAtError));
            Files.writeString(routes.resolve("origin.camel.yaml"), origin);
            Eventually.await("the fixed file applied", APPLIED,
                    () -> !log.containing("origin.camel.yaml is fixed and applied").isEmpty());

            NotifyBuilder ended = sessionEnded("main");
            int exit = publisher.stop(Duration.ofSeconds(20));
            assertTrue(exit == 0 || exit == 255, "the publisher was cut (exit " + exit + "):\n" + publisher.log());
            assertTrue(ended.matches(30, TimeUnit.SECONDS), "the session did not end");

            // the stream is complete at the origin: every segment ffmpeg wrote, byte for byte, in order
            String text = get(playlist).body();
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertFalse(text.contains("#EXT-X-DISCONTINUITY"), "the publisher was never cut: " + text);
            assertEquals(List.of(), capture.missed());
            assertEquals(capture.segments(), OriginPoller.segments(text));
            for (String segment : capture.segments()) {
                assertArrayEquals(capture.bytes(segment), getBytes(playlist.resolve(segment)).body(), segment);
            }
            assertEquals(List.of(), poller.violations());
            assertEquals("inline", header(getBytes(playlist.resolve(capture.segments().get(
                    capture.segments().size() - 1))), "Content-Disposition"));

            // one session, never interrupted: after the first edit, the route saw its end, and nothing else
            Eventually.await("the session's end written by the edited route", APPLIED,
                    () -> eventFiles().stream().anyMatch(name -> name.startsWith("SessionEnded")));
            assertEquals(List.of("PublisherLeft", "SessionEnded"),
                    eventFiles().stream().map(name -> name.substring(0, name.indexOf('-'))).sorted().toList());
            assertEquals(1, log.containing("Channel main: live, session").size());
        } finally {
            httpWatch.interrupt();
            httpWatch.join();
        }
        assertEquals(List.of(), httpFailures, "the HTTP side stopped answering during an edit");
    }

    @Test
    void eventsWaitForTheChannelRouteWhileItIsStoppedAndTheSessionGoesOn() throws Exception {
        URI playlist = playlist("main");
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        context.getRouteController().stopRoute("live-main");
        try (LogCapture log = LogCapture.open();
             Publisher publisher = Publisher.start(rtmpPort, KEY, 600, work.resolve("logs"))) {
            // let in and written to disk, but the lane has not been told of the session: nothing is published
            Eventually.await("segments on local disk", Duration.ofSeconds(30),
                    () -> localSegments().size() >= 2);
            assertEquals(404, get(playlist).statusCode());
            assertEquals(List.of(), log.containing("Channel main: live"));

            NotifyBuilder ended = sessionEnded("main");
            context.getRouteController().startRoute("live-main");
            Eventually.await("the waiting SessionStarted delivered and the session published", Duration.ofSeconds(30),
                    () -> lastListed(playlist).length() > 0);
            // the session-events route logs on a queue of its own: it may come after the first upload
            Eventually.await("the session reported live", Duration.ofSeconds(10),
                    () -> !log.containing("Channel main: live, session").isEmpty());
            int exit = publisher.stop(Duration.ofSeconds(20));
            assertTrue(exit == 0 || exit == 255, "the publisher was cut (exit " + exit + "):\n" + publisher.log());
            assertTrue(ended.matches(30, TimeUnit.SECONDS), "the session did not end");
            String text = get(playlist).body();
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            assertFalse(text.contains("#EXT-X-DISCONTINUITY"), text);
            for (String segment : OriginPoller.segments(text)) {
                assertEquals(200, getBytes(playlist.resolve(segment)).statusCode(), segment);
            }
            assertEquals(1, log.containing("Channel main: live, session").size(), "one session, never restarted");
        }
    }

    private List<String> localSegments() {
        try {
            return filesIn(channelFolder("main")).stream().filter(name -> name.endsWith(".ts")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private void edit(String file, String old, String replacement) throws IOException {
        Path path = routes.resolve(file);
        String content = Files.readString(path);
        assertTrue(content.contains(old), file + " has changed: the test's edit does not apply");
        Files.writeString(path, content.replace(old, replacement));
    }

    private void awaitReplaced(Route route) throws InterruptedException {
        String id = route.getRouteId();
        Eventually.await("route " + id + " replaced", APPLIED, () -> {
            Route now = context.getRoute(id);
            return now != null && now != route && context.getRouteController().getRouteStatus(id).isStarted();
        });
        assertNotEquals(route, context.getRoute(id));
    }

    private String lastListed(URI playlist) {
        try {
            List<String> segments = OriginPoller.segments(get(playlist).body());
            return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private HttpResponse<byte[]> lastListedSegment(URI playlist) {
        try {
            return getBytes(playlist.resolve(lastListed(playlist)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> eventFiles() {
        try {
            return Files.isDirectory(events) ? filesIn(events) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Asks the HTTP side every 100 ms, noting each answer that is not 200. */
    private Thread watchHttp(List<String> failures) {
        URI channels = URI.create("http://127.0.0.1:" + httpPort + "/api/channels");
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    int status = get(channels).statusCode();
                    if (status != 200) {
                        failures.add("/api/channels answered " + status);
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    failures.add("/api/channels: " + e);
                }
            }
        }, "http-watch");
        thread.start();
        return thread;
    }
}
