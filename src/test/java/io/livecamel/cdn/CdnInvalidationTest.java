package io.livecamel.cdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.livecamel.settings.StreamingSettings;
import io.livecamel.testing.FakeCloudFront;
import io.livecamel.testing.TestCredentials;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

class CdnInvalidationTest {

    static {
        TestCredentials.install();
    }

    private static StreamingSettings settings(Map<String, String> values) {
        return StreamingSettings.read(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void theRequestForRealCloudFrontGoesToItsGlobalEndpointSignedForUsEast1() {
        AtomicReference<SdkHttpRequest> sent = new AtomicReference<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.set(context.httpRequest());
                throw new IllegalStateException("captured, not sent");
            }
        };
        StreamingSettings settings = settings(Map.of("streaming.cloudfront.distribution-id", "E2EXAMPLE"));
        try (CdnInvalidation cdn = new CdnInvalidation(settings, builder ->
                builder.overrideConfiguration(o -> o.addExecutionInterceptor(capture)))) {
            assertThrows(RuntimeException.class, () -> cdn.invalidatePlaylists(List.of("main")));
        }
        SdkHttpRequest request = sent.get();
        assertEquals("https", request.protocol());
        assertEquals("cloudfront.amazonaws.com", request.host());
        assertEquals("/2020-05-31/distribution/E2EXAMPLE/invalidation", request.encodedPath());
        String authorization = request.firstMatchingHeader("Authorization").orElseThrow();
        assertTrue(authorization.contains("/us-east-1/cloudfront/aws4_request"), authorization);
    }

    @Test
    void anInvalidationIsAcceptedByAnEndpointThatAnswersAsCloudFrontDoes() throws Exception {
        try (FakeCloudFront cloudFront = new FakeCloudFront();
             CdnInvalidation cdn = new CdnInvalidation(settings(Map.of(
                     "streaming.cloudfront.distribution-id", "E2EXAMPLE",
                     "streaming.cloudfront.endpoint", cloudFront.endpoint().toString())))) {
            assertEquals("I1TESTINVALIDATION", cdn.invalidatePlaylists(List.of("studio", "main", "studio")));
            assertEquals(1, cloudFront.requests().size());
            String authorization = cloudFront.requests().get(0).header("Authorization");
            assertTrue(authorization.contains("/us-east-1/cloudfront/aws4_request"), authorization);
            String body = cloudFront.requests().get(0).body();
            assertTrue(body.contains("<Paths><Quantity>2</Quantity><Items><Path>/videos/main/index.m3u8</Path>"
                    + "<Path>/videos/studio/index.m3u8</Path></Items></Paths>"), "each playlist once: " + body);
        }
    }
}
