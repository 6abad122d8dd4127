package io.livecamel.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

import io.livecamel.ingest.IngestComponent;
import io.livecamel.origin.Recordings;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * The admin API ({@code POST /api/channels/<channel>/stop}, on only when {@code streaming.api.token} is set): ends a
 * channel's session now, reason {@code stopped}, its publisher cut, without a reconnect grace. The bearer token is
 * compared in constant time; 401 without it, 404 for a channel that does not exist, 409 for one with no session.
 */
public final class ChannelControl {

    private final IngestComponent ingest;
    private final Recordings recordings;
    private final byte[] token;

    public ChannelControl(IngestComponent ingest, Recordings recordings, String token) {
        this.ingest = ingest;
        this.recordings = recordings;
        this.token = digest(token);
    }

    public Map<String, Object> stop(@Header("channel") String channel, @Header("Authorization") String authorization,
            Exchange exchange) {
        Message message = exchange.getMessage();
        String given = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()).trim() : "";
        if (!MessageDigest.isEqual(digest(given), token)) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            message.setHeader("WWW-Authenticate", "Bearer");
            return Map.of("error", "a valid Authorization: Bearer <streaming.api.token> is needed");
        }
        if (!ingest.channelNames().contains(channel) && !recordings.exists(channel)) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            return Map.of("error", "no such channel");
        }
        if (!ingest.endSession(channel, "stopped")) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 409);
            return Map.of("channel", channel, "error", "the channel has no session to stop");
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return Map.of("channel", channel, "stopping", true);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
