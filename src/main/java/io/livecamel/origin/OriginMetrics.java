package io.livecamel.origin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the origin side measures, per channel, in a Micrometer registry (scraped as Prometheus text at
 * {@code /observe/metrics}): segments uploaded and their bytes, upload failures, the upload backlog, the time from
 * a segment finished on disk to a playlist listing it being on the origin, and the publisher's bitrate.
 */
public final class OriginMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> publishDelays = new ConcurrentHashMap<>();

    public OriginMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void segmentUploaded(String channel, long bytes) {
        Counter.builder("streaming_segments_uploaded").description("Segments uploaded to the origin")
                .tag("channel", channel).register(registry).increment();
        DistributionSummary.builder("streaming_uploaded").baseUnit("bytes").description("Bytes of uploaded segments")
                .tag("channel", channel).register(registry).record(bytes);
    }

    /** An upload (segment or playlist) failed and will be retried. */
    public void uploadFailed(String channel) {
        Counter.builder("streaming_upload_failures").description("Uploads that failed (and were retried)")
                .tag("channel", channel == null ? "unknown" : channel).register(registry).increment();
    }

    void segmentListed(String channel, Duration sinceFinished) {
        publishDelays.computeIfAbsent(channel, c -> Timer.builder("streaming_segment_to_playlist")
                .description("From a segment finished on disk to a playlist listing it being on the origin")
                .tag("channel", c).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(sinceFinished);
    }

    /** Gauges read from the origin's state when scraped. */
    <T> void watch(String channel, T state, ToDoubleFunction<T> backlog, ToDoubleFunction<T> bitrate) {
        Gauge.builder("streaming_upload_backlog", state, backlog)
                .description("Finished segments on local disk not yet on the origin").tag("channel", channel)
                .register(registry);
        Gauge.builder("streaming_publisher_bitrate", state, bitrate).baseUnit("bits_per_second")
                .description("The publisher's bitrate over its last segments").tag("channel", channel)
                .register(registry);
    }
}
