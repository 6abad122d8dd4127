package io.livecamel.ingest;

/**
 * An admission route could not decide (its backend is down, slow, or answered nonsense): the publisher is refused
 * with {@code NetStream.Publish.Failed} and this message, so it says what happened in words fit for the log and the
 * publisher, never a secret nor a backend's own words.
 */
public class AdmissionException extends RuntimeException {

    public AdmissionException(String message) {
        super(message, null, false, false);
    }
}
