package io.livecamel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Whether a port is listening, read from /proc/net without connecting (a probe that connects would be a client of
 * the server under test, and an SRT listener serves one caller only).
 */
public final class Listeners {

    private static final String LISTEN = "0A";

    private Listeners() {
    }

    /** A TCP socket in LISTEN state on the port. */
    public static boolean isListening(int port) {
        return anyRow(port, "tcp", state -> LISTEN.equals(state));
    }

    /** A UDP socket bound to the port (an SRT listener). */
    public static boolean isBoundUdp(int port) {
        return anyRow(port, "udp", state -> true);
    }

    private static boolean anyRow(int port, String protocol, Predicate<String> state) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : new String[] {"/proc/net/" + protocol, "/proc/net/" + protocol + "6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 3 && fields[1].endsWith(hexPort) && state.test(fields[3])) {
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

    /** Waits until something listens on the TCP port; returns how long that took. */
    public static Duration awaitListening(int port, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Eventually.await("a listener on port " + port, timeout, () -> isListening(port));
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
