package io.livecamel.media;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a publisher asks for, whatever its protocol: to publish under a stream key ({@code rtmp://host/live/KEY?token=…}
 * gives {@code KEY} and the query {@code token=…}). The key is a secret: {@link #toString()} leaves it out.
 *
 * @param protocol  {@code RTMP} or {@code RTMPS}
 * @param app       the application the publisher connected to ({@code live})
 * @param streamKey the stream name without its query: the secret key
 * @param query     the query parameters of the publish (and of the application it connected to), decoded
 * @param tcUrl     the URL the publisher says it connected to (RTMP's {@code tcUrl}), or empty
 * @param clientId  the connection's number on this server, as nginx-rtmp counts them
 */
public record PublishRequest(String protocol, String app, String streamKey, Map<String, String> query, String tcUrl,
        long clientId) {

    /** Query parameters taken at most: a publisher cannot make the request to a backend grow without bound. */
    public static final int MAX_QUERY_FIELDS = 32;
    /** The longest query taken, in characters. */
    public static final int MAX_QUERY_LENGTH = 4096;

    public PublishRequest {
        query = Map.copyOf(query);
    }

    /**
     * The fields of a URL query ({@code a=1&b=two}), decoded; the first {@link #MAX_QUERY_FIELDS} are kept, a field
     * given twice keeps its first value. A query over {@link #MAX_QUERY_LENGTH} characters gives an exception.
     */
    public static Map<String, String> parseQuery(String query) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return fields;
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new FormatException("its publish URL has a query of " + query.length() + " characters, more than "
                    + MAX_QUERY_LENGTH);
        }
        for (String field : query.split("&")) {
            if (field.isEmpty() || fields.size() >= MAX_QUERY_FIELDS) {
                continue;
            }
            int equals = field.indexOf('=');
            String name = decode(equals < 0 ? field : field.substring(0, equals));
            String value = equals < 0 ? "" : decode(field.substring(equals + 1));
            if (!name.isEmpty()) {
                fields.putIfAbsent(name, value);
            }
        }
        return fields;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // a stray '%': taken as it is
            return text;
        }
    }

    @Override
    public String toString() {
        return "PublishRequest[" + protocol + " " + app + ", query " + query.keySet() + ", client " + clientId + "]";
    }
}
