package io.livecamel.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * nginx with Debian's RTMP module ({@code libnginx-mod-rtmp}, nginx-rtmp 1.2.2): a real RTMP server no one here
 * wrote, with an application {@code live} whose directives the test gives ({@code on_publish http://…;},
 * {@code record all;}…). Where nginx or the module is missing, the test is skipped with the reason printed
 * ({@code .ci/run} installs them).
 */
public final class NginxRtmp implements AutoCloseable {

    public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final Process process;
    private final int port;
    private final Path folder;

    private NginxRtmp(Process process, int port, Path folder) {
        this.process = process;
        this.port = port;
        this.folder = folder;
    }

    /** Starts it on a free port of 127.0.0.1, its files in {@code folder}, with {@code directives} in {@code live}. */
    public static NginxRtmp start(Path folder, String directives) throws IOException, InterruptedException {
        return start(folder, FreePort.find(), Map.of("live", directives));
    }

    /**
     * Starts it on {@code port} of 127.0.0.1 (again, after a stop), its files in {@code folder}, with an application
     * per entry of {@code applications} (its name, its directives besides {@code live on;}).
     */
    public static NginxRtmp start(Path folder, int port, Map<String, String> applications)
            throws IOException, InterruptedException {
        boolean present = Files.isExecutable(Nginx.EXECUTABLE) && Files.exists(MODULE);
        if (!present) {
            System.out.println("SKIPPED: nginx with its RTMP module is not installed (apt-get install nginx "
                    + "libnginx-mod-rtmp; .ci/run does)");
        }
        assumeTrue(present, "nginx with its RTMP module is not installed (apt-get install nginx libnginx-mod-rtmp)");
        Files.createDirectories(folder);
        StringBuilder blocks = new StringBuilder();
        applications.forEach((name, directives) -> blocks.append("""
                        application %s {
                            live on;
                            %s
                        }
                """.formatted(name, directives)));
        String conf = """
                load_module %1$s;
                user root root;
                worker_processes 1;
                pid %2$s/nginx.pid;
                error_log %2$s/error.log info;
                events { worker_connections 256; }
                rtmp {
                    server {
                        listen 127.0.0.1:%3$d;
                %4$s
                    }
                }
                """.formatted(MODULE, folder.toAbsolutePath(), port, blocks);
        return new NginxRtmp(Nginx.start(folder, conf, port), port, folder);
    }

    /** What it logged (error.log, at level info: connect, publish, deleteStream, disconnect...). */
    public String log() throws IOException {
        Path log = folder.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        Nginx.stop(process);
    }
}
