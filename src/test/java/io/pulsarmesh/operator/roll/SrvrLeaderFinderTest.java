package io.pulsarmesh.operator.roll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code srvr} conversation over real sockets on loopback, one fake server per pod. */
class SrvrLeaderFinderTest {
    final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    final Map<String, Integer> ports = new HashMap<>();

    @AfterEach
    void close() throws IOException {
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    /** A server that answers {@code srvr} as ZooKeeper 3.9 does, in the given mode. */
    void server(String pod, String answer) throws IOException {
        ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        servers.add(ss);
        ports.put(pod, ss.getLocalPort());
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] cmd = in.readNBytes(4);
                    received.add(pod + ":" + new String(cmd, StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static String answer(String mode) {
        return "Zookeeper version: 3.9.3-abc, built on 2024-10-17 23:21 UTC\nLatency min/avg/max: 0/0.5/3\n"
                + "Received: 10\nSent: 9\nConnections: 1\nOutstanding: 0\nZxid: 0x100000002\nMode: " + mode
                + "\nNode count: 5\n";
    }

    SrvrLeaderFinder finder() {
        return new SrvrLeaderFinder((pod, svcNs) -> {
            Integer port = ports.get(pod);
            // A port nobody listens on for pods without a server: connection refused.
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port != null ? port : 1);
        });
    }

    @Test
    void theServerThatSaysLeaderLeads() throws IOException {
        server("pc-zk-0", answer("follower"));
        server("pc-zk-1", answer("leader"));
        server("pc-zk-2", answer("follower"));
        RollPlanner.Leader l = finder().find("ns", "pc-zk-headless", List.of("pc-zk-0", "pc-zk-1", "pc-zk-2"));
        assertEquals("pc-zk-1", l.leader());
        assertFalse(l.skipped());
        assertTrue(received.contains("pc-zk-0:srvr"), received.toString());
        assertFalse(received.stream().anyMatch(r -> r.startsWith("pc-zk-2")), "asking stops at the leader");
    }

    @Test
    void aStandaloneServerLeads() throws IOException {
        server("pc-zk-0", answer("standalone"));
        assertEquals("pc-zk-0", finder().find("ns", "h", List.of("pc-zk-0")).leader());
    }

    @Test
    void unreachableServersAndMissingModeAreReported() throws IOException {
        server("pc-zk-1", "This ZooKeeper instance is not currently serving requests\n");
        RollPlanner.Leader l = finder().find("ns", "h", List.of("pc-zk-0", "pc-zk-1"));
        assertNull(l.leader());
        assertTrue(l.problem().contains("pc-zk-0: ConnectException"), l.problem());
        assertTrue(l.problem().contains("pc-zk-1: no Mode"), l.problem());
    }

    @Test
    void followersOnlyIsNoLeader() throws IOException {
        server("pc-zk-0", answer("follower"));
        RollPlanner.Leader l = finder().find("ns", "h", List.of("pc-zk-0"));
        assertNull(l.leader());
        assertEquals("no server answered as leader", l.problem());
    }

    @Test
    void serversAreNamedThroughTheHeadlessService() {
        RollPlanner.Leader l = new SrvrLeaderFinder().find("pulsar", "pc-zk-headless", List.of("pc-zk-0"));
        assertNull(l.leader());
        assertTrue(l.problem().contains("pc-zk-0.pc-zk-headless.pulsar.svc"), l.problem());
    }
}
