package io.livecamel.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.livecamel.rtmp.RtmpUrl;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admission gave a publisher besides its channel: {@code metadata} copied into its session's events (the
 * user's id...), whether its session is recorded ({@code null}: the application's setting decides), and where its
 * session's stream is restreamed to.
 */
record SessionTerms(Map<String, Object> metadata, Boolean record, List<RtmpUrl> restream) {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTerms.class);
    static final SessionTerms NONE = new SessionTerms(Map.of(), null, List.of());

    SessionTerms {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        restream = restream == null ? List.of() : List.copyOf(restream);
    }

    /**
     * The terms an admission route's answer sets ({@code StreamingMetadata}, {@code StreamingRecord},
     * {@code StreamingRestream}); a destination that is not a usable URL is left out, with a WARN that does not quote
     * it (it carries a key).
     */
    @SuppressWarnings("unchecked")
    static SessionTerms of(Message answer, String channel) {
        Object metadata = answer.getHeader(StreamingHeaders.METADATA);
        Object record = answer.getHeader(StreamingHeaders.RECORD);
        return new SessionTerms(metadata instanceof Map<?, ?> map ? (Map<String, Object>) map : null,
                record == null ? null : answer.getHeader(StreamingHeaders.RECORD, Boolean.class),
                destinations(answer.getHeader(StreamingHeaders.RESTREAM), channel));
    }

    /** The destinations in a list of URLs, or in one text of URLs separated by commas. */
    static List<RtmpUrl> destinations(Object value, String channel) {
        List<String> entries = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(entry -> entries.add(entry == null ? "" : entry.toString()));
        } else if (value != null && !value.toString().isBlank()) {
            entries.addAll(List.of(value.toString().split(",")));
        }
        List<RtmpUrl> urls = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                urls.add(RtmpUrl.parse(entries.get(i)));
            } catch (IllegalArgumentException e) {
                LOG.warn("Channel {}: restream destination {} of {} from the admission route is left out: {}",
                        channel, i + 1, entries.size(), e.getMessage());
            }
        }
        return urls;
    }

    /** Adds the terms to a session event's headers. */
    void describe(Map<String, Object> event) {
        if (!metadata.isEmpty()) {
            event.put(StreamingHeaders.METADATA, metadata);
        }
        if (record != null) {
            event.put(StreamingHeaders.RECORD, record);
        }
    }
}
