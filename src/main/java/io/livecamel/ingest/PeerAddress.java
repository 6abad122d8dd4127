package io.livecamel.ingest;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The address of the peer connected to a process's listening port, read from Linux's /proc: ffmpeg does not log who
 * connected, but the application must say from where a refused publisher came. Finds the process's sockets
 * (/proc/PID/fd), then the established TCP connection among them on the local port (/proc/net/tcp, tcp6).
 */
final class PeerAddress {

    private static final String ESTABLISHED = "01";

    private PeerAddress() {
    }

    /** An address as logs show it: {@code 192.0.2.7:51234}. */
    static String describe(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** The remote end of {@code pid}'s established connection on {@code localPort}, if there is one. */
    static Optional<InetSocketAddress> of(long pid, int localPort) {
        Set<String> sockets = socketInodes(pid);
        if (sockets.isEmpty()) {
            return Optional.empty();
        }
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    Optional<InetSocketAddress> peer = parse(line, localPort, sockets);
                    if (peer.isPresent()) {
                        return peer;
                    }
                }
            } catch (IOException e) {
                // no such table (no IPv6) or not Linux
            }
        }
        return Optional.empty();
    }

    /** One row of /proc/net/tcp: {@code sl local_address rem_address st ... inode ...}. */
    static Optional<InetSocketAddress> parse(String line, int localPort, Set<String> sockets) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 10 || !ESTABLISHED.equals(fields[3]) || !sockets.contains(fields[9])) {
            return Optional.empty();
        }
        String[] local = fields[1].split(":");
        String[] remote = fields[2].split(":");
        if (local.length != 2 || remote.length != 2 || Integer.parseInt(local[1], 16) != localPort) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(address(remote[0]), Integer.parseInt(remote[1], 16)));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** An address as /proc writes it: 32-bit words in hex, each in the machine's (little-endian) byte order. */
    static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            byte[] value = new BigInteger(hex.substring(word * 8, word * 8 + 8), 16).toByteArray();
            for (int i = 0; i < 4; i++) {
                int from = value.length - 1 - i;
                bytes[word * 4 + i] = from >= 0 ? value[from] : 0;
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        return address;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // the process is gone, or this is not Linux
        }
        return inodes;
    }
}
