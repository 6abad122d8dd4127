package io.livecamel.restream;

/** What a session's destinations tell the session: each going live, and each failing (once per failure). */
public interface RestreamEvents {

    /** The destination (its name: host and short hash) took the stream. */
    void started(String destination);

    /** The destination failed ({@code reason}, never with its key); it is retried with back-off. */
    void failed(String destination, String reason);
}
