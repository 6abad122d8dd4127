package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.livecamel.hls.Session;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.OriginPoller;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.SegmentCapture;
import io.livecamel.testing.StreamingTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** A short live window: segments leave the playlist and the local disk as the stream goes on, never the origin. */
class LiveWindowIT extends StreamingTestSupport {

    @Override
    protected void settings(Properties properties) {
        properties.setProperty("streaming.hls.list-size", "3");
    }

    @Test
    void segmentsThatLeaveTheWindowLeaveTheDiskButStayAtTheOrigin() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        AtomicLong mostOnDisk = new AtomicLong();
        try (SegmentCapture capture = new SegmentCapture(channelFolder("main"), work.resolve("capture"));
             OriginPoller poller = new OriginPoller(playlist("main"), Duration.ofMillis(50));
             Publisher publisher = Publisher.start(rtmpPort, KEY, 10, work.resolve("logs"))) {
            while (publisher.isRunning()) {
                mostOnDisk.accumulateAndGet(filesIn(channelFolder("main")).stream()
                        .filter(name -> name.endsWith(".ts")).count(), Math::max);
                Thread.sleep(50); // sampling interval, not a wait for a condition
            }
            assertTrue(ended.matches(20, TimeUnit.SECONDS));
            assertEquals(List.of(), poller.violations());

            List<String> all = capture.segments();
            assertTrue(all.size() >= 9, all.toString());
            assertTrue(mostOnDisk.get() <= 5, "the window is 3 segments; the disk held " + mostOnDisk.get());
            String text = get(playlist("main")).body();
            assertEquals(all.subList(all.size() - 3, all.size()), OriginPoller.segments(text), text);
            assertTrue(text.contains("#EXT-X-MEDIA-SEQUENCE:" + (all.size() - 3)), text);
            assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
            List<String> stored = objectsAtOrigin("main");
            assertTrue(stored.containsAll(all), "every segment stays at the origin: " + stored);
            // the live playlist holds the window, the session's recording every segment
            String recording = get(playlist("main").resolve(
                    Session.ofSegment(all.get(0)) + "/index.m3u8")).body();
            assertEquals(all.stream().map(segment -> "../" + segment).toList(), OriginPoller.segments(recording),
                    recording);
            assertEquals(List.of(), filesIn(channelFolder("main")));
        }
    }
}
