package io.livecamel.ingest;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's session tasks: every change of its session, run one at a time and in the order given, on a thread of
 * the component's pool taken only while there is one to run. So a channel costs no thread of its own while its
 * session waits (64 channels: 64 threads fewer), and its session's state needs no lock: each task sees what the ones
 * before it did (the queue hands them over in order). Once {@link #close}d, the tasks queued still run and new ones
 * are refused ({@link RejectedExecutionException}), as from a shut-down executor.
 */
final class SessionTasks implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTasks.class);

    private final String channel;
    /** The component's pool, once it has started (channels are declared before). */
    private final Supplier<Executor> pool;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** A pool thread runs this channel's tasks now, or is about to. */
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;

    SessionTasks(String channel, Supplier<Executor> pool) {
        this.channel = channel;
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("channel " + channel + " is closed");
        }
        queue.add(task);
        schedule();
    }

    /** No more tasks are taken; those queued still run. */
    void close() {
        closed = true;
    }

    private void schedule() {
        if (!queue.isEmpty() && running.compareAndSet(false, true)) {
            try {
                pool.get().execute(this::runQueued);
            } catch (RuntimeException e) { // the pool is shut down: the application stops
                running.set(false);
                throw e;
            }
        }
    }

    private void runQueued() {
        try {
            for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Channel {}: a change of its session failed", channel, e);
                }
            }
        } finally {
            running.set(false);
        }
        schedule(); // a task queued after the last poll, before running was cleared
    }
}
