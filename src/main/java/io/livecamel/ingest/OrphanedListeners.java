package io.livecamel.ingest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg listeners left behind by an earlier run of the application that was killed outright (SIGKILL, the OOM
 * killer): Java cannot make its children die with it, so they keep the channel's port. Only processes that are
 * certainly such orphans are stopped: re-parented to init, running this application's ffmpeg, with this
 * application's listener arguments on this port. Another running instance's listeners are never touched.
 */
final class OrphanedListeners {

    private OrphanedListeners() {
    }

    /** Stops the orphans holding the port; returns how many there were. */
    static int stop(Path executable, int port) {
        List<String> signatures = List.of("rtmp://0.0.0.0:" + port + "/live/ingest-",
                "srt://0.0.0.0:" + port + "?mode=listener");
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(process -> process.parent().map(parent -> parent.pid() == 1).orElse(true))
                .filter(process -> process.info().command().map(executable.toString()::equals).orElse(false))
                .filter(process -> process.info().arguments().map(arguments -> Arrays.stream(arguments)
                        .anyMatch(argument -> signatures.stream().anyMatch(argument::startsWith))).orElse(false))
                .toList();
        for (ProcessHandle orphan : orphans) {
            orphan.destroy();
            try {
                orphan.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                orphan.destroyForcibly();
            }
        }
        return orphans.size();
    }
}
