package io.livecamel.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a process and its children took, from /proc: CPU of the process itself; its peak resident memory; its
 * threads, its children's (ffmpeg's) CPU and resident memory, sampled every 200 ms (a child's CPU in its last
 * 200 ms is not counted).
 */
final class ProcessUsage implements AutoCloseable {

    private static final double TICK = 1.0 / 100; // USER_HZ, 100 on Linux

    private final long pid;
    private final AtomicLong peakThreads = new AtomicLong();
    private final AtomicLong peakChildrenRss = new AtomicLong();
    private final java.util.Map<Long, Double> childrenCpu = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, double[]> threadCpu = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread sampler;

    /** Threads and the children's CPU and memory sampled every 200 ms from now until {@link #close()}. */
    ProcessUsage(long pid) throws IOException {
        this.pid = pid;
        sampleThreads(true);
        sampler = new Thread(this::sample, "usage-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Seconds of CPU: [own, children waited for], from /proc/pid/stat (utime+stime, cutime+cstime). */
    static double[] cpu(long pid) throws IOException {
        return cpu(Path.of("/proc", Long.toString(pid), "stat"));
    }

    private static double[] cpu(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
        return new double[] {
            (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK,
            (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * TICK};
    }

    /** A field of /proc/pid/status in kB (VmRSS, VmHWM) or as a count (Threads); 0 if the process is gone. */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            peakThreads.accumulateAndGet(status(pid, "Threads"), Math::max);
            long children = 0;
            for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
                children += status(child.pid(), "VmRSS");
                try {
                    childrenCpu.put(child.pid(), cpu(child.pid())[0]);
                } catch (IOException | RuntimeException e) {
                    // it has just ended: its last sample stands
                }
            }
            peakChildrenRss.accumulateAndGet(children, Math::max);
            sampleThreads(false);
            try {
                Thread.sleep(200); // a sampling interval
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The process's own CPU (s) at a moment. */
    record Mark(long nanos, double cpu) {

        /** The CPU from this mark to {@code later}, in % of one core. */
        double shareUntil(Mark later) {
            return (later.cpu() - cpu) / ((later.nanos() - nanos) / 1e9) * 100;
        }
    }

    Mark mark() throws IOException {
        return new Mark(System.nanoTime(), cpu(pid)[0]);
    }

    /** Each thread's CPU, [at the start, last seen], by "tid name" (threads started later start at 0). */
    private void sampleThreads(boolean start) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    double cpu = cpu(task.resolve("stat"))[0];
                    threadCpu.computeIfAbsent(task.getFileName() + " " + name, k -> new double[] {start ? cpu : 0, 0})[1]
                            = cpu;
                } catch (IOException | RuntimeException e) {
                    // the thread has just ended: its last sample stands
                }
            }
        } catch (IOException e) {
            // the process has ended
        }
    }

    /** CPU seconds by thread name (digits as #), most first: where the process's own CPU went. */
    java.util.Map<String, Double> cpuByThread() {
        sampleThreads(false);
        java.util.Map<String, Double> byName = new java.util.HashMap<>();
        threadCpu.forEach((key, cpu) -> byName.merge(key.substring(key.indexOf(' ') + 1).replaceAll("[0-9]+", "#"),
                cpu[1] - cpu[0], Double::sum));
        java.util.Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * The figures so far: the process's own CPU between two {@link #mark()}s, its children's since they started;
     * call while the process still runs, after its children have ended.
     */
    Figures figures(Mark from, Mark until) {
        double wall = (until.nanos() - from.nanos()) / 1e9;
        double children = childrenCpu.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Figures(wall, until.cpu() - from.cpu(), children, status(pid, "VmHWM") / 1024.0,
                peakThreads.get(), peakChildrenRss.get() / 1024.0);
    }

    /** CPU in seconds over {@code wall} seconds; memory in MiB. */
    record Figures(double wall, double cpu, double childrenCpu, double peakRss, long peakThreads,
            double peakChildrenRss) {

        double cpuShare() {
            return cpu / wall * 100;
        }

        double childrenShare() {
            return childrenCpu / wall * 100;
        }
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
