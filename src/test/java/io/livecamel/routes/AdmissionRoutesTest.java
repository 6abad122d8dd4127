package io.livecamel.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.livecamel.admission.BackendAnswer;
import io.livecamel.admission.HttpBackend;
import io.livecamel.ingest.AdmissionException;
import io.livecamel.ingest.IngestComponent;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.testing.FreePort;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission route ({@code routes-yaml/admission.camel.yaml}) as shipped, branch by branch, with the real beans and
 * a real HTTP backend in the test (the JDK's server): the channels' keys, then every answer of a backend (admit with
 * metadata and a recording flag, rename by 3xx, refuse, a 2xx without a channel, 5xx, nonsense, too long, too slow,
 * down), the request's fields and its signature, and the re-check of a live publisher.
 */
class AdmissionRoutesTest {

    private static final String KEY = "main-key-0123456789";
    private static final String SECRET = "backend-secret";

    private CamelContext context;
    private HttpServer backend;
    private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();
    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private volatile Consumer<HttpExchange> answer;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    /** The routes, with the component's channel main (KEY) and, when {@code url} is given, the HTTP backend. */
    private void start(String url) throws Exception {
        start(url, new Properties());
    }

    private void start(String url, Properties properties) throws Exception {
        context = new DefaultCamelContext();
        if (url != null) {
            properties.setProperty("streaming.admission.url", url);
            context.getRegistry().bind("admissionBackend", new HttpBackend(URI.create(url), SECRET,
                    Duration.ofMillis(800)));
        }
        context.getPropertiesComponent().setInitialProperties(properties);
        IngestComponent ingest = new IngestComponent();
        context.addComponent(IngestComponent.SCHEME, ingest);
        context.getRegistry().bind("ingest", new io.livecamel.ingest.IngestCalls(ingest));
        context.getRegistry().bind("backendAnswer", new BackendAnswer());
        var resources = PluginHelper.getResourceLoader(context);
        PluginHelper.getRoutesLoader(context).loadRoutes(List.of(
                resources.resolveResource("file:routes-yaml/admission.camel.yaml")));
        context.getEndpoint(IngestComponent.SCHEME + ":main?publishKey=RAW(" + KEY + ")"); // declares main
        context.start();
    }

    private String startBackend() throws IOException {
        int port = FreePort.find();
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        backend.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        backend.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new LinkedHashMap<>();
            for (String field : body.split("&")) {
                String[] parts = field.split("=", 2);
                form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8));
            }
            forms.add(form);
            signatures.add(exchange.getRequestHeaders().getFirst(HttpBackend.SIGNATURE) + " " + body);
            answer.accept(exchange);
            exchange.close();
        });
        backend.start();
        return "http://127.0.0.1:" + port + "/hook";
    }

    private static Consumer<HttpExchange> answers(int status, String location, String body) {
        return exchange -> {
            try {
                if (location != null) {
                    exchange.getResponseHeaders().add("Location", location);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private Exchange ask(String call, String key, Map<String, String> query) {
        return context.createProducerTemplate().send("direct:admit-publisher", exchange -> {
            var message = exchange.getMessage();
            message.setHeader(StreamingHeaders.CALL, call);
            message.setHeader(StreamingHeaders.PROTOCOL, "RTMP");
            message.setHeader(StreamingHeaders.APP, "live");
            message.setHeader(StreamingHeaders.STREAM_KEY, key);
            message.setHeader(StreamingHeaders.QUERY, query);
            message.setHeader(StreamingHeaders.TC_URL, "rtmp://127.0.0.1:1935/live");
            message.setHeader(StreamingHeaders.REMOTE_ADDRESS, "192.0.2.7:38824");
            message.setHeader(StreamingHeaders.CLIENT_ID, 7L);
        });
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    @Test
    void withoutABackendTheChannelsKeysDecide() throws Exception {
        start(null);
        Exchange known = ask("publish", KEY, Map.of());
        assertEquals("main", header(known, StreamingHeaders.CHANNEL));
        assertNull(header(known, StreamingHeaders.REFUSAL));
        Exchange unknown = ask("publish", "another-key-0123456789", Map.of());
        assertNull(header(unknown, StreamingHeaders.CHANNEL));
        assertEquals("no channel has this stream key", header(unknown, StreamingHeaders.REFUSAL));
        assertNull(context.getRoute("ask-backend"), "no backend route without streaming.admission.url");
    }

    @Test
    void aChannelsRestreamSettingIsTheAnswersDestinations() throws Exception {
        Properties properties = new Properties();
        String destinations = "rtmp://a.rtmp.youtube.com/live2/yt-key-1,rtmps://live-api-s.facebook.com:443/rtmp/fb-key";
        properties.setProperty("streaming.channels.main.restream", destinations);
        start(null, properties);
        assertEquals(destinations, header(ask("publish", KEY, Map.of()), StreamingHeaders.RESTREAM));
        assertNull(header(ask("publish", "another-key-0123456789", Map.of()), StreamingHeaders.RESTREAM),
                "a refused publisher has no destinations");
    }

    @Test
    void aChannelWithoutRestreamHasNoDestinations() throws Exception {
        start(null);
        Exchange known = ask("publish", KEY, Map.of());
        assertEquals("main", header(known, StreamingHeaders.CHANNEL));
        assertEquals("", header(known, StreamingHeaders.RESTREAM));
    }

    @Test
    void aBackendsAnswerNamesTheDestinations() throws Exception {
        start(startBackend());
        answer = answers(200, null, "{\"channel\": \"alice\", \"restream\": [\"rtmp://live.twitch.tv/app/tw-key\", "
                + "\"rtmps://live-api-s.facebook.com:443/rtmp/fb-key\"]}");
        assertEquals(List.of("rtmp://live.twitch.tv/app/tw-key", "rtmps://live-api-s.facebook.com:443/rtmp/fb-key"),
                ask("publish", "alice-key", Map.of()).getMessage().getHeader(StreamingHeaders.RESTREAM));
    }

    @Test
    void aBackendAdmitsWithMetadataAndARecordingFlagAndIsAskedAsNginxRtmpAsks() throws Exception {
        start(startBackend());
        answer = answers(200, null, "{\"channel\": \"alice\", \"metadata\": {\"user\": 42, \"plan\": \"pro\"}, "
                + "\"record\": false}");
        Exchange admitted = ask("publish", "alice-key", Map.of("token", "t 1&2"));
        assertEquals("alice", header(admitted, StreamingHeaders.CHANNEL));
        assertEquals(Map.of("user", 42, "plan", "pro"), admitted.getMessage().getHeader(StreamingHeaders.METADATA));
        assertEquals(Boolean.FALSE, admitted.getMessage().getHeader(StreamingHeaders.RECORD));
        assertNull(admitted.getException());
        // nginx-rtmp's on_publish fields, in its order, then the publish URL's query
        assertEquals(List.of("app", "flashver", "swfurl", "tcurl", "pageurl", "addr", "clientid", "call", "name",
                "type", "token"), List.copyOf(forms.get(0).keySet()));
        assertEquals("publish", forms.get(0).get("call"));
        assertEquals("live", forms.get(0).get("app"));
        assertEquals("alice-key", forms.get(0).get("name"));
        assertEquals("192.0.2.7", forms.get(0).get("addr"));
        assertEquals("7", forms.get(0).get("clientid"));
        assertEquals("rtmp://127.0.0.1:1935/live", forms.get(0).get("tcurl"));
        assertEquals("t 1&2", forms.get(0).get("token"));
        // signed: HMAC-SHA256 of the body with the shared secret
        String[] signed = signatures.get(0).split(" ", 2);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(signed[1]
                .getBytes(StandardCharsets.UTF_8))), signed[0]);
    }

    @Test
    void aRedirectToAPlainNameRenamesAndAnythingElseRefuses() throws Exception {
        start(startBackend());
        answer = answers(302, "bob", "");
        assertEquals("bob", header(ask("publish", "bob-key", Map.of()), StreamingHeaders.CHANNEL));
        answer = answers(302, "rtmp://elsewhere/live/bob", "");
        Exchange relay = ask("publish", "bob-key", Map.of());
        assertNull(header(relay, StreamingHeaders.CHANNEL));
        assertTrue(header(relay, StreamingHeaders.REFUSAL).contains("redirected it to a URL"));
        answer = answers(403, null, "you shall not pass, key alice-key");
        Exchange refused = ask("publish", "alice-key", Map.of());
        assertEquals("the admission backend refused it (HTTP 403)", header(refused, StreamingHeaders.REFUSAL));
        answer = answers(200, null, "");
        Exchange nameless = ask("publish", "alice-key", Map.of());
        assertNull(header(nameless, StreamingHeaders.CHANNEL), "the key never becomes a channel name");
        assertTrue(header(nameless, StreamingHeaders.REFUSAL).startsWith("the admission backend answered 2xx "
                + "without naming a channel"), header(nameless, StreamingHeaders.REFUSAL));
    }

    @Test
    void aBackendThatCannotDecideIsAFailureThatSaysWhyAndNeverEchoesTheBackend() throws Exception {
        start(startBackend());
        Map<String, Consumer<HttpExchange>> cases = new LinkedHashMap<>();
        cases.put("the admission backend answered HTTP 503", answers(503, null, "down for maintenance"));
        cases.put("the admission backend's 2xx answer is not JSON", answers(200, null, "<html>ok</html>"));
        cases.put("the admission backend answered more than 64 KiB", answers(200, null,
                "{\"channel\": \"" + "x".repeat(70_000) + "\"}"));
        cases.put("the admission backend did not answer within 0.8 s", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (Map.Entry<String, Consumer<HttpExchange>> entry : cases.entrySet()) {
            answer = entry.getValue();
            long started = System.nanoTime();
            Exchange failed = ask("publish", "alice-key", Map.of());
            AdmissionException problem = assertInstanceOf(AdmissionException.class, failed.getException(),
                    entry.getKey());
            assertEquals(entry.getKey(), problem.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2500, "bounded by the timeout");
            assertNull(header(failed, StreamingHeaders.CHANNEL));
        }
        backend.stop(0);
        backend = null;
        Exchange down = ask("publish", "alice-key", Map.of());
        assertTrue(assertInstanceOf(AdmissionException.class, down.getException()).getMessage()
                .startsWith("the admission backend cannot be reached"), down.getException().getMessage());
    }

    @Test
    void aLivePublisherIsRecheckedWithUpdateAndOnlyARefusalRevokesIt() throws Exception {
        start(startBackend());
        answer = answers(200, null, "");
        Exchange goesOn = ask("update", "alice-key", Map.of());
        assertNull(header(goesOn, StreamingHeaders.REFUSAL), "nginx-rtmp's plain 200 lets it go on");
        assertNull(goesOn.getException());
        assertEquals("update", forms.get(0).get("call"));
        answer = answers(403, null, "");
        assertEquals("the admission backend refused it (HTTP 403)",
                header(ask("update", "alice-key", Map.of()), StreamingHeaders.REFUSAL));
        answer = answers(500, null, "");
        Exchange failed = ask("update", "alice-key", Map.of());
        assertInstanceOf(AdmissionException.class, failed.getException());
        assertFalse(failed.getMessage().getHeaders().containsKey(StreamingHeaders.REFUSAL));
    }
}
