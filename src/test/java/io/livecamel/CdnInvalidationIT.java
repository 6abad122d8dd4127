package io.livecamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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
    }

    @AfterEach
    void stopCloudFront() {
        cloudFront.close();
    }

    @Test
    void theEndOfAStreamInvalidatesTheChannelsPlaylistAndNothingElse() throws Exception {
        Listeners.awaitListening(rtmpPort, Duration.ofSeconds(20));
        NotifyBuilder ended = sessionEnded("main");
        try (Publisher publisher = Publisher.start(rtmpPort, KEY, 3, work.resolve("logs"))) {
            assertEquals(0, publisher.await(Duration.ofSeconds(30)), publisher.log());
        }
        assertTrue(ended.matches(30, TimeUnit.SECONDS));
        Eventually.await("the invalidation request", Duration.ofSeconds(20), () -> !cloudFront.requests().isEmpty());

        FakeCloudFront.Request request = cloudFront.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation", request.path());
        String body = request.body();
        assertTrue(body.contains("<Paths><Quantity>1</Quantity><Items><Path>/videos/main/index.m3u8</Path></Items></Paths>"),
                body);
        assertTrue(body.matches("(?s).*<CallerReference>main-[0-9a-f-]{36}</CallerReference>.*"), body);
        String authorization = request.header("Authorization");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential="
                + TestCredentials.CREDENTIALS.accessKeyId() + "/"), authorization);
        assertTrue(authorization.contains("/us-east-1/cloudfront/aws4_request"), "CloudFront is signed in us-east-1: "
                + authorization);
        assertFalse(body.contains(KEY));
        assertEquals(200, get(playlist("main")).statusCode());

        assertEquals(1, cloudFront.requests().size(), "one invalidation per ended stream, none for segments");
    }
}
