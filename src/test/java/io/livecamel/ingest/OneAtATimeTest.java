package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.livecamel.testing.Eventually;
import io.livecamel.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks on a shared pool: one at a time, in order, each seeing what the last did; no thread kept once they are done. */
class OneAtATimeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newCachedThreadPool(
            task -> new Thread(task, "test-pool"));
    private final OneAtATime tasks = new OneAtATime("Channel main: its session", () -> pool);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void tasksGivenFromManyThreadsRunOneAtATimeInTheOrderEachGaveThemOnThePool() throws Exception {
        int givers = 8;
        int each = 2_000;
        AtomicBoolean busy = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        List<int[]> ran = new ArrayList<>(); // no lock: each task must see what the one before it wrote
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> giving = new ArrayList<>();
        for (int giver = 0; giver < givers; giver++) {
            int from = giver;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int number = 0; number < each; number++) {
                    int[] task = {from, number};
                    tasks.execute(() -> {
                        if (!busy.compareAndSet(false, true)) {
                            overlaps.incrementAndGet();
                        }
                        threads.add(Thread.currentThread().getName());
                        ran.add(task);
                        busy.set(false);
                    });
                }
            }, "giver-" + giver);
            thread.start();
            giving.add(thread);
        }
        start.countDown();
        for (Thread thread : giving) {
            thread.join(WAIT.toMillis());
            assertFalse(thread.isAlive(), thread.getName() + " did not give its tasks within " + WAIT);
        }
        AtomicInteger seen = new AtomicInteger();
        tasks.execute(() -> seen.set(ran.size()));
        Eventually.await("all " + givers * each + " tasks to run", WAIT, () -> seen.get() == givers * each);

        assertEquals(0, overlaps.get(), "tasks ran at the same time");
        assertEquals(Set.of("test-pool"), threads, "the tasks ran on the pool's threads only");
        int[] last = new int[givers];
        Arrays.fill(last, -1);
        for (int[] task : ran) {
            assertEquals(last[task[0]] + 1, task[1], "giver " + task[0] + "'s tasks out of order");
            last[task[0]] = task[1];
        }
        Eventually.await("the pool's threads to be idle once the tasks are done", WAIT,
                () -> pool.getActiveCount() == 0);
    }

    @Test
    void aTaskThatFailsIsLoggedWithItsChannelAndTheNextOnesRun() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            CountDownLatch next = new CountDownLatch(1);
            tasks.execute(() -> {
                throw new IllegalStateException("broken on purpose");
            });
            tasks.execute(next::countDown);
            assertTrue(next.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the task after the failed one ran");
            Eventually.await("the failure in the log", WAIT, () -> log.lines().stream().anyMatch(line ->
                    line.contains("Channel main: its session: a task failed")));
        }
    }

    @Test
    void closedTheyRunWhatIsQueuedAndRefuseMore() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        tasks.execute(() -> {
            first.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add("first");
        });
        tasks.execute(() -> ran.add("queued"));
        assertTrue(first.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the first task started");

        tasks.close();
        RejectedExecutionException refused = assertThrows(RejectedExecutionException.class,
                () -> tasks.execute(() -> ran.add("late")));
        assertEquals("Channel main: its session: closed", refused.getMessage());
        release.countDown();

        Eventually.await("the queued task to run", WAIT, () -> ran.size() == 2);
        assertEquals(List.of("first", "queued"), ran);
    }
}
