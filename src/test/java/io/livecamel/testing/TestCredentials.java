package io.livecamel.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * AWS credentials for tests, handed to the application the way users hand theirs: through the AWS SDK's default
 * provider chain, whose first source is the {@code aws.accessKeyId} and {@code aws.secretAccessKey} system
 * properties. Never real ones.
 */
public final class TestCredentials {

    public static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDTESTONLY", "test-only-secret");

    private TestCredentials() {
    }

    public static AwsBasicCredentials install() {
        System.setProperty("aws.accessKeyId", CREDENTIALS.accessKeyId());
        System.setProperty("aws.secretAccessKey", CREDENTIALS.secretAccessKey());
        return CREDENTIALS;
    }
}
