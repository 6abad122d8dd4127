package io.livecamel.rtmp;

/** A client broke the protocol: the message says how, in words fit for the log (never with a stream key). */
public class RtmpProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RtmpProtocolException(String message) {
        super(message, null, false, false);
    }
}
