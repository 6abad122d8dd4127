package io.livecamel.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.livecamel.settings.StreamingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** The requests the S3 client actually sends, as a server receives them. */
class S3ClientsTest {

    private record Received(String method, String path, Headers headers, byte[] body) {
    }

    @TempDir
    Path store;
    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            // a server that honours Expect: 100-continue answers it before the body (the JDK's does)
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), body));
            exchange.getResponseHeaders().add("ETag", "\"1\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aPutGoesSignedWithItsBodyAtOnce() {
        int port = server.getAddress().getPort();
        StreamingSettings settings = StreamingSettings.read(name -> Optional.ofNullable(Map.of(
                "streaming.s3.embedded-port", Integer.toString(port)).get(name)));
        byte[] segment = new byte[300_000];
        new java.util.Random(7).nextBytes(segment);
        try (S3Client s3 = S3Clients.forEmbedded(settings, new EmbeddedOrigin(port, store, "live"))) {
            s3.putObject(PutObjectRequest.builder().bucket("live").key("videos/main/a-1-00001.ts")
                    .contentType("video/mp2t").build(), RequestBody.fromBytes(segment));
        }
        assertEquals(1, received.size());
        Received put = received.get(0);
        assertEquals("PUT", put.method());
        assertEquals("/live/videos/main/a-1-00001.ts", put.path());
        assertNull(put.headers().getFirst("Expect"), "no Expect: 100-continue, no round trip before the body");
        assertNotNull(put.headers().getFirst("Authorization"), "signed");
        assertArrayEquals(segment, put.body());
    }
}
