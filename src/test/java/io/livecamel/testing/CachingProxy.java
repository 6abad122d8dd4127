package io.livecamel.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx (Debian's package) as a caching reverse proxy in front of the origin, configured only to honour the origin's
 * headers: {@code proxy_cache} with {@code proxy_cache_lock on} and no forced validity. Its access log says, per
 * request, whether the cache answered it or asked the origin. Where nginx is not installed, the test is skipped
 * with the reason printed ({@code .ci/run} installs it).
 */
public final class CachingProxy implements AutoCloseable {

    public static final Path NGINX = Nginx.EXECUTABLE;

    /** One request as nginx logged it: when it ended, its path, the cache's status, and whether the origin was asked. */
    public record Request(double at, String path, String cacheStatus, boolean fromOrigin) {
    }

    private final Process process;
    private final Path folder;
    private final int port;

    private CachingProxy(Process process, Path folder, int port) {
        this.process = process;
        this.folder = folder;
        this.port = port;
    }

    /** Starts nginx on a free port of 127.0.0.1 in front of {@code origin} (http://host:port). */
    public static CachingProxy start(URI origin, Path folder) throws IOException, InterruptedException {
        if (!Files.isExecutable(NGINX)) {
            System.out.println("SKIPPED: nginx is not installed (apt-get install nginx; .ci/run does)");
        }
        assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx)");
        Files.createDirectories(folder.resolve("cache"));
        int port = FreePort.find();
        String conf = """
                user root root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 2048; }
                http {
                    log_format cache '$msec $request_method $uri $upstream_cache_status $upstream_addr';
                    access_log %1$s/access.log cache;
                    client_body_temp_path %1$s/client-body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    proxy_cache_path %1$s/cache levels=1:2 keys_zone=live:10m max_size=256m inactive=10m;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass %3$s;
                            proxy_http_version 1.1;
                            proxy_cache live;
                            proxy_cache_lock on;
                            add_header X-Cache-Status $upstream_cache_status always;
                        }
                    }
                }
                """.formatted(folder.toAbsolutePath(), port, origin.toString().replaceAll("/$", ""));
        return new CachingProxy(Nginx.start(folder, conf, port), folder, port);
    }

    /** The URL of {@code path} (e.g. {@code /live/videos/main/index.m3u8}) through the cache. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Every request logged so far. */
    public List<Request> requests() throws IOException {
        List<Request> requests = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("access.log"))) {
            String[] fields = line.split(" ");
            if (fields.length == 5) {
                requests.add(new Request(Double.parseDouble(fields[0]), fields[2], fields[3], !"-".equals(fields[4])));
            }
        }
        return requests;
    }

    @Override
    public void close() throws InterruptedException {
        Nginx.stop(process);
    }
}
