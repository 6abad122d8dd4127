package io.livecamel.origin;

import java.time.Duration;

import io.livecamel.settings.StreamingSettings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the S3 client the upload routes use: one for the application, its HTTP connections kept open and shared by
 * every channel.
 */
public final class S3Clients {

    /**
     * The most connections to the origin at once: one for each channel uploading at that moment, and the API's and
     * recordings' requests (the HTTP client's own default, 50, would make a 64th channel wait for a connection).
     */
    static final int MAX_CONNECTIONS = 256;

    private S3Clients() {
    }

    /**
     * For AWS or an external S3-compatible service: credentials from the SDK's default provider chain
     * (environment, profile, instance or task role), never from this application's settings.
     */
    public static S3Client forSettings(StreamingSettings settings) {
        return build(settings, DefaultCredentialsProvider.builder().build());
    }

    /** For the embedded server, with the credentials it was started with. */
    public static S3Client forEmbedded(StreamingSettings settings, EmbeddedOrigin origin) {
        return build(settings, StaticCredentialsProvider.create(origin.credentials()));
    }

    private static S3Client build(StreamingSettings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.s3Region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(MAX_CONNECTIONS)
                        .expectContinueEnabled(false) // see BodyAtOnce
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                // S3-compatible servers do not all accept the SDK's newer streaming checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // over plain HTTP (an S3-compatible server nearby) the SDK signs every body: in one hash rather than
                // in signed 128-KiB chunks, which cost a fifth of an upload's CPU; over HTTPS nothing changes
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60))
                        .addExecutionInterceptor(new BodyAtOnce()));
        settings.s3Endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    /**
     * A PUT sends its body at once. The SDK asks S3 with {@code Expect: 100-continue} first whether it wants the body
     * of every PutObject, which costs a round trip (and the server a reply) before each segment and each playlist:
     * objects of a few hundred KB at most, which the origin takes. The HTTP client is told not to add it; this runs
     * after the SDK's own interceptors, so it takes away the header they add for PutObject. (Newer SDKs have
     * {@code S3Configuration.expectContinueEnabled} for this.)
     */
    static final class BodyAtOnce implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                ExecutionAttributes executionAttributes) {
            SdkHttpRequest request = context.httpRequest();
            return request.firstMatchingHeader("Expect").isPresent()
                    ? request.toBuilder().removeHeader("Expect").build() : request;
        }
    }
}
