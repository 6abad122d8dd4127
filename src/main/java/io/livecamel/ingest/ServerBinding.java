package io.livecamel.ingest;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.livecamel.rtmp.RtmpServer;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one port of the RTMP server bound: a port that is taken (an earlier run still stopping, another program) is
 * tried again after a back-off that doubles from 250 ms up to 10 s, and the health check says so meanwhile.
 */
final class ServerBinding {

    private static final Logger LOG = LoggerFactory.getLogger(ServerBinding.class);
    static final long MAX_BACKOFF_MILLIS = 10_000;

    private final RtmpServer server;
    private final String name;
    private final int port;
    private final SslContext tls;
    private final ListenerStates states;
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;
    private volatile Channel bound;

    ServerBinding(RtmpServer server, String name, int port, SslContext tls, ListenerStates states,
            ScheduledExecutorService timer) {
        this.server = server;
        this.name = name;
        this.port = port;
        this.tls = tls;
        this.states = states;
        this.timer = timer;
    }

    void start() {
        bind(0);
    }

    private void bind(long backoff) {
        if (stopped) {
            return;
        }
        try {
            bound = server.listen("0.0.0.0", port, tls);
            states.set(name, ListenerStates.LISTENING, name.toUpperCase(java.util.Locale.ROOT) + " port " + port);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return;
            }
            long next = nextBackoff(backoff);
            LOG.warn("The {} server cannot listen on port {} ({}); trying again in {} ms",
                    name.toUpperCase(java.util.Locale.ROOT), port, e.getMessage(), next);
            states.set(name, ListenerStates.FAILING, "cannot listen on port " + port + "; next try in " + next
                    + " ms");
            timer.schedule(() -> bind(next), next, TimeUnit.MILLISECONDS);
        }
    }

    /** The wait after one that was {@code last} ms (0: the first failure): 250 ms, doubling up to 10 s. */
    static long nextBackoff(long last) {
        return last == 0 ? 250 : Math.min(last * 2, MAX_BACKOFF_MILLIS);
    }

    void stop() {
        stopped = true;
        Channel channel = bound;
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        states.remove(name);
    }
}
