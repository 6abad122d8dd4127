package io.livecamel.media;

/**
 * Bytes a client sent break a format (AMF0, FLV, RTMP): the message says how, in words fit for the log (never with a
 * stream key). The connection that sent them is closed; nothing else is.
 */
public class FormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message, null, false, false);
    }
}
