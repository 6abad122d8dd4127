package io.livecamel.media;

/**
 * A publisher's connection as the application sees it, whatever the protocol: where it comes from, and its flow.
 * Every method may be called from any thread.
 */
public interface PublisherLink {

    /** The publisher's address and port as the socket sees it ({@code 192.0.2.7:38824}), or {@code unknown}. */
    String address();

    /** Stops reading from the publisher (its TCP window fills, it slows down): the application is behind. */
    void pause();

    /** Reads from the publisher again. */
    void resume();

    /** Ends the connection; where the protocol has a status for it, the publisher is told the reason. */
    void cut(String reason);
}
