package io.livecamel.routes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.origin.OriginHeaders;
import org.apache.camel.Header;
import org.apache.camel.Headers;

/**
 * A session event as the JSON a webhook receives: {@code event}, {@code channel}, {@code sessionId}, {@code at}, and
 * what the event has of {@code connection}, {@code remoteAddress}, {@code videoCodec}, {@code audioCodec},
 * {@code resolution}, {@code reason}, {@code recording}, {@code metadata} (the admission's), in cluster mode {@code node}
 * (the node that writes the session) and {@code previousNode} (where it came from), {@code destination} (a restream destination's host and short hash), {@code segments}, {@code bytes},
 * {@code durationSeconds}. Built from the message headers, none of which ever holds a stream key.
 */
public final class SessionEvent {

    /** Header, JSON field: in the order they appear in the JSON. */
    private static final String[][] FIELDS = {
        {StreamingHeaders.CONNECTION, "connection"},
        {StreamingHeaders.REMOTE_ADDRESS, "remoteAddress"},
        {StreamingHeaders.VIDEO_CODEC, "videoCodec"},
        {StreamingHeaders.AUDIO_CODEC, "audioCodec"},
        {StreamingHeaders.RESOLUTION, "resolution"},
        {StreamingHeaders.REASON, "reason"},
        {OriginHeaders.RECORDING, "recording"},
        {StreamingHeaders.METADATA, "metadata"},
        {StreamingHeaders.DESTINATION, "destination"},
        {StreamingHeaders.NODE, "node"},
        {StreamingHeaders.PREVIOUS_NODE, "previousNode"},
    };

    public Map<String, Object> of(@Header(StreamingHeaders.EVENT) String event, @Headers Map<String, Object> headers) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("event", event);
        json.put("channel", headers.get(StreamingHeaders.CHANNEL));
        json.put("sessionId", headers.get(StreamingHeaders.SESSION));
        json.put("at", Instant.now().toString());
        for (String[] field : FIELDS) {
            if (headers.get(field[0]) != null) {
                json.put(field[1], headers.get(field[0]));
            }
        }
        if (headers.get(OriginHeaders.SUMMARY) instanceof Map<?, ?> summary) {
            summary.forEach((name, value) -> json.put(name.toString(), value));
        }
        return json;
    }
}
