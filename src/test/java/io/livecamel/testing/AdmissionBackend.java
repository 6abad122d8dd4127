package io.livecamel.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A user's backend for the admission route, as the README's example: a real HTTP server that reads nginx-rtmp's
 * form fields and answers per stream key what the test says ({@link #answer}); every request's fields are kept.
 */
public final class AdmissionBackend implements AutoCloseable {

    /** What the backend answers for a key: a status, a Location, a body, and how long it takes first. */
    public record Answer(int status, String location, String body, long delayMillis) {
        public static Answer channel(String channel) {
            return new Answer(200, null, "{\"channel\": \"" + channel + "\"}", 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Answer> updates = new ConcurrentHashMap<>();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

    public AdmissionBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePort.find()), 50);
        server.setExecutor(threads);
        server.createContext("/on_publish", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/on_publish");
    }

    /** The answer to {@code call=publish} for {@code key} (403 for any key not given). */
    public AdmissionBackend answer(String key, Answer answer) {
        answers.put(key, answer);
        return this;
    }

    /** The answer to {@code call=update} for {@code key} (200 for any key not given). */
    public AdmissionBackend update(String key, Answer answer) {
        updates.put(key, answer);
        return this;
    }

    /** Every request's form fields, in order. */
    public List<Map<String, String>> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            requests.add(form);
            Answer answer = "update".equals(form.get("call"))
                    ? updates.getOrDefault(form.get("name"), new Answer(200, null, "", 0))
                    : answers.getOrDefault(form.get("name"), new Answer(403, null, "", 0));
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (answer.location() != null) {
                exchange.getResponseHeaders().add("Location", answer.location());
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            // the application gave up waiting
        }
    }

    /** The fields of a form body, in order. */
    public static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String field : body.split("&")) {
            if (!field.isEmpty()) {
                String[] parts = field.split("=", 2);
                form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
