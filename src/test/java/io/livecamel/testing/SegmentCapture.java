package io.livecamel.testing;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps what ffmpeg wrote: every finished segment that appears in a channel folder is hard-linked into a capture
 * folder the moment it appears, so the test can compare the origin's copy byte for byte after the application
 * has deleted its own. Also notes when each segment appeared (the start of the origin latency).
 */
public final class SegmentCapture implements AutoCloseable {

    private final Path folder;
    private final Path capture;
    private final WatchService watcher;
    private final Thread thread;
    private final Map<String, Long> finishedAtNanos = new ConcurrentHashMap<>();
    private final List<String> missed = new CopyOnWriteArrayList<>();
    private final List<String> created = new CopyOnWriteArrayList<>();

    public SegmentCapture(Path folder, Path capture) throws IOException {
        this.folder = folder;
        this.capture = capture;
        Files.createDirectories(folder);
        Files.createDirectories(capture);
        watcher = FileSystems.getDefault().newWatchService();
        folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        thread = new Thread(this::run, "segment-capture");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path name) {
                        created.add(name.toString());
                        if (name.toString().endsWith(".ts")) {
                            keep(name.toString());
                        }
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void keep(String name) {
        finishedAtNanos.putIfAbsent(name, System.nanoTime());
        try {
            Files.createLink(capture.resolve(name), folder.resolve(name));
        } catch (NoSuchFileException e) {
            missed.add(name);
        } catch (IOException e) {
            missed.add(name + " (" + e + ")");
        }
    }

    /** The segments captured so far, by file name, oldest first. */
    public List<String> segments() throws IOException {
        try (var files = Files.list(capture)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public byte[] bytes(String segment) throws IOException {
        return Files.readAllBytes(capture.resolve(segment));
    }

    /** When a segment appeared under its final name, in {@link System#nanoTime()}, or null. */
    public Long finishedAtNanos(String segment) {
        return finishedAtNanos.get(segment);
    }

    /** Every file that appeared in the folder, temporary ones and playlists included, in order. */
    public List<String> created() {
        return created;
    }

    /** Segments that were gone before they could be captured: the comparison would be incomplete. */
    public List<String> missed() {
        return missed;
    }

    @Override
    public void close() throws IOException {
        watcher.close();
    }
}
