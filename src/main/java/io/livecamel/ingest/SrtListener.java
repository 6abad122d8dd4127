package io.livecamel.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.livecamel.media.Admission;
import io.livecamel.media.FlvReader;
import io.livecamel.media.MediaSink;
import io.livecamel.media.PublisherLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's SRT port: ffmpeg's SRT listener, with the channel's key as passphrase (SRT's encryption refuses a
 * wrong key before any media), turns the publisher's MPEG-TS into FLV on its standard output; the application reads
 * it into the same sessions as an RTMP publisher (same checks, same HLS writer). ffmpeg serves one caller and ends
 * with it, so a new listener starts at once; one that cannot listen is tried again after a back-off that doubles up
 * to 10 s. It runs under a small shell watchdog that stops it when the application's end of its input closes, so
 * that it never outlives the application, even when the JVM is killed.
 */
final class SrtListener {

    private static final Logger LOG = LoggerFactory.getLogger(SrtListener.class);
    /** A caller that sends nothing is dropped after this long. */
    static final long READ_TIMEOUT_MICROS = 5_000_000;
    /** Stops the child ("$@") when standard input closes (the JVM is gone) or the shell gets SIGTERM. */
    static final String WATCHDOG = String.join("\n",
            "exec 3<&0",
            "\"$@\" </dev/null 3<&- &",
            "child=$!",
            "trap 'kill -TERM $child 2>/dev/null' TERM INT",
            "( while IFS= read -r _; do :; done; kill -TERM $child 2>/dev/null ) <&3 3<&- &",
            "watcher=$!",
            "exec 3<&-",
            "while :; do wait $child; status=$?; kill -0 $child 2>/dev/null || break; done",
            "kill $watcher 2>/dev/null",
            "exit $status");

    private final ChannelIngest channel;
    private final IngestComponent component;
    private final String name;
    private final Object lock = new Object();
    private volatile boolean stopped;
    private Process process;
    private Future<?> supervisor;

    SrtListener(ChannelIngest channel, IngestComponent component) {
        this.channel = channel;
        this.component = component;
        this.name = channel.name() + "/srt";
    }

    void start() {
        supervisor = component.threads().submit(this::superviseUntilStopped);
    }

    void stop() throws InterruptedException {
        stopped = true;
        synchronized (lock) {
            if (process != null) {
                process.destroy();
            }
            lock.notifyAll();
        }
        try {
            supervisor.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Channel {}: the SRT listener did not stop cleanly: {}", channel.name(), e.toString());
        }
        component.servers().states().remove(name);
    }

    List<String> command() {
        Channel config = channel.channel();
        List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "srt-listener"));
        command.addAll(component.ffmpeg().command(List.of(
                "-rw_timeout", Long.toString(READ_TIMEOUT_MICROS),
                "-i", "srt://0.0.0.0:" + config.srtPort().getAsInt() + "?mode=listener&pbkeylen=16&passphrase="
                        + config.key(),
                "-map", "0:v?", "-map", "0:a?", "-c", "copy",
                "-f", "flv", "-flvflags", "no_duration_filesize", "pipe:1")));
        return command;
    }

    private void superviseUntilStopped() {
        long backoff = 0;
        int port = channel.channel().srtPort().getAsInt();
        while (!stopped) {
            boolean served;
            try {
                served = listenOnce(port);
            } catch (IOException e) {
                LOG.error("Channel {}: cannot start the SRT listener: {}", channel.name(),
                        channel.channel().redact(e.getMessage()));
                served = false;
            }
            if (served || stopped) {
                backoff = 0;
                continue;
            }
            backoff = ServerBinding.nextBackoff(backoff);
            LOG.warn("Channel {}: the SRT listener on port {} failed; trying again in {} ms", channel.name(), port,
                    backoff);
            component.servers().states().set(name, ListenerStates.FAILING, "cannot listen on SRT port " + port
                    + "; next try in " + backoff + " ms");
            synchronized (lock) {
                try {
                    if (!stopped) {
                        lock.wait(backoff);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One listener, for one caller: true when a caller sent a stream. */
    private boolean listenOnce(int port) throws IOException {
        Process listener;
        synchronized (lock) {
            if (stopped) {
                return true;
            }
            listener = new ProcessBuilder(command()).start();
            process = listener;
        }
        component.servers().states().set(name, ListenerStates.LISTENING, "SRT port " + port);
        OutputTail tail = new OutputTail("Channel " + channel.name() + " SRT ffmpeg", channel.channel()::redact);
        Future<?> log = component.threads().submit(() -> tail.read(listener.getErrorStream()));
        SrtLink link = new SrtLink(listener);
        MediaSink sink = null;
        boolean streamed = false;
        String reason = "the publisher disconnected";
        try {
            FlvReader reader = new FlvReader(listener.getInputStream());
            if (reader.header()) {
                streamed = true;
                Admission admission = channel.admit(link, null, SessionTerms.NONE);
                if (!admission.isAdmitted()) {
                    LOG.warn("Channel {}: refused an SRT publisher: {}", channel.name(), admission.refusal());
                    listener.destroy();
                } else {
                    sink = admission.sink();
                    while (link.awaitResumed() && reader.next(sink)) {
                        // tags go to the sink as they come
                    }
                }
            }
        } catch (IOException e) {
            reason = "the connection failed (" + e.getMessage() + ")";
        } finally {
            if (sink != null) {
                sink.end(reason);
            }
            listener.destroy();
            try {
                listener.waitFor();
                log.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("Channel {}: the SRT listener's log ended badly: {}", channel.name(), e.toString());
            }
            synchronized (lock) {
                process = null;
            }
        }
        if (!streamed && !stopped) {
            LOG.debug("Channel {}: the SRT listener ended without a stream; its last lines:\n  {}", channel.name(),
                    String.join("\n  ", tail.lines()));
        }
        return streamed;
    }

    /** The SRT publisher as the sessions see it: its address is not known (ffmpeg does not tell it). */
    private static final class SrtLink implements PublisherLink {
        private final Process listener;
        private boolean paused;

        SrtLink(Process listener) {
            this.listener = listener;
        }

        @Override
        public String address() {
            return "unknown";
        }

        @Override
        public synchronized void pause() {
            paused = true;
        }

        @Override
        public synchronized void resume() {
            paused = false;
            notifyAll();
        }

        synchronized boolean awaitResumed() {
            while (paused && listener.isAlive()) {
                try {
                    wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        @Override
        public void cut(String reason) {
            listener.destroy();
        }
    }
}
