package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * One vocabulary of events: {@link IngestEvent} is the list, and the component's descriptor (the header's values and
 * the component's description, generated from the annotations), the channel route's branches and the comments of
 * the shipped YAML name the same events, no more and no fewer.
 */
class IngestEventTest {

    private static final List<String> EVENTS = Arrays.stream(IngestEvent.values()).map(Enum::name).toList();
    private static final Pattern NAMED = Pattern.compile("\\b(Session[A-Z]\\w*|Publisher[A-Z]\\w*|SegmentFinished|"
            + "PlaylistChanged|Restream[A-Z]\\w*)\\b");

    private static JsonNode descriptor() throws IOException {
        try (InputStream in = IngestEventTest.class.getResourceAsStream("/META-INF/io/livecamel/ingest/"
                + "hls-ingest.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void theHeadersMetadataListsEveryEvent() throws IOException {
        assertEquals(String.join(",", EVENTS), IngestEvent.VALUES);
        List<String> listed = new java.util.ArrayList<>();
        descriptor().path("headers").path(StreamingHeaders.EVENT).path("enum").forEach(v -> listed.add(v.asText()));
        assertEquals(EVENTS, listed);
    }

    @Test
    void theComponentsDocumentationNamesEveryEvent() throws IOException {
        String description = descriptor().path("component").path("description").asText();
        assertEquals(EVENTS, List.copyOf(named(description)), description);
    }

    @Test
    void theChannelRouteTakesEveryEventAndNoOther() throws IOException {
        String route = Files.readString(Path.of("routes-yaml/channel.camel.yaml"));
        Matcher branch = Pattern.compile("\\$\\{header.StreamingEvent} (?:==|in) '([^']+)'").matcher(route);
        Set<String> taken = new TreeSet<>();
        while (branch.find()) {
            taken.addAll(List.of(branch.group(1).split(",")));
        }
        assertEquals(new TreeSet<>(EVENTS), taken);
        assertEquals(EVENTS, List.copyOf(named(comments(route))), "the header comment of channel.camel.yaml");
    }

    @Test
    void theSessionEventsRouteNamesOnlyEvents() throws IOException {
        String route = Files.readString(Path.of("routes-yaml/sessions.camel.yaml"));
        Set<String> named = named(route);
        assertTrue(EVENTS.containsAll(named), named.toString());
        for (String event : List.of("SessionStarted", "SessionRecovered", "PublisherLeft", "PublisherReconnected",
                "SessionEnded")) {
            assertTrue(named.contains(event), event + " is not in sessions.camel.yaml");
        }
    }

    private static String comments(String yaml) {
        return String.join("\n", yaml.lines().filter(line -> line.startsWith("#")).toList());
    }

    /** The event names a text uses, in the order it first uses them. */
    private static Set<String> named(String text) {
        Set<String> named = new LinkedHashSet<>();
        Matcher name = NAMED.matcher(text);
        while (name.find()) {
            named.add(name.group(1));
        }
        return named;
    }
}
