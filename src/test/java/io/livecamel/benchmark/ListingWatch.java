package io.livecamel.benchmark;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.livecamel.hls.Playlist;

/**
 * Sees every version of the playlists under some folders the moment it is written (inotify, no polling), and keeps
 * per playlist folder when each segment was first listed, whether a version listed a segment not yet there, and when
 * the end marker came. It watches the segmenter's folders ({@link Side#LOCAL}, any {@code .m3u8}) and the origin's
 * store ({@link Side#ORIGIN}, s3proxy's files, {@code index.m3u8} only): s3proxy moves an object into place
 * complete, so a file there is what a viewer's GET gets.
 */
final class ListingWatch implements AutoCloseable {

    enum Side { LOCAL, ORIGIN }

    /** One playlist folder's history. */
    static final class Listing {
        private final Map<String, Long> firstListed = new LinkedHashMap<>();
        private final Map<String, Double> durations = new HashMap<>();
        private String last = "";
        private int versions;
        private int versionsMissing;
        private long endListAt;

        private synchronized void version(String text, Path folder, long at, boolean checkPresence) {
            if (text.equals(last) || !text.startsWith("#EXTM3U")) {
                return;
            }
            last = text;
            versions++;
            boolean missing = false;
            Playlist playlist = Playlist.parse(text);
            if (playlist.ended() && endListAt == 0) {
                endListAt = at;
            }
            for (Playlist.Segment segment : playlist.segments()) {
                String name = segment.uri().substring(segment.uri().lastIndexOf('/') + 1);
                firstListed.putIfAbsent(name, at);
                durations.putIfAbsent(name, segment.duration());
                if (checkPresence && !Files.isRegularFile(folder.resolve(name))) {
                    missing = true;
                }
            }
            if (missing) {
                versionsMissing++;
            }
        }

        synchronized Map<String, Long> firstListed() {
            return new LinkedHashMap<>(firstListed);
        }

        synchronized double duration(String segment) {
            return durations.getOrDefault(segment, 0.0);
        }

        synchronized int versions() {
            return versions;
        }

        /** Versions that listed a segment the folder did not hold when the version was read. */
        synchronized int versionsMissing() {
            return versionsMissing;
        }

        synchronized long endListAt() {
            return endListAt;
        }
    }

    private final WatchService watch;
    private final Map<WatchKey, Path> folders = new ConcurrentHashMap<>();
    private final Map<Path, Side> roots;
    private final Map<Path, Listing> listings = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile Throwable failure;

    ListingWatch(Map<Path, Side> roots) throws IOException {
        Map<Path, Side> absolute = new HashMap<>();
        roots.forEach((root, side) -> absolute.put(root.toAbsolutePath().normalize(), side));
        this.roots = Map.copyOf(absolute);
        this.watch = java.nio.file.FileSystems.getDefault().newWatchService();
        for (Path root : this.roots.keySet()) {
            Files.createDirectories(root);
            register(root);
        }
        thread = new Thread(this::loop, "listing-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The history of the playlists in {@code folder} (empty if none was seen). */
    Listing listing(Path folder) {
        return listings.computeIfAbsent(folder.toAbsolutePath().normalize(), f -> new Listing());
    }

    Throwable failure() {
        return failure;
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watch.take();
                long at = System.nanoTime();
                Path folder = folders.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == OVERFLOW) {
                        for (Path known : new ArrayList<>(folders.values())) {
                            scan(known, at);
                        }
                    } else if (folder != null) {
                        Path path = folder.resolve((Path) event.context());
                        if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) {
                            register(path);
                        } else {
                            seen(path, at);
                        }
                    }
                }
                if (!key.reset()) {
                    folders.remove(key);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void register(Path folder) throws IOException {
        folders.put(folder.register(watch, ENTRY_CREATE, ENTRY_MODIFY), folder);
        List<Path> inside;
        try (Stream<Path> list = Files.list(folder)) {
            inside = list.toList();
        } catch (NoSuchFileException e) {
            return;
        }
        long at = System.nanoTime();
        for (Path path : inside) {
            if (Files.isDirectory(path)) {
                register(path);
            } else {
                seen(path, at);
            }
        }
    }

    private void scan(Path folder, long at) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            for (Path path : list.toList()) {
                seen(path, at);
            }
        } catch (NoSuchFileException e) {
            // gone
        }
    }

    private void seen(Path path, long at) {
        String name = path.getFileName().toString();
        Side side = sideOf(path);
        if (side == null || !name.endsWith(".m3u8") || side == Side.ORIGIN && !name.equals("index.m3u8")) {
            return;
        }
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path folder = path.getParent().toAbsolutePath().normalize();
        listing(folder).version(text, folder, at, side == Side.ORIGIN);
    }

    private Side sideOf(Path path) {
        for (Map.Entry<Path, Side> root : roots.entrySet()) {
            if (path.startsWith(root.getKey())) {
                return root.getValue();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        watch.close();
        thread.join(10_000);
    }
}
