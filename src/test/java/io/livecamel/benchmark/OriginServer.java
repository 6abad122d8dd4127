package io.livecamel.benchmark;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import io.livecamel.origin.EmbeddedOrigin;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The benchmark's S3 server in a process of its own, so that its CPU is not counted as the application's: the
 * same s3proxy as the embedded origin, on {@code args[0]} (port), storing under {@code args[1]}, bucket {@code live},
 * over HTTPS if given the key store {@code args[2]} (its password in ORIGIN_KEYSTORE_PASSWORD; the JVM then trusts
 * its certificate, for the warm-up below), with the credentials in
 * AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. It stops when its standard input closes.
 *
 * <p>It stands for S3, which is never cold: before it says it is ready it takes {@link #WARM_UP} uploads of
 * segments and playlists from a client of its own (and deletes them), so that no stack's first segments wait for
 * the S3 server's own class loading and JIT.
 */
public final class OriginServer {

    static final String KEYSTORE_PASSWORD = "ORIGIN_KEYSTORE_PASSWORD";
    static final int WARM_UP = 1500;

    private OriginServer() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedOrigin origin = new EmbeddedOrigin(Integer.parseInt(args[0]), Path.of(args[1]), "live",
                AwsBasicCredentials.create(System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY")),
                UnaryOperator.identity());
        if (args.length > 2) {
            origin.overTls(Path.of(args[2]), System.getenv(KEYSTORE_PASSWORD));
        }
        origin.start();
        warmUp(origin);
        System.out.println("origin ready on " + origin.endpoint());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the benchmark closes our input
        }
        origin.stop();
    }

    private static void warmUp(EmbeddedOrigin origin) throws Exception {
        byte[] segment = new byte[300_000];
        new java.util.Random(1).nextBytes(segment);
        String playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n" + "#EXTINF:1.000,\nwarm.ts\n".repeat(6);
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(origin.credentials()))
                .endpointOverride(origin.endpoint()).forcePathStyle(true).build()) {
            for (int i = 0; i < WARM_UP; i++) {
                String key = "warm-up/" + i % 10 + ".ts";
                s3.putObject(b -> b.bucket("live").key(key), RequestBody.fromBytes(segment));
                s3.putObject(b -> b.bucket("live").key("warm-up/index.m3u8").cacheControl("max-age=1"),
                        RequestBody.fromString(playlist));
            }
            for (int i = 0; i < 10; i++) {
                int n = i;
                s3.deleteObject(b -> b.bucket("live").key("warm-up/" + n + ".ts"));
            }
            s3.deleteObject(b -> b.bucket("live").key("warm-up/index.m3u8"));
        }
    }
}
