package io.livecamel.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;

/**
 * A channel's events waiting for its route, in order, each as the headers of the message the route will get. A file
 * event ({@link IngestEvent#SegmentFinished}, {@link IngestEvent#PlaylistChanged}) already waiting for the same
 * session is not queued again: the route uploads whatever is finished when it takes the one that waits, so a burst
 * of files is one event. Any thread may add; the channel's consumer takes, told of each event added while it listens.
 */
final class ChannelEvents {

    /** Events that may wait for the route; past it, new publishers are refused (a route stopped for good). */
    static final int MAX_WAITING = 1000;

    private final String channel;
    private final BlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>();
    /** The file events (event and session) queued and not yet taken. */
    private final Set<String> fileEventsQueued = ConcurrentHashMap.newKeySet();
    /** Events taken whose route has not finished with them. */
    private final AtomicInteger inHand = new AtomicInteger();
    /** Told of each event queued: the consumer, while the route runs. */
    private volatile Runnable listener;

    ChannelEvents(String channel) {
        this.channel = channel;
    }

    /** A new event's headers: the channel, the session and the event; the caller adds what it tells. */
    Map<String, Object> event(IngestEvent name, String session) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(StreamingHeaders.CHANNEL, channel);
        event.put(StreamingHeaders.SESSION, session);
        event.put(StreamingHeaders.EVENT, name.name());
        return event;
    }

    void add(Map<String, Object> event) {
        queue.add(event);
        tell();
    }

    /** A file ffmpeg finished: queued unless the same event of the session already waits. */
    void fileFinished(IngestEvent name, String session, String fileName) {
        Map<String, Object> event = event(name, session);
        event.put(Exchange.FILE_NAME, fileName);
        if (fileEventsQueued.add(key(event))) {
            queue.add(event);
            tell();
        }
    }

    /** From now on {@code listener} is told of each event queued. */
    synchronized void listen(Runnable listener) {
        this.listener = listener;
    }

    /** {@code listener} is told no more (if it still listens: a newer one may have taken its place). */
    synchronized void stopListening(Runnable listener) {
        if (this.listener == listener) {
            this.listener = null;
        }
    }

    private void tell() {
        Runnable told = listener;
        if (told != null) {
            told.run();
        }
    }

    /** The next event, or {@code null} if none waits. */
    Map<String, Object> next() {
        Map<String, Object> event = queue.poll();
        if (event != null) {
            inHand.incrementAndGet();
            if (event.containsKey(Exchange.FILE_NAME)) {
                fileEventsQueued.remove(key(event));
            }
        }
        return event;
    }

    /** The route has finished with an event {@link #next} gave. */
    void done() {
        inHand.decrementAndGet();
    }

    /** True when no event waits and none is in the route. */
    boolean idle() {
        return queue.isEmpty() && inHand.get() == 0;
    }

    int waiting() {
        return queue.size();
    }

    /** True when so many events wait that no route has taken them for too long. */
    boolean full() {
        return queue.size() >= MAX_WAITING;
    }

    private static String key(Map<String, Object> event) {
        return event.get(StreamingHeaders.EVENT) + "/" + event.get(StreamingHeaders.SESSION);
    }
}
