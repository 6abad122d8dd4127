package io.livecamel.restream;

/**
 * A destination as {@code /api/channels} shows it: its name (host and a short hash of its URL, never its key), its
 * state ({@code connecting}, {@code live}, {@code retrying}), the last error while it retries, and the bytes of media
 * it has been sent in this session.
 */
public record DestinationView(String destination, String state, String lastError, long bytesSent) {
}
