package io.livecamel.rtmp;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What one RTMP server lets a network client take: time before it completes the handshake, time between the
 * handshake and {@code publish}, silence while publishing, and connections open at once; and the time the
 * application may take to decide on a publish (past it the publisher is refused). The defaults are what
 * the application runs with; tests give short ones, so that a timeout is seen in milliseconds.
 */
public record RtmpLimits(Duration handshakeTimeout, Duration publishTimeout, Duration idleTimeout,
        Duration decisionTimeout, int maxConnections) {

    public static final RtmpLimits DEFAULT = new RtmpLimits(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofSeconds(5), 1024);

    public RtmpLimits {
        for (Duration timeout : new Duration[] {handshakeTimeout, publishTimeout, idleTimeout, decisionTimeout}) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("an RTMP timeout must be positive: " + timeout);
            }
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be 1 or more: " + maxConnections);
        }
    }

    /** These limits with another time for the application's decision. */
    public RtmpLimits withDecisionTimeout(Duration timeout) {
        return new RtmpLimits(handshakeTimeout, publishTimeout, idleTimeout, timeout, maxConnections);
    }

    /** A duration as the log says it: {@code 5 s}, {@code 0.25 s}. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
