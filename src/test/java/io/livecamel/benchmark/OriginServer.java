package io.livecamel.benchmark;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import io.livecamel.origin.EmbeddedOrigin;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The benchmark's S3 server in a process of its own, so that its CPU is not counted as the application's: the
 * same s3proxy as the embedded origin, on {@code args[0]} (port), storing under {@code args[1]}, bucket {@code live},
 * over HTTPS if given the key store {@code args[2]} (its password in ORIGIN_KEYSTORE_PASSWORD), with the credentials in
 * AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. It stops when its standard input closes.
 */
public final class OriginServer {

    static final String KEYSTORE_PASSWORD = "ORIGIN_KEYSTORE_PASSWORD";

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
        System.out.println("origin ready on " + origin.endpoint());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the benchmark closes our input
        }
        origin.stop();
    }
}
