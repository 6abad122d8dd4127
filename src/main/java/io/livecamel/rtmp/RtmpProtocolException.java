package io.livecamel.rtmp;

import io.livecamel.media.FormatException;

/** A client broke the RTMP protocol: the message says how, in words fit for the log (never with a stream key). */
public class RtmpProtocolException extends FormatException {

    private static final long serialVersionUID = 1L;

    public RtmpProtocolException(String message) {
        super(message);
    }
}
