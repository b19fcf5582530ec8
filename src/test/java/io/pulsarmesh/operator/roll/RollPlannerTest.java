package io.pulsarmesh.operator.roll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.pulsarmesh.operator.roll.RollPlanner.Decision;
import io.pulsarmesh.operator.roll.RollPlanner.Done;
import io.pulsarmesh.operator.roll.RollPlanner.Kind;
import io.pulsarmesh.operator.roll.RollPlanner.Leader;
import io.pulsarmesh.operator.roll.RollPlanner.PodView;
import io.pulsarmesh.operator.roll.RollPlanner.Restart;
import io.pulsarmesh.operator.roll.RollPlanner.RestartReason;
import io.pulsarmesh.operator.roll.RollPlanner.Wait;
import io.pulsarmesh.operator.roll.RollPlanner.Workload;

class RollPlannerTest {
    static final String OLD = "r1";
    static final String NEW = "r2";

    static Workload zk(int replicas) {
        return new Workload("pc-zk", Kind.ZOOKEEPER, replicas, true, NEW, "sidecar");
    }

    static PodView pod(String sts, int ordinal, boolean ready, String revision) {
        return new PodView(sts + "-" + ordinal, ordinal, ready, false, revision, "sidecar");
    }

    static List<PodView> pods(String sts, int n, String revision) {
        List<PodView> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pods.add(pod(sts, i, true, revision));
        }
        return pods;
    }

    static Supplier<Leader> leader(String pod) {
        return () -> Leader.of(pod);
    }

    static Supplier<Leader> notAsked() {
        return () -> fail("the leader is asked only when a ready ZooKeeper server is next");
    }

    /**
     * Plays a whole roll: each restart is the StatefulSet controller bringing the pod back, ready, on the new revision
     * (the leader moves to another server when the leader restarts). Returns the pods in the order they restarted.
     */
    static List<String> roll(Workload w, List<PodView> start, String[] leaderHolder) {
        List<PodView> pods = new ArrayList<>(start);
        List<String> order = new ArrayList<>();
        for (int step = 0; step < 20; step++) {
            Decision d = RollPlanner.next(w, pods, () -> leaderHolder == null ? Leader.skippedCheck()
                    : Leader.of(leaderHolder[0]));
            if (d instanceof Done) {
                return order;
            }
            Restart r = assertInstanceOf(Restart.class, d, "step " + step + ": " + d);
            order.add(r.pod());
            for (int i = 0; i < pods.size(); i++) {
                PodView p = pods.get(i);
                if (p.name().equals(r.pod())) {
                    pods.set(i, new PodView(p.name(), p.ordinal(), true, false, NEW, w.templateDataplane()));
                }
            }
            if (leaderHolder != null && r.pod().equals(leaderHolder[0])) {
                leaderHolder[0] = pods.stream().filter(p -> !p.name().equals(r.pod())).findFirst().orElseThrow().name();
            }
        }
        fail("the roll did not end: " + order);
        return order;
    }

    @Test
    void nothingToDoWhenEveryPodRunsTheUpdateRevision() {
        assertInstanceOf(Done.class, RollPlanner.next(zk(3), pods("pc-zk", 3, NEW), notAsked()));
        assertFalse(RollPlanner.rollDue(zk(3), pods("pc-zk", 3, NEW)));
        assertTrue(RollPlanner.rollDue(zk(3), pods("pc-zk", 3, OLD)));
    }

    @Test
    void nothingToDoBeforeTheStatefulSetHasAStatus() {
        Workload w = new Workload("pc-zk", Kind.ZOOKEEPER, 3, false, null, "sidecar");
        assertInstanceOf(Done.class, RollPlanner.next(w, pods("pc-zk", 3, OLD), notAsked()));
    }

    @Test
    void waitsUntilTheStatefulSetControllerObservedTheSpec() {
        Workload w = new Workload("pc-zk", Kind.ZOOKEEPER, 3, false, NEW, "sidecar");
        Wait wait = assertInstanceOf(Wait.class, RollPlanner.next(w, pods("pc-zk", 3, OLD), notAsked()));
        assertEquals(RollPlanner.WAIT_NOT_OBSERVED, wait.reason());
    }

    /** For every leader position, followers go first, highest ordinal first, and the leader last. */
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void zooKeeperFollowersFirstAndTheLeaderLast(int leaderOrdinal) {
        String[] leader = { "pc-zk-" + leaderOrdinal };
        List<String> order = roll(zk(5), pods("pc-zk", 5, OLD), leader);
        List<String> expected = new ArrayList<>();
        for (int i = 4; i >= 0; i--) {
            if (i != leaderOrdinal) {
                expected.add("pc-zk-" + i);
            }
        }
        expected.add("pc-zk-" + leaderOrdinal);
        assertEquals(expected, order);
    }

    @Test
    void theLeaderIsAskedOnlyForAReadyServer() {
        List<PodView> pods = new ArrayList<>(pods("pc-zk", 3, OLD));
        pods.set(1, pod("pc-zk", 1, false, OLD));
        Restart r = assertInstanceOf(Restart.class, RollPlanner.next(zk(3), pods, notAsked()));
        assertEquals("pc-zk-1", r.pod(), "an unready server goes first, whoever leads");
    }

    @Test
    void anUnknownLeaderStopsReadyZooKeeperServers() {
        Decision d = RollPlanner.next(zk(3), pods("pc-zk", 3, OLD), () -> Leader.unknown("pc-zk-0: connection refused"));
        Wait wait = assertInstanceOf(Wait.class, d);
        assertEquals(RollPlanner.WAIT_LEADER_UNKNOWN, wait.reason());
        assertTrue(wait.message().contains("connection refused"), wait.message());
        assertTrue(wait.message().contains("cloud.streamnative.io/ignore-leader-check"), wait.message());
    }

    @Test
    void withTheLeaderCheckSkippedTheOrderIsByOrdinal() {
        assertEquals(List.of("pc-zk-2", "pc-zk-1", "pc-zk-0"), roll(zk(3), pods("pc-zk", 3, OLD), null));
    }

    @Test
    void unreadyPodsFirstHighestOrdinalFirst() {
        List<PodView> pods = new ArrayList<>(pods("pc-broker", 4, OLD));
        pods.set(0, pod("pc-broker", 0, false, OLD));
        pods.set(2, pod("pc-broker", 2, false, OLD));
        Workload w = new Workload("pc-broker", Kind.OTHER, 4, true, NEW, "sidecar");
        Restart r = assertInstanceOf(Restart.class, RollPlanner.next(w, pods, notAsked()));
        assertEquals("pc-broker-2", r.pod());
        assertEquals(List.of("pc-broker-2", "pc-broker-0", "pc-broker-3", "pc-broker-1"), roll(w, pods, null));
    }

    @Test
    void readyPodsWaitForEveryOtherPodToBeReady() {
        List<PodView> pods = new ArrayList<>(pods("pc-broker", 3, OLD));
        pods.set(1, pod("pc-broker", 1, false, NEW)); // restarted already, not ready yet
        Workload w = new Workload("pc-broker", Kind.OTHER, 3, true, NEW, "sidecar");
        Wait wait = assertInstanceOf(Wait.class, RollPlanner.next(w, pods, notAsked()));
        assertEquals(RollPlanner.WAIT_NOT_READY, wait.reason());
        assertTrue(wait.message().contains("pc-broker-1"), wait.message());
    }

    @Test
    void aBookieIsNeverRestartedWhileAnotherIsNotReady() {
        Workload w = new Workload("pc-bookie", Kind.BOOKIE, 3, true, NEW, "sidecar");
        List<PodView> pods = new ArrayList<>(pods("pc-bookie", 3, OLD));
        pods.set(0, pod("pc-bookie", 0, false, OLD));
        pods.set(2, pod("pc-bookie", 2, false, NEW));
        Wait wait = assertInstanceOf(Wait.class, RollPlanner.next(w, pods, notAsked()));
        assertEquals(RollPlanner.WAIT_BOOKIE_NOT_READY, wait.reason());
        assertTrue(wait.message().contains("pc-bookie-2"), wait.message());
        // The same pattern for brokers restarts the unready one: it costs no availability.
        Workload brokers = new Workload("pc-bookie", Kind.OTHER, 3, true, NEW, "sidecar");
        assertEquals("pc-bookie-0", assertInstanceOf(Restart.class, RollPlanner.next(brokers, pods, notAsked())).pod());
        // Alone unready, the bookie goes.
        pods.set(2, pod("pc-bookie", 2, true, NEW));
        assertEquals("pc-bookie-0", assertInstanceOf(Restart.class, RollPlanner.next(w, pods, notAsked())).pod());
    }

    @Test
    void onePodAtATime() {
        Workload w = new Workload("pc-broker", Kind.OTHER, 3, true, NEW, "sidecar");
        List<PodView> pods = new ArrayList<>(pods("pc-broker", 3, OLD));
        pods.set(2, new PodView("pc-broker-2", 2, true, true, OLD, "sidecar"));
        assertEquals(RollPlanner.WAIT_POD_TERMINATING,
                assertInstanceOf(Wait.class, RollPlanner.next(w, pods, notAsked())).reason());
        pods.remove(2);
        assertEquals(RollPlanner.WAIT_PODS_MISSING,
                assertInstanceOf(Wait.class, RollPlanner.next(w, pods, notAsked())).reason());
    }

    @Test
    void theReasonNamesADataPlaneSwitch() {
        Workload w = new Workload("pc-broker", Kind.OTHER, 2, true, NEW, "ambient");
        List<PodView> pods = List.of(pod("pc-broker", 0, true, NEW).withDataplane("ambient"),
                pod("pc-broker", 1, true, OLD));
        Restart r = assertInstanceOf(Restart.class, RollPlanner.next(w, pods, notAsked()));
        assertEquals(RestartReason.DATAPLANE_CHANGED, r.reason());
        assertTrue(r.message().contains("sidecar → ambient"), r.message());
        Workload same = new Workload("pc-broker", Kind.OTHER, 2, true, NEW, "sidecar");
        assertEquals(RestartReason.POD_TEMPLATE_CHANGED,
                assertInstanceOf(Restart.class, RollPlanner.next(same, pods, notAsked())).reason());
    }

    /** Every readiness pattern of 3 ZooKeeper servers with every leader: the invariants hold at each step. */
    @Test
    void invariantsOverEveryReadinessPatternAndLeader() {
        AtomicInteger restarts = new AtomicInteger();
        for (int unreadyMask = 0; unreadyMask < 8; unreadyMask++) {
            for (int staleMask = 1; staleMask < 8; staleMask++) {
                for (int leader = 0; leader < 3; leader++) {
                    List<PodView> pods = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        pods.add(pod("pc-zk", i, (unreadyMask & (1 << i)) == 0, (staleMask & (1 << i)) != 0 ? OLD : NEW));
                    }
                    String leaderPod = "pc-zk-" + leader;
                    Decision d = RollPlanner.next(zk(3), pods, leader(leaderPod));
                    Set<String> unready = new TreeSet<>();
                    pods.stream().filter(p -> !p.ready()).forEach(p -> unready.add(p.name()));
                    if (d instanceof Restart r) {
                        restarts.incrementAndGet();
                        PodView p = pods.stream().filter(x -> x.name().equals(r.pod())).findFirst().orElseThrow();
                        assertEquals(OLD, p.revision(), "only pods on an old revision restart");
                        if (p.ready()) {
                            assertTrue(unready.isEmpty(), "a ready pod restarts only when all are ready: " + unready);
                            boolean otherStale = pods.stream().anyMatch(x -> !x.name().equals(r.pod())
                                    && OLD.equals(x.revision()));
                            assertFalse(r.pod().equals(leaderPod) && otherStale, "the leader goes last");
                        }
                    } else {
                        Wait w = assertInstanceOf(Wait.class, d);
                        assertFalse(unready.isEmpty(), "with every pod ready a stale pod restarts: " + w);
                    }
                }
            }
        }
        assertTrue(restarts.get() > 0);
    }
}
