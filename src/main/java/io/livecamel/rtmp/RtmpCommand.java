package io.livecamel.rtmp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.livecamel.media.Amf0;
import io.livecamel.media.FormatException;
import io.livecamel.media.PublishRequest;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command a client sent ({@code connect}, {@code publish}...): its name, its transaction number, the values after
 * them and the message stream it came on; and what the server reads of its data and user control messages. AMF3
 * messages from Flash carry AMF0 after a zero byte.
 */
record RtmpCommand(String name, double transaction, List<Object> values, int streamId) {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpCommand.class);

    /** The command in a command message; a message without a name breaks the protocol. */
    static RtmpCommand of(RtmpMessage message) {
        List<Object> values = values(message);
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpProtocolException("a command without a name");
        }
        double transaction = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        return new RtmpCommand(name, transaction, values, message.streamId());
    }

    /** The AMF0 values of a command or data message. */
    static List<Object> values(RtmpMessage message) {
        ByteBuf payload = message.payload();
        if (message.type() == RtmpMessage.COMMAND_AMF3 || message.type() == RtmpMessage.DATA_AMF3) {
            if (!payload.isReadable()) {
                throw new RtmpProtocolException("an empty AMF3 message");
            }
            payload.skipBytes(1);
        }
        return Amf0.readAll(payload);
    }

    /** The metadata ({@code onMetaData}) a data message carries, if it is that; a malformed one is dropped. */
    static Optional<Map<String, Object>> metadata(RtmpMessage message, String peer) {
        try {
            return Amf0.onMetaData(values(message));
        } catch (FormatException e) {
            LOG.debug("RTMP client {}: a data message dropped: {}", peer, e.getMessage());
            return Optional.empty();
        }
    }

    /** The timestamp of a ping request (User Control event 6), if the message is one. */
    static Optional<Integer> pingRequest(RtmpMessage message) {
        ByteBuf payload = message.payload();
        return payload.readableBytes() >= 6 && payload.getUnsignedShort(payload.readerIndex()) == 6
                ? Optional.of(payload.getInt(payload.readerIndex() + 2)) : Optional.empty();
    }

    /** {@code connect}'s command object (its {@code app}, {@code tcUrl}...), or an empty one. */
    Map<?, ?> commandObject() {
        return values.size() > 2 && values.get(2) instanceof Map<?, ?> map ? map : Map.of();
    }

    /** {@code publish}'s stream name (the stream key), without any {@code ?query}; empty when none was sent. */
    String streamName() {
        return values.size() > 3 && values.get(3) instanceof String text ? text.replaceAll("\\?.*", "") : "";
    }

    /** {@code connect}'s application, without a query or trailing slashes. */
    String app() {
        String app = commandObject().get("app") instanceof String text ? text : "";
        return app.replaceAll("\\?.*", "").replaceAll("/+$", "");
    }

    /**
     * What this {@code publish} asks for, on a connection that sent {@code connect}: the query is the stream name's,
     * then the application's ({@code rtmp://host/live?a=1} in OBS's server field).
     */
    PublishRequest publishRequest(RtmpCommand connect, String scheme, long clientId) {
        Map<String, String> query = new LinkedHashMap<>(PublishRequest.parseQuery(queryOf(values.size() > 3
                ? values.get(3) : null)));
        PublishRequest.parseQuery(queryOf(connect.commandObject().get("app"))).forEach(query::putIfAbsent);
        String tcUrl = connect.commandObject().get("tcUrl") instanceof String text ? text : "";
        return new PublishRequest(scheme.toUpperCase(Locale.ROOT), "live", streamName(), query, tcUrl, clientId);
    }

    private static String queryOf(Object name) {
        return name instanceof String text && text.indexOf('?') >= 0 ? text.substring(text.indexOf('?') + 1) : "";
    }
}
