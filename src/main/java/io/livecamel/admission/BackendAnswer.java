package io.livecamel.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecamel.ingest.AdmissionException;
import io.livecamel.ingest.StreamingHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The {@code backendAnswer} bean of the admission route: reads an HTTP backend's answer the way the README says.
 * To a publish: a 2xx with a JSON body {@code {"channel": "<name>"}} admits to that channel (with the optional
 * {@code metadata} object, {@code record} boolean and {@code restream} list of
 * destination URLs); a 3xx whose {@code Location} is a plain name admits to the
 * channel of that name (nginx-rtmp's rename); a 4xx refuses. To an update (a live publisher checked again): a 2xx or
 * 3xx lets it go on, a 4xx revokes it. Anything else (5xx, a 2xx publish answer that is not JSON) is an
 * {@link AdmissionException}: nobody decided. The backend's own words never reach the log nor the publisher.
 */
public final class BackendAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    public void read(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        boolean update = "update".equals(message.getHeader(StreamingHeaders.CALL, String.class));
        if (status >= 400 && status < 500) {
            message.setHeader(StreamingHeaders.REFUSAL, "the admission backend refused it (HTTP " + status + ")");
        } else if (status < 200 || status >= 400) {
            throw new AdmissionException("the admission backend answered HTTP " + status);
        } else if (update) {
            return; // a live publisher goes on
        } else if (status >= 300) {
            redirected(message, message.getHeader("Location", String.class));
        } else {
            admitted(message, message.getBody(String.class));
        }
    }

    /** nginx-rtmp's rename: a plain name is the channel; a URL (a relay elsewhere) is not taken. */
    private static void redirected(Message message, String location) {
        if (location == null || location.isBlank()) {
            throw new AdmissionException("the admission backend redirected without a Location");
        } else if (location.contains(":") || location.contains("/")) {
            message.setHeader(StreamingHeaders.REFUSAL, "the admission backend redirected it to a URL; only a "
                    + "channel name is taken");
        } else {
            message.setHeader(StreamingHeaders.CHANNEL, location.trim());
        }
    }

    private static void admitted(Message message, String body) {
        JsonNode answer;
        try {
            answer = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AdmissionException("the admission backend's 2xx answer is not JSON");
        }
        JsonNode channel = answer == null ? null : answer.get("channel");
        if (channel == null || !channel.isTextual() || channel.asText().isEmpty()) {
            // the key must never become a public name: an nginx-rtmp backend's plain 200 is not taken as one
            message.setHeader(StreamingHeaders.REFUSAL, "the admission backend answered 2xx without naming a "
                    + "channel (it must answer {\"channel\": \"<name>\"}, or a 3xx to the channel's name)");
            return;
        }
        message.setHeader(StreamingHeaders.CHANNEL, channel.asText());
        JsonNode metadata = answer.get("metadata");
        if (metadata != null && metadata.isObject()) {
            message.setHeader(StreamingHeaders.METADATA, JSON.convertValue(metadata, Map.class));
        }
        JsonNode record = answer.get("record");
        if (record != null && record.isBoolean()) {
            message.setHeader(StreamingHeaders.RECORD, record.asBoolean());
        }
        JsonNode restream = answer.get("restream");
        if (restream != null && restream.isArray()) {
            List<String> urls = new ArrayList<>();
            restream.forEach(url -> urls.add(url.asText()));
            message.setHeader(StreamingHeaders.RESTREAM, urls);
        } else if (restream != null && restream.isTextual()) {
            message.setHeader(StreamingHeaders.RESTREAM, restream.asText());
        }
    }
}
