package io.pulsarmesh.operator.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import io.pulsarmesh.operator.roll.LeaderFinder;
import io.pulsarmesh.operator.roll.RollPlanner;

/**
 * Stands in for ZooKeeper's {@code srvr} in the operator-in-the-loop tests (the fake workload controller's pods run no
 * ZooKeeper). The leader is the one named with {@link #lead}, else ordinal 0 when it is asked, else the first server
 * asked; {@link #unreachable} makes the ensemble of a namespace answer nothing.
 */
@ApplicationScoped
public class FakeLeaderFinder implements LeaderFinder {
    private static final Map<String, String> LEADERS = new ConcurrentHashMap<>();
    private static final Set<String> UNREACHABLE = ConcurrentHashMap.newKeySet();
    private static final List<List<String>> ASKED = new CopyOnWriteArrayList<>();

    /** The server that leads the ensemble of this namespace. */
    public static void lead(String namespace, String pod) {
        LEADERS.put(namespace, pod);
    }

    public static void unreachable(String namespace, boolean unreachable) {
        if (unreachable) {
            UNREACHABLE.add(namespace);
        } else {
            UNREACHABLE.remove(namespace);
        }
    }

    /** The server lists the operator asked, in order. */
    public static List<List<String>> asked() {
        return List.copyOf(ASKED);
    }

    public static void reset() {
        LEADERS.clear();
        UNREACHABLE.clear();
        ASKED.clear();
    }

    @Override
    public RollPlanner.Leader find(String namespace, String headlessService, List<String> pods) {
        ASKED.add(List.copyOf(pods));
        if (UNREACHABLE.contains(namespace)) {
            return RollPlanner.Leader.unknown(String.join(", ", pods) + ": unreachable (test)");
        }
        String leader = LEADERS.get(namespace);
        if (leader != null) {
            return pods.contains(leader) ? RollPlanner.Leader.of(leader)
                    : RollPlanner.Leader.unknown(leader + " is not among the servers asked");
        }
        return pods.stream().filter(p -> p.endsWith("-0")).findFirst().or(() -> pods.stream().findFirst())
                .map(RollPlanner.Leader::of).orElse(RollPlanner.Leader.unknown("no server asked"));
    }
}
