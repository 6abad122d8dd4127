package io.livecamel.rtmp;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What one RTMP server lets a network client take: time before it completes the handshake, time between the
 * handshake and {@code publish}, silence while publishing, and connections open at once. The defaults are what
 * the application runs with; tests give short ones, so that a timeout is seen in milliseconds.
 */
public record RtmpLimits(Duration handshakeTimeout, Duration publishTimeout, Duration idleTimeout,
        int maxConnections) {

    public static final RtmpLimits DEFAULT = new RtmpLimits(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(10), 1024);

    public RtmpLimits {
        for (Duration timeout : new Duration[] {handshakeTimeout, publishTimeout, idleTimeout}) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("an RTMP timeout must be positive: " + timeout);
            }
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be 1 or more: " + maxConnections);
        }
    }

    /** A duration as the log says it: {@code 5 s}, {@code 0.25 s}. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
