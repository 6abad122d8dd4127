package io.livecamel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Whether a TCP port is in LISTEN state, read from /proc/net/tcp without connecting: ffmpeg's RTMP listener
 * accepts exactly one connection, so probing it by connecting would use it up.
 */
public final class Listeners {

    private static final String LISTEN = "0A";

    private Listeners() {
    }

    public static boolean isListening(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 3 && fields[1].endsWith(hexPort) && LISTEN.equals(fields[3])) {
                        return true;
                    }
                }
            } catch (NoSuchFileException e) {
                // no IPv6
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    /** Whether a UDP socket is bound to the port (an SRT listener), from /proc/net/udp. */
    public static boolean isBoundUdp(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 3 && fields[1].endsWith(hexPort)) {
                        return true;
                    }
                }
            } catch (NoSuchFileException e) {
                // no IPv6
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    /** Waits until something listens on the port; returns how long that took. */
    public static Duration awaitListening(int port, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Eventually.await("a listener on port " + port, timeout, () -> isListening(port));
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
