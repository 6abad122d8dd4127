package io.livecamel.ingest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.livecamel.settings.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a listening ffmpeg's log as it runs: it tells when a publisher's stream has been recognised (ffmpeg prints
 * {@code Input #0} and the indented description of its streams: codecs, resolution), and keeps the last lines,
 * with the stream key redacted, to explain a failure.
 */
final class FfmpegLog {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegLog.class);
    private static final int TAIL_LINES = 20;

    private final Channel channel;
    private final Deque<String> tail = new ArrayDeque<>();
    private StringBuilder input;
    private boolean started;

    FfmpegLog(Channel channel) {
        this.channel = channel;
    }

    /** Takes one line of ffmpeg's output; true when this line completes the description of the publisher's input. */
    boolean read(String line) {
        String safe = channel.redact(line);
        LOG.debug("Channel {} ffmpeg: {}", channel.name(), safe);
        tail.addLast(safe);
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        if (started) {
            return false;
        }
        if (safe.startsWith("Input #0")) {
            input = new StringBuilder();
        } else if (input != null) {
            if (safe.startsWith("  ")) {
                input.append(safe.trim()).append('\n');
            } else {
                started = true;
                return true;
            }
        }
        return false;
    }

    /** True once a publisher's stream was recognised. */
    boolean started() {
        return started;
    }

    /** The publisher's input as ffmpeg describes it (codecs, resolution), without the URL that carries the key. */
    String input() {
        return input == null ? "" : input.toString().trim();
    }

    List<String> tail() {
        return List.copyOf(tail);
    }
}
