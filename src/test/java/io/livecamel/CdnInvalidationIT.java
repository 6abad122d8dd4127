package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.testing.Eventually;
import io.livecamel.testing.FakeCloudFront;
import io.livecamel.testing.Listeners;
import io.livecamel.testing.Publisher;
import io.livecamel.testing.StreamingTestSupport;
import io.livecamel.testing.TestCredentials;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a stream ends and a CloudFront distribution is configured, the application asks CloudFront to invalidate the
 * channel's playlist. CloudFront cannot run here, so a fake endpoint checks the request the AWS SDK really sends.
 */
class CdnInvalidationIT extends StreamingTestSupport {

    private static final String DISTRIBUTION = "E2TESTDISTRIB";
    private static final Pattern PATH = Pattern.compile("<Path>/videos/([a-z]+)/index\\.m3u8</Path>");

    static {
        TestCredentials.install();
    }

    private FakeCloudFront cloudFront;

    @Override
    protected void settings(Properties properties) {
        try {
            cloudFront = new FakeCloudFront();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        properties.setProperty("streaming.cloudfront.distribution-id", DISTRIBUTION);
        properties.setProperty("streaming.cloudfront.endpoint", cloudFront.endpoint().toString());
        properties.setProperty("streaming.cloudfront.invalidation-interval", "1");
        properties.setProperty("streaming.channels.studio.key", "studio-key-0d8e7f6a5b4c");
    }

    @AfterEach
    void stopCloudFront() {
        cloudFront.close();
    }

    @Test
    void theEndOfAStreamAndTheNextSessionInvalidateTheChannelsPlaylistAndNothingElse() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
        }
        assertTrue(ended.matches(30, TimeUnit.SECONDS));
        // the channel went live (its first playlist) and its session ended: one or two invalidations, as the two
        // fell into one interval or two, the last one after the end
        int atTheEnd = cloudFront.requests().size();
        Eventually.await("the invalidation after the end", Duration.ofSeconds(20),
                () -> cloudFront.requests().size() > atTheEnd);
        assertTrue(cloudFront.requests().size() <= 2, cloudFront.requests().toString());

        for (FakeCloudFront.Request request : cloudFront.requests()) {
            assertEquals("POST", request.method());
            assertEquals("/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation", request.path());
            String body = request.body();
            assertTrue(body.contains("<Paths><Quantity>1</Quantity><Items><Path>/videos/main/index.m3u8</Path>"
                    + "</Items></Paths>"), "the playlist only, never a segment: " + body);
            assertTrue(body.matches("(?s).*<CallerReference>live-[0-9a-f-]{36}</CallerReference>.*"), body);
            String authorization = request.header("Authorization");
            assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential="
                    + TestCredentials.CREDENTIALS.accessKeyId() + "/"), authorization);
            assertTrue(authorization.contains("/us-east-1/cloudfront/aws4_request"),
                    "CloudFront is signed in us-east-1: " + authorization);
            assertFalse(body.contains(KEY));
        }
        assertEquals(cloudFront.requests().size(), cloudFront.requests().stream()
                .map(request -> request.body().replaceAll("(?s).*<CallerReference>(.*)</CallerReference>.*", "$1"))
                .distinct().count(), "each request has a caller reference of its own");
        assertEquals(200, get(playlist("main")).statusCode());
    }

    @Test
    void aFlappingPublisherCannotRunUpInvalidations() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        // two channels' sessions starting and ending as fast as events can be sent: 400 requests in about 2 s
        long start = System.nanoTime();
        for (int i = 0; i < 400; i++) {
            template.sendBodyAndHeader("direct:invalidate-cdn", null, StreamingHeaders.CHANNEL,
                    i % 2 == 0 ? "main" : "studio");
            if (i % 100 == 99) {
                Thread.sleep(500); // spreads the burst over several intervals, not a wait for a condition
            }
        }
        // one more, last: the invalidation that carries it carries everything sent before
        template.sendBodyAndHeader("direct:invalidate-cdn", null, StreamingHeaders.CHANNEL, "last");
        double seconds = (System.nanoTime() - start) / 1e9;
        Eventually.await("the last interval's invalidation", Duration.ofSeconds(10),
                () -> cloudFront.requests().stream().anyMatch(request -> request.body().contains("/videos/last/")));
        int requests = cloudFront.requests().size();
        // at most one request an interval (1 s here), each playlist once in each
        assertTrue(requests <= Math.ceil(seconds) + 2, requests + " requests in " + seconds + " s");
        for (FakeCloudFront.Request request : cloudFront.requests()) {
            List<String> paths = new ArrayList<>();
            Matcher path = PATH.matcher(request.body());
            while (path.find()) {
                paths.add(path.group(1));
            }
            assertEquals(paths.size(), new HashSet<>(paths).size(), "each playlist once: " + request.body());
            assertTrue(Set.of("main", "studio", "last").containsAll(paths), request.body());
            assertTrue(request.body().contains("<Quantity>" + paths.size() + "</Quantity>"), request.body());
        }
        System.out.printf("400 invalidation requests for 2 channels in %.1f s: %d CreateInvalidation calls; a month "
                + "of it at the default interval (60 s) is at most %d paths per channel%n", seconds, requests,
                30 * 24 * 60);
    }
}
