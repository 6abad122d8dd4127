package io.livecamel.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** An HTTP endpoint that keeps the JSON bodies POSTed to it, as a user's webhook would receive them. */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/live", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            @SuppressWarnings("unchecked")
            Map<String, Object> event = new ObjectMapper().readValue(body, Map.class);
            events.add(event);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/live");
    }

    public List<Map<String, Object>> events() {
        return events;
    }

    /** The names of the events received so far, in order. */
    public List<Object> names() {
        return events.stream().map(event -> event.get("event")).toList();
    }

    public List<String> contentTypes() {
        return contentTypes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
