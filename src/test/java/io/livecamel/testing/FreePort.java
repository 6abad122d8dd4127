package io.livecamel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port nothing listens on right now, so tests do not collide with a running application (1935, 9000).
 * The kernel may hand out the same free port to two calls in a row; a port is never returned twice in one JVM. When
 * the build runs the tests in several JVMs at once ({@code test.forks}, {@code test.fork} from 1), each JVM takes
 * only ports of its own: blocks of 16 in turn (not by parity: Linux hands out odd ports to {@code bind(0)}), so two
 * JVMs never take the same port.
 */
public final class FreePort {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int FORKS = Integer.getInteger("test.forks", 1);
    private static final int FORK = Integer.getInteger("test.fork", 1);

    private FreePort() {
    }

    public static int find() {
        for (int attempt = 0; attempt < 100 * FORKS; attempt++) {
            int port = probe();
            if ((port / 16) % FORKS == FORK - 1 && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free TCP port that was not handed out already, after 100 attempts");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
