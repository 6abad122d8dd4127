package io.livecamel.rtmp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.util.ReferenceCountUtil;

/**
 * The media and data a publisher sent before its publish was decided (a client that does not wait for
 * {@code NetStream.Publish.Start}): kept in order, up to {@link #MOST} bytes (what comes past it is dropped), for the
 * channel once admitted, and released when refused. On the connection's event loop only.
 */
final class HeldMessages {

    static final int MOST = 2 * 1024 * 1024;

    private final List<RtmpMessage> messages = new ArrayList<>();
    private long bytes;

    void hold(RtmpMessage message) {
        int size = message.payload().readableBytes();
        if (bytes + size > MOST) {
            ReferenceCountUtil.release(message);
            return;
        }
        bytes += size;
        messages.add(message);
    }

    /** Hands every held message to {@code deliver} in order, or releases them when it is null. */
    void release(Consumer<RtmpMessage> deliver) {
        List<RtmpMessage> all = List.copyOf(messages);
        messages.clear();
        bytes = 0;
        for (RtmpMessage message : all) {
            if (deliver == null) {
                ReferenceCountUtil.release(message);
            } else {
                deliver.accept(message);
            }
        }
    }
}
