package io.livecamel.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.livecamel.StreamingHeaders;
import io.livecamel.origin.Session;
import io.livecamel.settings.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises a channel's ffmpeg listener: starts it, reads its log as it runs (which camel-exec cannot: it
 * hands over the output only when the process ends), tells the route when a publisher's session starts and
 * ends, and starts a new listener as soon as the old one exits. ffmpeg serves one publisher and exits when it
 * disconnects; that exit is the stream-end signal. A listener that fails without a publisher is restarted
 * after a back-off that doubles up to {@code maxBackoff}. Stopping the consumer stops ffmpeg.
 */
public class IngestConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConsumer.class);
    private final IngestCommand command;
    private final Channel channel;
    /** Guards {@link #stopping} and {@link #process}: a listener is never started once stopping has begun. */
    private final Object lock = new Object();
    private volatile Thread supervisor;
    private Process process;
    private volatile boolean stopping;

    IngestConsumer(IngestEndpoint endpoint, Processor processor, IngestCommand command) {
        super(endpoint, processor);
        this.command = command;
        this.channel = command.channel();
    }

    @Override
    public IngestEndpoint getEndpoint() {
        return (IngestEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        Files.createDirectories(command.folder());
        supervisor = new Thread(this::superviseUntilStopped, "ingest-" + channel.name());
        supervisor.start();
    }

    @Override
    protected void doStop() throws Exception {
        Process running;
        synchronized (lock) {
            stopping = true;
            running = process;
            lock.notifyAll(); // ends a back-off wait
        }
        if (running != null) {
            running.destroy(); // SIGTERM: ffmpeg closes the HLS output properly
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly();
            }
        }
        Thread thread = supervisor;
        if (thread != null) {
            // not interrupted: it is handing the session's end to the route, which must not be cut short
            thread.join(20_000);
            if (thread.isAlive()) {
                LOG.warn("Channel {}: the listener's supervisor did not finish in 20 s", channel.name());
                thread.interrupt();
            }
        }
        super.doStop();
    }

    private void superviseUntilStopped() {
        long backoff = 0;
        while (!stopping) {
            boolean published;
            try {
                published = runOneSession();
            } catch (IOException e) {
                if (!stopping) {
                    LOG.error("Channel {}: cannot start ffmpeg: {}", channel.name(), channel.redact(e.getMessage()));
                }
                published = false;
            }
            if (published) {
                backoff = 0;
                continue;
            }
            backoff = backoff == 0 ? 250 : Math.min(backoff * 2, getEndpoint().getMaxBackoff());
            try {
                synchronized (lock) {
                    if (!stopping) {
                        lock.wait(backoff);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs one listener until ffmpeg exits; true when a publisher was served. */
    private boolean runOneSession() throws IOException {
        String session = Session.newId();
        Process ffmpeg;
        synchronized (lock) {
            if (stopping) {
                return false;
            }
            ffmpeg = new ProcessBuilder(command.forSession(session)).redirectErrorStream(true).start();
            process = ffmpeg;
        }
        LOG.info("Channel {}: listening for a publisher on RTMP port {}", channel.name(), channel.port());
        FfmpegLog log = new FfmpegLog(channel);
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(ffmpeg.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (log.read(line)) {
                    String description = log.input();
                    emit(session, StreamingHeaders.SESSION_STARTED, exchange ->
                            exchange.getMessage().setHeader(StreamingHeaders.INPUT, description));
                }
            }
        } catch (IOException e) {
            // the pipe closes under the reader when ffmpeg is stopped: what matters is how ffmpeg ended
            LOG.debug("Channel {}: ffmpeg's output ended: {}", channel.name(), e.getMessage());
        }
        int exitCode = waitForExit(ffmpeg);
        synchronized (lock) {
            process = null;
        }
        if (log.started()) {
            emit(session, StreamingHeaders.SESSION_ENDED,
                    exchange -> exchange.getMessage().setHeader(StreamingHeaders.EXIT_CODE, exitCode));
            return true;
        }
        deleteFilesOf(session);
        if (!stopping) {
            LOG.warn("Channel {}: ffmpeg exited with code {} before a publisher was served; its last lines:\n  {}",
                    channel.name(), exitCode, String.join("\n  ", log.tail()));
        }
        return false;
    }

    private int waitForExit(Process ffmpeg) {
        while (true) {
            try {
                return ffmpeg.waitFor();
            } catch (InterruptedException e) {
                ffmpeg.destroy();
            }
        }
    }

    private void emit(String session, String event, java.util.function.Consumer<Exchange> details) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setHeader(StreamingHeaders.CHANNEL, channel.name());
            exchange.getMessage().setHeader(StreamingHeaders.SESSION, session);
            exchange.getMessage().setHeader(StreamingHeaders.EVENT, event);
            details.accept(exchange);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Channel " + channel.name() + ": " + event, exchange,
                        exchange.getException());
            }
        } catch (Exception e) {
            getExceptionHandler().handleException("Channel " + channel.name() + ": " + event, exchange, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void deleteFilesOf(String session) {
        try (Stream<Path> files = Files.list(command.folder())) {
            for (Path file : files.filter(f -> Session.owns(f.getFileName().toString(), session)).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Channel {}: cannot clean up after session {}: {}", channel.name(), session, e.getMessage());
        }
    }
}
