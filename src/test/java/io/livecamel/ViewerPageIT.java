package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livecamel.testing.Browser;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A viewer in a real browser (Debian's Chromium) during a real publish: the channel list shows the channel live, the
 * player plays it, and the camera-to-screen delay is measured: the wall-clock time since the publisher sent a frame
 * minus that frame's position in the stream. Screenshots go to target/screenshots.
 */
class ViewerPageIT extends StreamingTestSupport {

    private static final Pattern PROGRAM_DATE_TIME = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)");
    private static final DateTimeFormatter FFMPEG_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    @BeforeAll
    static void needsChromium() {
        String missing = Browser.missing();
        if (missing != null) {
            System.out.println("ViewerPageIT skipped: " + missing);
        }
        assumeTrue(missing == null, missing);
    }

    @Test
    void theChannelPlaysInABrowserAndTheDelayIsMeasured() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        String site = "http://127.0.0.1:" + httpPort;
        long publisherStart = System.currentTimeMillis();
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 120, work.resolve("logs"), "640x360");
             Browser browser = Browser.open()) {
            browser.go(site + "/");
            Eventually.await("the channel list to show main live", Duration.ofSeconds(20),
                    () -> browser.text("tr[data-channel=main]").contains("LIVE"));
            browser.screenshot(Path.of("target", "screenshots", "channels.png"));

            browser.go(site + "/watch/main");
            Eventually.await("the video to play", Duration.ofSeconds(30),
                    () -> ((Number) browser.script("return document.getElementById('video').currentTime")).doubleValue() > 1);
            double before = ((Number) browser.script("return document.getElementById('video').currentTime")).doubleValue();
            // rebuffering: the video waits for data while it should be playing
            browser.script("window.stalls = 0; document.getElementById('video').addEventListener('waiting', "
                    + "() => window.stalls++)");
            long firstSegmentAt = programDateTimeOfFirstSegment();
            List<Double> delays = new ArrayList<>();
            long start = System.nanoTime();
            long until = start + Duration.ofSeconds(30).toNanos();
            Double after = null;
            while (System.nanoTime() < until) {
                if (after == null && System.nanoTime() - start >= Duration.ofSeconds(15).toNanos()) {
                    after = ((Number) browser.script("return document.getElementById('video').currentTime"))
                            .doubleValue();
                }
                @SuppressWarnings("unchecked")
                List<Number> sample = (List<Number>) browser.script(
                        "return [Date.now(), window.hlsPlayer && hlsPlayer.playingDate ? hlsPlayer.playingDate.getTime() : 0]");
                long now = sample.get(0).longValue();
                long playing = sample.get(1).longValue();
                if (playing > 0) {
                    // the frame on screen is (playing - firstSegmentAt) into the stream; the publisher sent it then
                    long sentAt = publisherStart + (playing - firstSegmentAt);
                    delays.add((now - sentAt) / 1000.0);
                }
                Thread.sleep(500); // sampling interval, not a wait for a condition
            }
            assertTrue(after - before >= 10, "the video advanced only " + (after - before) + " s in 15 s");
            assertEquals("LIVE", browser.text("#status"));
            browser.screenshot(Path.of("target", "screenshots", "watch.png"));

            long stalls = ((Number) browser.script("return window.stalls")).longValue();
            Collections.sort(delays);
            assertTrue(delays.size() >= 40, "too few delay samples: " + delays);
            double median = delays.get(delays.size() / 2);
            String figure = String.format(Locale.ROOT, "camera-to-screen delay: median %.2f s, min %.2f s, max %.2f s "
                    + "(%d samples over 30 s, 640x360 test pattern, 1-s segments); rebuffering: %d stalls",
                    median, delays.get(0), delays.get(delays.size() - 1), delays.size(), stalls);
            System.out.println(figure);
            Files.writeString(Path.of("target", "viewer-delay.txt"), figure + "\n");
            assertTrue(median > 0 && median < 10, figure);
            assertTrue(stalls <= 1, "the player rebuffered: " + figure);

            // the stream stops, then a new session starts: the open page shows it and plays again by itself
            String firstSession = (String) browser.script("return window.player.sessionId");
            publisher.kill();
            Eventually.await("the page to show the channel offline", Duration.ofSeconds(20),
                    () -> "offline".equals(browser.text("#status")));
            // offline shows as soon as the publisher has gone; a publisher back within the reconnect grace would
            // continue the same session
            Eventually.await("the first session to end at the origin", Duration.ofSeconds(20),
                    () -> playlistEnded());
            try (Publisher again = Publisher.start(rtmpPort, KEY, 30, work.resolve("logs"), "640x360")) {
                Eventually.await("the page to pick up the new session", Duration.ofSeconds(30),
                        () -> !firstSession.equals(browser.script("return window.player.sessionId"))
                                && "LIVE".equals(browser.text("#status")));
                double restartedAt = currentTime(browser);
                Eventually.await("the new session to play", Duration.ofSeconds(30),
                        () -> currentTime(browser) > restartedAt + 3);

                // the first session is among the past sessions: chosen, it plays from its start
                browser.go(site + "/watch/main"); // the list refreshes itself every 15 s
                Eventually.await("the first session among the past ones", Duration.ofSeconds(30),
                        () -> (Boolean) browser.script("return document.querySelector("
                                + "'#recordings a[data-session=\"" + firstSession + "\"]') !== null"));
                browser.script("document.querySelector('#recordings a[data-session=\"" + firstSession
                        + "\"]').click()");
                Eventually.await("the recording to start", Duration.ofSeconds(30),
                        () -> browser.script("return window.player.recording") != null && currentTime(browser) > 0);
                double startedAt = currentTime(browser);
                assertTrue(startedAt < 5, "the recording plays from its start, not at " + startedAt + " s");
                assertTrue(browser.script("return window.player.recording").toString()
                        .endsWith("/videos/main/" + firstSession + "/index.m3u8"));
                Eventually.await("the recording to play on", Duration.ofSeconds(30),
                        () -> currentTime(browser) > startedAt + 3);
                browser.screenshot(Path.of("target", "screenshots", "recording.png"));
            }
        }
    }

    private boolean playlistEnded() {
        try {
            return get(playlist("main")).body().contains("#EXT-X-ENDLIST");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double currentTime(Browser browser) {
        return ((Number) browser.script("return document.getElementById('video').currentTime")).doubleValue();
    }

    private long programDateTimeOfFirstSegment() throws Exception {
        String playlist = get(URI.create(playlist("main").toString())).body();
        Matcher first = PROGRAM_DATE_TIME.matcher(playlist);
        assertTrue(first.find(), playlist);
        assertTrue(playlist.contains("#EXT-X-MEDIA-SEQUENCE:0"), "the first segment is still listed: " + playlist);
        return OffsetDateTime.parse(first.group(1), FFMPEG_DATE).toInstant().toEpochMilli();
    }
}
