package io.livecamel.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** What each server and listener is doing (the RTMP and RTMPS servers, SRT listeners), for the health check. */
public final class ListenerStates {

    /** One listener's state. */
    public record State(String status, String detail, Instant since) {
    }

    public static final String LISTENING = "listening";
    public static final String FAILING = "failing";

    private final Map<String, State> states = new ConcurrentHashMap<>();

    void set(String listener, String status, String detail) {
        states.put(listener, new State(status, detail, Instant.now()));
    }

    void remove(String listener) {
        states.remove(listener);
    }

    /** Every one by name ({@code rtmp}, {@code rtmps}, {@code main/srt}...), sorted. */
    public Map<String, State> all() {
        return new TreeMap<>(states);
    }
}
