package io.livecamel.rtmp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.livecamel.media.Amf0;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * One RTMP connection that publishes a stream to another server, as OBS does: the handshake, {@code connect} to the
 * URL's application, {@code releaseStream}, {@code FCPublish}, {@code createStream}, {@code publish}; once the server
 * says {@code NetStream.Publish.Start} the {@link Listener} is told and media may be sent; at the end
 * {@code FCUnpublish}, {@code deleteStream} and a close. Everything runs on the given event loops and nothing here
 * blocks: {@link #send} only queues, and its listener tells when the bytes went to the socket. The listener hears
 * {@link Listener#failed} once, whatever ends the connection before {@link #unpublish} or {@link #close}: an error
 * answer, the connection refused or closed, a protocol error. No message here quotes the stream key.
 */
public final class RtmpPush {

    /** What the connection tells its owner, on its event loop. */
    public interface Listener {
        /** The server took the stream: media may be sent. */
        void published();

        /** The connection failed or closed ({@code reason}, in words, without the key); said once. */
        void failed(String reason);
    }

    static final int CONTROL = 2;
    static final int COMMANDS = 3;
    private static final int AUDIO = 4;
    private static final int DATA = 5;
    private static final int VIDEO = 6;
    static final int STREAM_COMMANDS = 8;
    static final int CHUNK_SIZE = 4096;
    /** The socket's send buffer: what a stalled server may hold of ours besides the sender's own bound. */
    private static final int SEND_BUFFER = 256 * 1024;

    private final RtmpUrl url;
    private final Listener listener;
    private volatile Channel channel;
    private volatile int streamId;
    private volatile boolean over;

    private RtmpPush(RtmpUrl url, Listener listener) {
        this.url = url;
        this.listener = listener;
    }

    /**
     * Starts connecting to {@code url} on {@code loops}, its host name looked up on {@code resolver} (a lookup blocks,
     * and an event loop serves other connections); {@code tls} is the client context for {@code rtmps://} (host names
     * checked against the certificate), unused for {@code rtmp://}.
     */
    public static RtmpPush open(EventLoopGroup loops, Executor resolver, RtmpUrl url, SslContext tls,
            int connectTimeoutMillis, Listener listener) {
        RtmpPush push = new RtmpPush(url, listener);
        Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_SNDBUF, SEND_BUFFER)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        push.channel = channel;
                        if (push.over) {
                            channel.close(); // closed while it connected
                        }
                        if (url.tls()) {
                            SslHandler handler = tls.newHandler(channel.alloc(), url.host(), url.port());
                            var parameters = handler.engine().getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            handler.engine().setSSLParameters(parameters);
                            channel.pipeline().addLast("tls", handler);
                        }
                        ChunkDecoder decoder = new ChunkDecoder();
                        channel.pipeline().addLast("encoder", new ChunkEncoder());
                        channel.pipeline().addLast("handshake", new ClientHandshake(decoder));
                        channel.pipeline().addLast("conversation", new PushConversation(push));
                    }
                });
        CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(url.host());
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, resolver).whenComplete((address, problem) -> {
            if (push.over) {
                return; // closed while its host was looked up
            }
            if (problem != null) {
                push.fail("cannot find its host (" + push.describe(problem.getCause() == null ? problem
                        : problem.getCause()) + ")");
                return;
            }
            bootstrap.connect(new InetSocketAddress(address, url.port())).addListener(
                    (ChannelFutureListener) future -> {
                        if (!future.isSuccess()) {
                            push.fail("cannot connect (" + push.describe(future.cause()) + ")");
                        }
                    });
        });
        return push;
    }

    public RtmpUrl url() {
        return url;
    }

    /**
     * Queues one audio or video message ({@code type} 8 or 9) with its timestamp; {@code written} hears when its
     * bytes went to the socket (or failed to). Takes {@code payload} (releases it).
     */
    public void send(int type, long timestamp, ByteBuf payload, ChannelFutureListener written) {
        int chunkStream = type == RtmpMessage.VIDEO ? VIDEO : AUDIO;
        channel.writeAndFlush(new RtmpMessage(chunkStream, type, streamId, timestamp, payload)).addListener(written);
    }

    /** Queues the stream's metadata ({@code @setDataFrame onMetaData}), as OBS sends it before media. */
    public void metadata(Map<String, Object> values, long timestamp) {
        ByteBuf payload = channel.alloc().buffer();
        Amf0.write(payload, "@setDataFrame", "onMetaData", new LinkedHashMap<>(values));
        channel.writeAndFlush(new RtmpMessage(DATA, RtmpMessage.DATA_AMF0, streamId, timestamp, payload));
    }

    /**
     * Ends the stream properly after what is queued: {@code FCUnpublish}, {@code deleteStream}, then the connection
     * closes; within {@code timeoutMillis} whatever the server does.
     */
    public void unpublish(long timeoutMillis) {
        over = true;
        if (channel == null || !channel.isActive()) {
            close();
            return;
        }
        command(COMMANDS, 0, "FCUnpublish", 0.0, null, url.streamName());
        command(STREAM_COMMANDS, 0, "deleteStream", 0.0, null, (double) streamId);
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> channel.close(), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The server took the stream ({@code NetStream.Publish.Start}) on message stream {@code id}. */
    void published() {
        if (!over) {
            listener.published();
        }
    }

    /** The message stream {@code createStream} gave. */
    void streamId(int id) {
        streamId = id;
    }

    /** Closes the connection at once; the listener is not told. */
    public void close() {
        over = true;
        if (channel != null) {
            channel.close();
        }
    }

    void command(int chunkStream, int stream, Object... values) {
        ByteBuf payload = channel.alloc().buffer();
        Amf0.write(payload, values);
        channel.writeAndFlush(new RtmpMessage(chunkStream, RtmpMessage.COMMAND_AMF0, stream, 0, payload));
    }

    void fail(String reason) {
        if (!over) {
            over = true;
            if (channel != null) {
                channel.close();
            }
            listener.failed(reason);
        }
    }

    String describe(Throwable cause) {
        Throwable problem = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String message = problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage();
        return url.redact(message.replaceAll("^[^:]*Exception: ", ""));
    }
}
