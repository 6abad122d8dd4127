package io.livecamel.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * A TLS front, as a provider's RTMPS ingest has: it takes TLS on a port of 127.0.0.1 with a certificate for the IP
 * address 127.0.0.1 (made by openssl), and relays the plain bytes to a server behind it. {@link #trustStore} is a
 * PKCS#12 trust store holding that certificate, for a client that must trust it.
 */
public final class TlsFront implements AutoCloseable {

    private final EventLoopGroup loops = new NioEventLoopGroup(1);
    private final int port;
    private final Path trustStore;

    private TlsFront(int port, Path trustStore) {
        this.port = port;
        this.trustStore = trustStore;
    }

    /** Makes the certificate in {@code folder} and relays TLS on a free port to {@code 127.0.0.1:target}. */
    public static TlsFront start(Path folder, int target) throws IOException, InterruptedException {
        boolean openssl = Files.isExecutable(Path.of("/usr/bin/openssl"));
        if (!openssl) {
            System.out.println("SKIPPED: /usr/bin/openssl is missing (apt-get install openssl; .ci/run does)");
        }
        assumeTrue(openssl, "openssl is missing");
        Files.createDirectories(folder);
        Path cert = folder.resolve("cert.pem");
        Path key = folder.resolve("key.pem");
        Process make = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String output = new String(make.getInputStream().readAllBytes());
        assertTrue(make.waitFor(60, TimeUnit.SECONDS) && make.exitValue() == 0, output);
        Path trustStore = folder.resolve("trust.p12");
        try (InputStream in = Files.newInputStream(cert); OutputStream out = Files.newOutputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("front", CertificateFactory.getInstance("X.509").generateCertificate(in));
            store.store(out, "changeit".toCharArray());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        TlsFront front = new TlsFront(FreePort.find(), trustStore);
        front.listen(SslContextBuilder.forServer(cert.toFile(), key.toFile()).build(), target);
        return front;
    }

    private void listen(SslContext tls, int target) throws InterruptedException {
        new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel inbound) {
                        inbound.pipeline().addLast(tls.newHandler(inbound.alloc()), new Relay(target));
                    }
                }).bind("127.0.0.1", port).sync();
    }

    /** Relays one TLS connection's plain bytes to the target and back. */
    private final class Relay extends ChannelInboundHandlerAdapter {

        private final int target;
        /** The connection to the target: bytes wait for it (one event loop: they keep their order). */
        private io.netty.channel.ChannelFuture outbound;

        Relay(int target) {
            this.target = target;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            outbound = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext back, Object msg) {
                            inbound.writeAndFlush(msg);
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext back) {
                            inbound.close();
                        }
                    }).connect("127.0.0.1", target).addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            inbound.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            outbound.addListener((ChannelFutureListener) connected -> {
                if (connected.isSuccess()) {
                    connected.channel().writeAndFlush(msg);
                } else {
                    io.netty.util.ReferenceCountUtil.release(msg);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            outbound.channel().close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public int port() {
        return port;
    }

    /** A PKCS#12 trust store (password {@code changeit}) that holds the front's certificate. */
    public Path trustStore() {
        return trustStore;
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
