package io.livecamel.rtmp;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.livecamel.media.Publishers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP server every channel publishes to: one port for all (1935), the stream key picks the channel. Plain RTMP
 * and, with a certificate, RTMPS (the same protocol inside TLS) on a port of its own. A fixed, small number of
 * event-loop threads serves every connection; no call on them blocks (media goes to the application through
 * {@link Publishers}, which hands it to other threads). At most {@link RtmpLimits#maxConnections()} connections are
 * open at once; each one's memory is bounded by the chunk decoder, and its time by the handshake and publish
 * timeouts and an idle timeout while publishing ({@link RtmpLimits}).
 */
public final class RtmpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpServer.class);
    private final Publishers publishers;
    private final RtmpLimits limits;
    private final EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("rtmp-accept", true));
    private final EventLoopGroup workers = new NioEventLoopGroup(2, new DefaultThreadFactory("rtmp", true));
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastLimitWarning = new AtomicLong();

    public RtmpServer(Publishers publishers) {
        this(publishers, RtmpLimits.DEFAULT);
    }

    public RtmpServer(Publishers publishers, RtmpLimits limits) {
        this.publishers = publishers;
        this.limits = limits;
    }

    /**
     * Listens on a port: plain RTMP without {@code tls}, RTMPS with it. Throws if the port cannot be bound (taken).
     */
    public Channel listen(String host, int port, SslContext tls) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connection(channel, tls);
                    }
                });
        Channel server = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        LOG.info("{} server listening on port {}", tls == null ? "RTMP" : "RTMPS", port);
        return server;
    }

    private void connection(SocketChannel channel, SslContext tls) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            long now = System.nanoTime();
            long last = lastLimitWarning.get();
            if (now - last > TimeUnit.SECONDS.toNanos(10) && lastLimitWarning.compareAndSet(last, now)) {
                LOG.warn("RTMP: {} connections are open, the most taken; new ones are closed at once "
                        + "(this warning is repeated at most every 10 s)", limits.maxConnections());
            }
            channel.close();
            return;
        }
        channel.closeFuture().addListener(future -> open.decrementAndGet());
        if (tls != null) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        install(channel.pipeline(), publishers, limits, tls == null ? "rtmp" : "rtmps");
    }

    /** The handlers of one connection, after TLS if any: the same for the server and its tests. */
    static void install(ChannelPipeline pipeline, Publishers publishers, RtmpLimits limits, String scheme) {
        ChunkDecoder decoder = new ChunkDecoder();
        PublishHandler handler = new PublishHandler(publishers, limits, decoder);
        pipeline.addLast("first-bytes", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                handler.bytesArrived();
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
            }
        });
        pipeline.addLast("idle", new IdleStateHandler(limits.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        pipeline.addLast("encoder", new ChunkEncoder());
        pipeline.addLast("handshake", new Handshake(decoder));
        pipeline.addLast("commands", new ConnectCommands(scheme));
        pipeline.addLast("publish", handler);
    }

    /** Connections open now. */
    public int connections() {
        return open.get();
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
