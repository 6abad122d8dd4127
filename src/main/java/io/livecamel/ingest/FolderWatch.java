package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ffmpeg finishes in the channels' folders, for every channel on one thread: a file that appears under its name
 * (ffmpeg writes {@code x.ts.tmp} and renames it to {@code x.ts} when complete; it replaces its playlist the same
 * way) is told to the folder's channel by name. A burst the operating system could not keep up with is told as
 * {@code null}: the channel then looks at its folder itself.
 */
final class FolderWatch {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatch.class);

    private final WatchService service;
    private final Map<WatchKey, Consumer<String>> folders = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> keys = new ConcurrentHashMap<>();

    FolderWatch(ExecutorService thread) throws IOException {
        service = FileSystems.getDefault().newWatchService();
        thread.execute(this::run);
    }

    /** Tells {@code onFile} of each file that appears in {@code folder} from now on (once per folder). */
    void watch(Path folder, Consumer<String> onFile) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        if (!keys.containsKey(absolute)) {
            WatchKey key = absolute.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            folders.put(key, onFile);
            keys.put(absolute, key);
        }
    }

    /** No longer tells of files in {@code folder}. */
    void forget(Path folder) {
        WatchKey key = keys.remove(folder.toAbsolutePath().normalize());
        if (key != null) {
            key.cancel();
            folders.remove(key);
        }
    }

    void close() throws IOException {
        service.close();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Consumer<String> onFile = folders.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (onFile == null) {
                        continue;
                    }
                    try {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            onFile.accept(null);
                        } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                                || event.context().toString().endsWith(".m3u8")) {
                            onFile.accept(event.context().toString());
                        }
                    } catch (RuntimeException e) {
                        LOG.error("A file event could not be handled: {}", e.toString(), e);
                    }
                }
                if (!key.reset()) {
                    folders.remove(key);
                    keys.values().remove(key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            LOG.debug("The media folders are no longer watched");
        } catch (RuntimeException e) {
            LOG.error("The media folders are no longer watched: {}", e.toString(), e);
        }
    }
}
