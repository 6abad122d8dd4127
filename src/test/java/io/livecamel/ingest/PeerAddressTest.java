package io.livecamel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void readsTheRemoteEndOfAnEstablishedRow() throws Exception {
        // 192.168.1.20:54321 connected to local port 1935, as /proc/net/tcp writes it
        String row = "  3: 0100007F:078F 1401A8C0:D431 01 00000000:00000000 00:00000000 00000000     0        0 4242 1";
        assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 54321)),
                PeerAddress.parse(row, 1935, Set.of("4242")));
        assertEquals(Optional.empty(), PeerAddress.parse(row, 1936, Set.of("4242")), "another port");
        assertEquals(Optional.empty(), PeerAddress.parse(row, 1935, Set.of("1")), "another process's socket");
        assertEquals(Optional.empty(), PeerAddress.parse(row.replace(" 01 ", " 0A "), 1935, Set.of("4242")),
                "a listening socket has no peer");
    }

    @Test
    void readsIpv6Addresses() throws Exception {
        // ::ffff:10.0.0.7 (an IPv4 client of an IPv6 socket) as /proc/net/tcp6 writes it
        assertEquals(InetAddress.getByName("10.0.0.7"), PeerAddress.address("0000000000000000FFFF00000700000A"));
        assertEquals(InetAddress.getByName("::1"), PeerAddress.address("00000000000000000000000001000000"));
    }

    @Test
    void findsTheClientOfThisProcesssOwnServerSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept();
             InputStream in = accepted.getInputStream()) {
            Optional<InetSocketAddress> peer = PeerAddress.of(ProcessHandle.current().pid(), server.getLocalPort());
            assertTrue(peer.isPresent());
            assertEquals(client.getLocalPort(), peer.get().getPort());
            assertEquals(InetAddress.getLoopbackAddress(), peer.get().getAddress());
        }
    }
}
