package io.livecamel.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Supervises a channel's ffmpeg listener. ffmpeg serves one publisher and exits when it disconnects, so this starts
 * a new listener as soon as the last one ends, and reads each one's log as it runs (which camel-exec cannot: it
 * hands over the output only when the process ends) to check the publisher: its stream key (ffmpeg does not) and
 * its codecs. A refused publisher is cut off at once, before any segment of it is written.
 *
 * <p>It tells the route what happens as messages: {@code SessionStarted}, {@code PublisherLeft},
 * {@code PublisherReconnected}, {@code SessionEnded}. A session ends only when no publisher has come back within
 * the reconnect grace; until then the next listener continues the session's playlist. A listener that cannot listen
 * (its port is taken) is restarted after a back-off that doubles up to {@code maxBackoff}. Stopping the consumer
 * stops ffmpeg and ends the session.
 */
public class IngestConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConsumer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How one listener ended. */
    private enum Outcome {
        /** A publisher was let in and has gone. */
        SERVED,
        /** A publisher was refused (key, codecs), or a client failed before publishing. */
        REFUSED,
        /** ffmpeg could not listen, or died without any client. */
        FAILED,
        /** No publisher came back within the grace: the waiting listener was stopped. */
        GRACE_OVER,
        /** The consumer stops. */
        STOPPED
    }

    private final IngestCommand command;
    private final Channel channel;
    private final PublisherCheck check;
    private final Duration grace;
    /** Guards the fields below: a listener is never started once stopping has begun. */
    private final Object lock = new Object();
    private volatile Thread supervisor;
    private ScheduledExecutorService timer;
    private Process process;
    private boolean stopping;
    private boolean graceOver;
    private boolean admitted;
    private ScheduledFuture<?> graceTimeout;
    /** The current session: null when none is live or in its grace. */
    private String session;
    private boolean sessionStarted;
    private int connection;
    private String lastReason;
    /** Whether the last listener failed because its port was taken. */
    private volatile boolean bindFailed;

    IngestConsumer(IngestEndpoint endpoint, Processor processor, IngestCommand command, Duration grace) {
        super(endpoint, processor);
        this.command = command;
        this.channel = command.channel();
        this.check = new PublisherCheck(channel);
        this.grace = grace;
    }

    @Override
    public IngestEndpoint getEndpoint() {
        return (IngestEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        synchronized (lock) {
            stopping = false;
        }
        Files.createDirectories(command.folder());
        timer = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "ingest-grace-" + channel.name());
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
        getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(timer);
        states().remove(listenerName());
        super.doStop();
    }

    private void superviseUntilStopped() {
        long backoff = 0;
        while (true) {
            Outcome outcome;
            try {
                outcome = listenOnce();
            } catch (IOException e) {
                LOG.error("Channel {}: cannot start ffmpeg: {}", channel.name(), channel.redact(e.getMessage()));
                outcome = Outcome.FAILED;
            }
            switch (outcome) {
                case SERVED -> {
                    backoff = 0;
                    synchronized (lock) {
                        if (!stopping) {
                            graceTimeout = timer.schedule(this::graceIsOver, grace.toMillis(), TimeUnit.MILLISECONDS);
                        }
                    }
                }
                case GRACE_OVER -> {
                    backoff = 0;
                    endSession("no publisher came back within " + seconds(grace) + " s (" + lastReason + ")");
                }
                case REFUSED -> backoff = 0;
                case STOPPED -> {
                    endSession("the application stopped");
                    return;
                }
                case FAILED -> {
                    int orphans = bindFailed ? OrphanedListeners.stop(command.executable(), command.port()) : 0;
                    if (orphans > 0) {
                        LOG.warn("Channel {}: stopped {} ffmpeg listener(s) that an earlier run left on {} port {}",
                                channel.name(), orphans, command.protocol(), command.port());
                        backoff = 0;
                        continue;
                    }
                    backoff = backoff == 0 ? 250 : Math.min(backoff * 2, getEndpoint().getMaxBackoff());
                    LOG.warn("Channel {}: the listener failed; trying again in {} ms", channel.name(), backoff);
                    states().set(listenerName(), ListenerStates.FAILING, "cannot listen on " + command.protocol()
                            + " port " + command.port() + "; next try in " + backoff + " ms");
                    if (!waitOrStop(backoff)) {
                        endSession("the application stopped");
                        return;
                    }
                }
                default -> throw new IllegalStateException(outcome.toString());
            }
            synchronized (lock) {
                if (stopping) {
                    break;
                }
            }
        }
        endSession("the application stopped");
    }

    /** Waits for the back-off unless the consumer stops; false when it stops. */
    private boolean waitOrStop(long millis) {
        synchronized (lock) {
            try {
                if (!stopping) {
                    lock.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return !stopping;
        }
    }

    /** The reconnect grace is over: if the listener is still waiting for a publisher, it is stopped. */
    private void graceIsOver() {
        synchronized (lock) {
            if (session != null && !admitted) {
                graceOver = true;
                if (process != null) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** Runs one listener, for one connection, until ffmpeg exits. */
    private Outcome listenOnce() throws IOException {
        String currentSession;
        int currentConnection;
        Process ffmpeg;
        synchronized (lock) {
            if (stopping) {
                return Outcome.STOPPED;
            }
            if (graceOver) {
                return Outcome.GRACE_OVER; // it ran out between two listeners
            }
            if (session == null) {
                session = Session.newId();
                connection = 0;
                sessionStarted = false;
            }
            currentSession = session;
            currentConnection = ++connection;
            admitted = false;
            String expected = "ingest-" + randomHex();
            ffmpeg = new ProcessBuilder(command.forConnection(currentSession, currentConnection, expected))
                    .redirectErrorStream(true).start();
            process = ffmpeg;
        }
        LOG.info("Channel {}: listening for a publisher on {} port {}", channel.name(), command.protocol(),
                command.port());
        states().set(listenerName(), ListenerStates.LISTENING, command.protocol() + " port " + command.port());
        PlaylistKeeper keeper = PlaylistKeeper.keep(command.folder().resolve(Session.playlistFile(currentSession)));
        FfmpegLog log = new FfmpegLog(channel);
        Optional<String> refusal = Optional.empty();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(ffmpeg.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null && refusal.isEmpty(); line = output.readLine()) {
                switch (log.read(line)) {
                    case PUBLISH_NAMED -> refusal = keyRefusal(log);
                    case INPUT_DESCRIBED -> {
                        refusal = keyRefusal(log).or(() -> check.refuseCodecs(log.videoCodec(), log.audioCodec()));
                        if (refusal.isEmpty()) {
                            letIn(log, currentSession, currentConnection, peer(ffmpeg));
                        }
                    }
                    default -> { }
                }
                if (refusal.isPresent()) {
                    String from = peer(ffmpeg).map(PeerAddress::describe).orElse("an unknown address");
                    ffmpeg.destroyForcibly(); // before any segment of it is written
                    LOG.warn("Channel {}: refused a publisher from {}: {}", channel.name(), from, refusal.get());
                }
            }
        } catch (IOException e) {
            // the pipe closes under the reader when ffmpeg is stopped: what matters is how ffmpeg ended
            LOG.debug("Channel {}: ffmpeg's output ended: {}", channel.name(), e.getMessage());
        }
        int exitCode = waitForExit(ffmpeg);
        boolean wasAdmitted;
        boolean stopped;
        boolean overGrace;
        synchronized (lock) {
            process = null;
            wasAdmitted = admitted;
            stopped = stopping;
            overGrace = graceOver;
        }
        if (wasAdmitted) {
            keeper.discard();
            lastReason = reason(exitCode, stopped);
            emit(currentSession, StreamingHeaders.PUBLISHER_LEFT, exchange -> {
                exchange.getMessage().setHeader(StreamingHeaders.CONNECTION, currentConnection);
                exchange.getMessage().setHeader(StreamingHeaders.EXIT_CODE, exitCode);
                exchange.getMessage().setHeader(StreamingHeaders.REASON, lastReason);
            });
            return stopped ? Outcome.STOPPED : Outcome.SERVED;
        }
        deleteFilesOf(currentSession, currentConnection);
        keeper.restore(); // a refused publisher may have appended to the session's playlist
        if (stopped) {
            return Outcome.STOPPED;
        }
        if (overGrace) {
            return Outcome.GRACE_OVER;
        }
        if (refusal.isPresent()) {
            return Outcome.REFUSED;
        }
        if (log.sawConnection() && !log.bindFailed()) {
            LOG.warn("Channel {}: a client connected but did not publish: {}", channel.name(),
                    log.tail().isEmpty() ? "ffmpeg exited with code " + exitCode : log.tail().get(log.tail().size() - 1));
            return Outcome.REFUSED;
        }
        bindFailed = log.bindFailed();
        LOG.warn("Channel {}: ffmpeg exited with code {} before a publisher was served; its last lines:\n  {}",
                channel.name(), exitCode, String.join("\n  ", log.tail()));
        return Outcome.FAILED;
    }

    private ListenerStates states() {
        return getEndpoint().getComponent().states();
    }

    private String listenerName() {
        return channel.name() + "/" + command.protocol().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The publisher passed the checks: its segments may reach the origin, and the session starts or goes on. */
    private void letIn(FfmpegLog log, String currentSession, int currentConnection, Optional<InetSocketAddress> peer) {
        states().set(listenerName(), ListenerStates.SERVING, command.protocol() + " port " + command.port());
        boolean reconnected;
        synchronized (lock) {
            admitted = true;
            graceOver = false;
            if (graceTimeout != null) {
                graceTimeout.cancel(false);
                graceTimeout = null;
            }
            reconnected = sessionStarted;
            sessionStarted = true;
        }
        String event = reconnected ? StreamingHeaders.PUBLISHER_RECONNECTED : StreamingHeaders.SESSION_STARTED;
        emit(currentSession, event, exchange -> {
            exchange.getMessage().setHeader(StreamingHeaders.CONNECTION, currentConnection);
            exchange.getMessage().setHeader(StreamingHeaders.REMOTE_ADDRESS,
                    peer.map(PeerAddress::describe).orElse("unknown"));
            exchange.getMessage().setHeader(StreamingHeaders.INPUT, log.input());
            exchange.getMessage().setHeader(StreamingHeaders.VIDEO_CODEC, log.videoCodec());
            exchange.getMessage().setHeader(StreamingHeaders.AUDIO_CODEC, log.audioCodec());
            exchange.getMessage().setHeader(StreamingHeaders.RESOLUTION, log.resolution());
        });
    }

    /** Ends the current session, if one is live or in its grace: the route closes it at the origin. */
    private void endSession(String reason) {
        String ended;
        boolean started;
        synchronized (lock) {
            ended = session;
            started = sessionStarted;
            session = null;
            sessionStarted = false;
            graceOver = false;
            if (graceTimeout != null) {
                graceTimeout.cancel(false);
                graceTimeout = null;
            }
        }
        if (ended != null && started) {
            emit(ended, StreamingHeaders.SESSION_ENDED,
                    exchange -> exchange.getMessage().setHeader(StreamingHeaders.REASON, reason));
        }
    }

    private static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Over RTMP the key is the stream name, checked here; over SRT the encryption already refused a wrong one. */
    private Optional<String> keyRefusal(FfmpegLog log) {
        return command.protocol() == IngestCommand.Protocol.SRT ? Optional.empty()
                : check.refuseName(log.publishedName());
    }

    /** The publisher's address: known for RTMP (TCP); SRT's UDP sockets do not show their peer in /proc. */
    private Optional<InetSocketAddress> peer(Process ffmpeg) {
        return command.protocol() == IngestCommand.Protocol.SRT ? Optional.empty()
                : PeerAddress.of(ffmpeg.pid(), command.port());
    }

    private static String reason(int exitCode, boolean stopped) {
        if (stopped) {
            return "the application stopped";
        }
        return switch (exitCode) {
            case 0 -> "the publisher disconnected";
            case 1 -> "the connection failed";
            case 137 -> "ffmpeg was killed";
            default -> "ffmpeg exited with code " + exitCode;
        };
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

    private void emit(String currentSession, String event, Consumer<Exchange> details) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setHeader(StreamingHeaders.CHANNEL, channel.name());
            exchange.getMessage().setHeader(StreamingHeaders.SESSION, currentSession);
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

    /**
     * Deletes what a connection that was never let in may have written: its segments, and the session's playlist
     * too while no publisher of the session was ever let in.
     */
    private void deleteFilesOf(String currentSession, int currentConnection) {
        boolean started;
        synchronized (lock) {
            started = sessionStarted && currentSession.equals(session);
        }
        try (Stream<Path> files = Files.list(command.folder())) {
            for (Path file : files.filter(f -> Session.ownedByConnection(f.getFileName().toString(), currentSession,
                    currentConnection) || !started && Session.owns(f.getFileName().toString(), currentSession))
                    .toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Channel {}: cannot clean up after a refused connection: {}", channel.name(), e.getMessage());
        }
    }
}
