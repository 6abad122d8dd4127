package io.livecamel.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a child process (an ffmpeg) writes, read as it runs so that its pipe never fills: each line at DEBUG, and the
 * last {@link #LINES} kept to explain a failure.
 */
final class OutputTail {

    private static final Logger LOG = LoggerFactory.getLogger(OutputTail.class);
    static final int LINES = 20;

    private final String label;
    private final UnaryOperator<String> redact;
    private final Deque<String> lines = new ArrayDeque<>();

    /** {@code redact} is applied to a line before it is logged or kept (a key on ffmpeg's command line...). */
    OutputTail(String label, UnaryOperator<String> redact) {
        this.label = label;
        this.redact = redact;
    }

    /** Reads the output to its end (the process closed it, or ended). */
    void read(InputStream output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String safe = redact.apply(line);
                LOG.debug("{}: {}", label, safe);
                synchronized (this) {
                    lines.addLast(safe);
                    if (lines.size() > LINES) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: its output ended: {}", label, e.getMessage());
        }
    }

    /** The last lines read. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
