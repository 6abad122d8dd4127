package io.livecamel.ingest;

import java.util.Map;

import org.apache.camel.Message;

/**
 * What the admission gave a publisher besides its channel: {@code metadata} copied into its session's events (the
 * user's id...), and whether its session is recorded ({@code null}: the application's setting decides).
 */
record SessionTerms(Map<String, Object> metadata, Boolean record) {

    static final SessionTerms NONE = new SessionTerms(Map.of(), null);

    SessionTerms {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The terms an admission route's answer sets ({@code StreamingMetadata}, {@code StreamingRecord}). */
    @SuppressWarnings("unchecked")
    static SessionTerms of(Message answer) {
        Object metadata = answer.getHeader(StreamingHeaders.METADATA);
        Object record = answer.getHeader(StreamingHeaders.RECORD);
        return new SessionTerms(metadata instanceof Map<?, ?> map ? (Map<String, Object>) map : null,
                record == null ? null : answer.getHeader(StreamingHeaders.RECORD, Boolean.class));
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
