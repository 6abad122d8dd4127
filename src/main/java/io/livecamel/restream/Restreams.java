package io.livecamel.restream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.livecamel.rtmp.RtmpPush;
import io.livecamel.rtmp.RtmpUrl;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Restreaming for the whole application: the event loops every destination's connection runs on (their own, never
 * the RTMP server's), a thread for host name lookups, the TLS context for {@code rtmps://} (the JVM's trusted
 * authorities), the limits of each destination, a check for stalled destinations every second, and the meters
 * {@code streaming_restream_*} per channel and destination.
 */
public final class Restreams implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final long bufferBytes;
    private final long stallMillis;
    private final MeterRegistry registry;
    private final EventLoopGroup loops = new NioEventLoopGroup(2, new DefaultThreadFactory("restream", true));
    private final ExecutorService resolver = Executors.newCachedThreadPool(
            new DefaultThreadFactory("restream-lookup", true));
    private final SslContext tls;
    private final Map<Destination, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> stallCheck;

    private record Watched(Restream session, Meter[] meters) {
    }

    /**
     * {@code bufferBytes}: what a destination may have waiting before media is dropped up to the next keyframe;
     * {@code stallMillis}: how long one may take nothing (or not accept the stream) before it is reconnected;
     * {@code registry}: where the meters go (none when null).
     */
    public Restreams(long bufferBytes, long stallMillis, MeterRegistry registry) {
        this.bufferBytes = bufferBytes;
        this.stallMillis = stallMillis;
        this.registry = registry;
        try {
            this.tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client for rtmps:// destinations: " + e.getMessage(), e);
        }
        stallCheck = loops.scheduleAtFixedRate(() -> watched.keySet().forEach(Destination::checkStall), 1, 1,
                TimeUnit.SECONDS);
    }

    /** A session's destinations, none yet ({@link Restream#destinations}); its events go to {@code events}. */
    public Restream open(String channel, RestreamEvents events) {
        return new Restream(this, channel, events);
    }

    long bufferBytes() {
        return bufferBytes;
    }

    long stallMillis() {
        return stallMillis;
    }

    RtmpPush open(RtmpUrl url, RtmpPush.Listener listener) {
        return RtmpPush.open(loops, resolver, url, tls, CONNECT_TIMEOUT_MILLIS, listener);
    }

    ScheduledFuture<?> schedule(Runnable task, long millis) {
        return loops.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    void watch(Restream session, Destination destination) {
        Meter[] meters = new Meter[0];
        if (registry != null) {
            Tags tags = Tags.of("channel", session.channel(), "destination", destination.name());
            meters = new Meter[] {
                FunctionCounter.builder("streaming_restream_sent", destination, d -> d.counts().sent())
                        .baseUnit("bytes").description("Bytes of media sent to a restream destination")
                        .tags(tags).register(registry),
                FunctionCounter.builder("streaming_restream_dropped", destination, d -> d.counts().dropped())
                        .baseUnit("bytes").description("Bytes of media dropped for a destination that fell behind")
                        .tags(tags).register(registry),
                FunctionCounter.builder("streaming_restream_failures", destination, d -> d.counts().failures())
                        .description("Connections to a restream destination that failed").tags(tags)
                        .register(registry),
                Gauge.builder("streaming_restream_live", destination, d -> d.counts().live() ? 1 : 0)
                        .description("1 while a restream destination takes the stream, else 0").tags(tags)
                        .register(registry),
                Gauge.builder("streaming_restream_buffered", destination, d -> d.counts().buffered()).baseUnit("bytes")
                        .description("Bytes waiting for a restream destination").tags(tags).register(registry),
            };
        }
        watched.put(destination, new Watched(session, meters));
    }

    void forget(Restream session, Destination destination) {
        Watched gone = watched.remove(destination);
        if (gone != null && registry != null) {
            for (Meter meter : gone.meters()) {
                registry.remove(meter);
            }
        }
    }

    /** The destinations of the channel's session now, as the API shows them. */
    public List<DestinationView> views(String channel) {
        return watched.values().stream().map(Watched::session).filter(session -> session.channel().equals(channel))
                .distinct().flatMap(session -> session.views().stream()).toList();
    }

    /** Closes every connection at once (the application stops; sessions have ended before). */
    @Override
    public void close() {
        stallCheck.cancel(false);
        watched.keySet().forEach(Destination::end);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        resolver.shutdownNow();
    }
}
