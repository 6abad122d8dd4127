package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.FlvListener;
import io.livecamel.testing.FreePort;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.LogCapture;
import io.livecamel.testing.NginxRtmp;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.Recording;
import io.livecamel.testing.StreamingTestSupport;
import io.livecamel.testing.TlsFront;
import io.livecamel.testing.WebhookReceiver;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Restreaming to RTMP servers no one here wrote: nginx-rtmp recording what it receives ({@code record all}) and
 * ffmpeg as a server ({@code -listen 1}); each recording is read by ffprobe (codecs, duration, every packet's
 * timestamp); and nginx again through a TLS front ({@code rtmps://}), whose certificate is checked. The destinations'
 * keys appear in no log line, event, metric or API answer.
 */
class RestreamIT extends StreamingTestSupport {

    private static final String NGINX_KEY = "nginx-destination-key-4d1f0c";
    private static final String FFMPEG_KEY = "ffmpeg-destination-key-9b7e2a";
    private static final String TLS_KEY = "tls-destination-key-1c8e5b";
    private static final String WRONG_NAME_KEY = "wrong-name-destination-key-7a2d9f";
    private static final String[] TRUST = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
        "javax.net.ssl.trustStoreType"};
    /** The publisher's keyframe interval (Publisher: 1 s): a destination may start up to this late. */
    private static final double GOP = 1.0;

    private NginxRtmp nginx;
    private FlvListener listener;
    private WebhookReceiver webhook;
    private TlsFront tls;
    private final String[] trustBefore = new String[TRUST.length];
    private final LogCapture logs = LogCapture.open();

    @Override
    protected void settings(Properties properties) {
        Recording.assumeProbe();
        try {
            nginx = NginxRtmp.start(work.resolve("nginx"), FreePort.find(), Map.of("live", "record all; record_path "
                    + work.resolve("nginx-recordings") + "; record_unique on;"));
            Files.createDirectories(work.resolve("nginx-recordings"));
            listener = FlvListener.start(FFMPEG_KEY, work.resolve("ffmpeg").resolve("recording.flv"));
            webhook = new WebhookReceiver();
            tls = TlsFront.start(work.resolve("tls"), nginx.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        properties.setProperty("streaming.reconnect-grace", "4");
        properties.setProperty("streaming.webhook.url", webhook.url().toString());
        // rtmps:// through the TLS front to nginx, trusted as a provider's certificate would be (the JVM's trust
        // store); and one whose host name is not the certificate's
        for (int i = 0; i < TRUST.length; i++) {
            trustBefore[i] = System.getProperty(TRUST[i]);
        }
        System.setProperty(TRUST[0], tls.trustStore().toString());
        System.setProperty(TRUST[1], "changeit");
        System.setProperty(TRUST[2], "PKCS12");
        properties.setProperty("streaming.channels.main.restream", String.join(",", "rtmp://127.0.0.1:"
                + nginx.port() + "/live/" + NGINX_KEY, listener.url(FFMPEG_KEY), "rtmps://127.0.0.1:" + tls.port()
                + "/live/" + TLS_KEY, "rtmps://localhost:" + tls.port() + "/live/" + WRONG_NAME_KEY));
    }

    @AfterEach
    void stopDestinations() throws InterruptedException {
        logs.close();
        for (int i = 0; i < TRUST.length; i++) {
            if (trustBefore[i] == null) {
                System.clearProperty(TRUST[i]);
            } else {
                System.setProperty(TRUST[i], trustBefore[i]);
            }
        }
        if (tls != null) {
            tls.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void eachDestinationGetsTheStreamAsItCameAndNoKeyIsShown() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        String api;
        String metrics;
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 30, work.resolve("logs"))) {
            Eventually.await("three destinations live in /api/channels", Duration.ofSeconds(30),
                    () -> channels().split("\"state\":\"live\"", -1).length == 4);
            Eventually.await("bytes sent to them", Duration.ofSeconds(10),
                    () -> channels().split("\"bytesSent\":0", -1).length == 2);
            api = channels();
            metrics = get(URI.create("http://127.0.0.1:" + httpPort + "/observe/metrics")).body();
            assertEquals(0, publisher.await(Duration.ofSeconds(60)), publisher.log());
        }
        assertTrue(ended.matches(30, java.util.concurrent.TimeUnit.SECONDS), "the session ended");
        // at the end, each destination got FCUnpublish and deleteStream, then the connection closed
        assertTrue(listener.awaitEnd(Duration.ofSeconds(20)), "ffmpeg's stream ended: " + listener.log());
        Eventually.await("deleteStream at nginx", Duration.ofSeconds(10), () -> nginxLog().contains("deleteStream"));
        for (Recording recording : recordings()) {
            assertEquals(List.of("h264", "aac"), recording.codecs(), recording.toString());
            assertTrue(recording.duration() >= 30 - GOP - 0.1 && recording.duration() <= 30.1, recording.toString());
            assertEquals(List.of(), recording.backwards(), recording.toString());
            assertTrue(recording.largestGap("video") < 0.2, "video is continuous: " + recording.largestGap("video"));
        }
        // the destinations by their host and a short hash, with the bytes sent, in the API, the meters, the events
        assertTrue(api.matches(".*\"restream\":\\[\\{\"destination\":\"127\\.0\\.0\\.1#[0-9a-f]{6}\",\"state\":"
                + "\"live\",\"lastError\":null,\"bytesSent\":[1-9][0-9]*}.*"), api);
        assertTrue(metrics.contains("streaming_restream_sent_bytes_total{channel=\"main\",destination=\"127.0.0.1#"),
                metrics);
        Eventually.await("RestreamStarted three times at the webhook", Duration.ofSeconds(10),
                () -> webhook.names().stream().filter("RestreamStarted"::equals).count() == 3);
        // a certificate for another name is refused, and said so once, while the destination is retried
        String wrongName = io.livecamel.rtmp.RtmpUrl.parse("rtmps://localhost:" + tls.port() + "/live/"
                + WRONG_NAME_KEY).name();
        assertTrue(api.matches(".*\\{\"destination\":\"" + wrongName + "\",\"state\":\"retrying\",\"lastError\":\"the "
                + "connection failed \\([^\"]*localhost[^\"]*\\)\".*"), api); // the JDK's words for a name mismatch
        assertEquals(1, webhook.events().stream().filter(event -> "RestreamFailed".equals(event.get("event"))
                && wrongName.equals(event.get("destination"))).count(), webhook.events().toString());
        assertEquals(1, logs.containing("restream to " + wrongName + " failed").size(), "one WARN");
        List<String> shown = new ArrayList<>(logs.lines());
        shown.add(api);
        shown.add(metrics);
        webhook.events().forEach(event -> shown.add(event.toString()));
        for (String key : List.of(NGINX_KEY, FFMPEG_KEY, TLS_KEY, WRONG_NAME_KEY)) {
            assertFalse(shown.stream().anyMatch(text -> text.contains(key)), "a destination's key was shown");
        }
        assertTrue(shown.stream().anyMatch(text -> text.contains("restreaming to 127.0.0.1#")), "the log names them");
    }

    @Test
    void aPublisherThatComesBackKeepsEachDestinationsClockGoing() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (Publisher first = Publisher.start(rtmpPort, KEY, 6, work.resolve("logs"))) {
            assertEquals(0, first.await(Duration.ofSeconds(30)), first.log());
        }
        Eventually.await("PublisherLeft at the webhook", Duration.ofSeconds(10),
                () -> webhook.names().contains("PublisherLeft"));
        try (Publisher second = Publisher.start(rtmpPort, KEY, 6, work.resolve("logs"))) {
            assertEquals(0, second.await(Duration.ofSeconds(30)), second.log());
        }
        assertTrue(ended.matches(30, java.util.concurrent.TimeUnit.SECONDS), "the session ended");
        assertTrue(listener.awaitEnd(Duration.ofSeconds(20)), "ffmpeg's stream ended: " + listener.log());
        assertEquals(2, nginx.log().split("publish: name=", -1).length - 1, "one connection to nginx throughout "
                + "for each of its two destinations");
        for (Recording recording : recordings()) {
            assertEquals(List.of(), recording.backwards(), recording.toString());
            // the second connection goes on one frame after the first: no jump, no step back
            assertTrue(recording.largestGap("video") < 0.2, "video is continuous: " + recording.largestGap("video"));
            assertTrue(recording.largestGap("audio") < 0.5, "audio is continuous: " + recording.largestGap("audio"));
            assertTrue(recording.duration() >= 12 - GOP - 0.2 && recording.duration() <= 12.2, recording.toString());
        }
    }

    /** What the three destinations that took the stream recorded: nginx, ffmpeg, nginx through TLS. */
    private List<Recording> recordings() throws IOException, InterruptedException {
        Path nginxFolder = work.resolve("nginx-recordings");
        return List.of(Recording.probe(Recording.recordedBy(nginxFolder, NGINX_KEY)), Recording.probe(listener.file()),
                Recording.probe(Recording.recordedBy(nginxFolder, TLS_KEY)));
    }

    private String channels() {
        try {
            return get(URI.create("http://127.0.0.1:" + httpPort + "/api/channels")).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String nginxLog() {
        try {
            return nginx.log();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
