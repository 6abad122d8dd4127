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
 * Tasks run one at a time, in the order given, on a thread of the component's pool taken only while there is one to
 * run: a channel's session changes ({@link ChannelIngest#inSession}) and the deliveries of its events to its route
 * ({@link IngestConsumer}). So an idle channel holds no thread, and what the tasks share needs no lock: each sees
 * what the ones before it did (the queue hands them over in order). Once {@link #close}d, the tasks queued still run
 * and new ones are refused ({@link RejectedExecutionException}), as from a shut-down executor.
 */
final class OneAtATime implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(OneAtATime.class);

    /** Whose tasks, for the log ("Channel main: its session"). */
    private final String label;
    /** The component's pool, once it has started (channels are declared before). */
    private final Supplier<? extends Executor> pool;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** A pool thread runs these tasks now, or is about to. */
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;

    OneAtATime(String label, Supplier<? extends Executor> pool) {
        this.label = label;
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException(label + ": closed");
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
                    LOG.error("{}: a task failed", label, e);
                }
            }
        } finally {
            running.set(false);
        }
        schedule(); // a task queued after the last poll, before running was cleared
    }
}
