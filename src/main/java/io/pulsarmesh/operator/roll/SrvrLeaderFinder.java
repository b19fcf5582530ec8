package io.pulsarmesh.operator.roll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.pulsarmesh.operator.model.zookeeper.ZooKeeperModel;
import io.quarkus.arc.DefaultBean;

/**
 * Asks each server ZooKeeper's four-letter command {@code srvr} on its client port and reads {@code Mode:} from the
 * answer ({@code leader}, or {@code standalone} for an ensemble of one). Servers are reached by their stable names,
 * {@code <pod>.<headless service>.<namespace>.svc}; an operator outside a strict-mTLS mesh cannot reach them, which is
 * what {@code cloud.streamnative.io/ignore-leader-check: "true"} is for.
 */
@ApplicationScoped
@DefaultBean
public class SrvrLeaderFinder implements LeaderFinder {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final int MAX_ANSWER = 8192;

    private final BiFunction<String, String[], InetSocketAddress> address;

    public SrvrLeaderFinder() {
        this((pod, serviceAndNamespace) -> InetSocketAddress.createUnresolved(
                pod + "." + serviceAndNamespace[0] + "." + serviceAndNamespace[1] + ".svc", ZooKeeperModel.CLIENT_PORT));
    }

    /** For tests: where each pod's client port is. */
    SrvrLeaderFinder(BiFunction<String, String[], InetSocketAddress> address) {
        this.address = address;
    }

    @Override
    public RollPlanner.Leader find(String namespace, String headlessService, List<String> pods) {
        List<String> problems = new ArrayList<>();
        for (String pod : pods) {
            InetSocketAddress a = address.apply(pod, new String[] { headlessService, namespace });
            try {
                String mode = mode(srvr(a));
                if ("leader".equals(mode) || "standalone".equals(mode)) {
                    return RollPlanner.Leader.of(pod);
                }
                if (mode == null) {
                    problems.add(pod + ": no Mode in the answer to srvr (is srvr in 4lw.commands.whitelist?)");
                }
            } catch (IOException | RuntimeException e) {
                problems.add(pod + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() != null ? " " + e.getMessage() : ""));
            }
        }
        return RollPlanner.Leader.unknown(problems.isEmpty() ? "no server answered as leader"
                : String.join("; ", problems));
    }

    static String srvr(InetSocketAddress a) throws IOException {
        InetSocketAddress resolved = a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
        if (resolved.isUnresolved()) {
            throw new IOException("cannot resolve " + a.getHostString());
        }
        try (Socket s = new Socket()) {
            s.connect(resolved, (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0 && answer.size() < MAX_ANSWER) {
                answer.write(buf, 0, n);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** The value of the {@code Mode:} line, or {@code null}. */
    static String mode(String answer) {
        for (String line : answer.split("\\R")) {
            if (line.startsWith("Mode:")) {
                return line.substring("Mode:".length()).strip();
            }
        }
        return null;
    }
}
