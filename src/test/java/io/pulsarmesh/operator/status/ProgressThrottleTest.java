package io.pulsarmesh.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinatorStatus;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterStatus;

class ProgressThrottleTest {
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final long S = 1_000_000_000L;

    static ProgressThrottle components(Duration interval) {
        return new ProgressThrottle(interval, Set.of("replicas", "readyReplicas", "updatedReplicas"), null, Set.of(),
                Set.of(Conditions.REASON_ALL_REPLICAS_READY, Conditions.REASON_REPLICAS_NOT_READY));
    }

    static ZooKeeperClusterStatus zk(boolean ready, String reason, String message, int readyReplicas, long generation) {
        ZooKeeperClusterStatus s = new ZooKeeperClusterStatus();
        s.setObservedGeneration(generation);
        s.setConditions(Conditions.with(List.of(), Conditions.of(Conditions.READY, ready, reason, message, generation),
                Instant.parse("2026-01-01T00:00:00Z")));
        s.setReplicas(3);
        s.setReadyReplicas(readyReplicas);
        s.setUpdatedReplicas(3);
        s.setInternalServiceEndpoint("zk:2181");
        return s;
    }

    @Test
    void theFirstStatusAndEveryChangeOfStateAreWrittenAtOnce() {
        ProgressThrottle t = components(INTERVAL);
        ZooKeeperClusterStatus notReady = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "0/3 pods ready", 0, 1);
        assertEquals(Duration.ZERO, t.delay("ns/zk", null, notReady, 0), "no status yet");
        ZooKeeperClusterStatus ready = zk(true, Conditions.REASON_ALL_REPLICAS_READY, "3/3 pods ready", 3, 1);
        assertEquals(Duration.ZERO, t.delay("ns/zk", notReady, ready, S), "Ready flips");
        ZooKeeperClusterStatus refused = zk(false, "ReservedConfigKey", "clientPort is the operator's", 3, 1);
        assertEquals(Duration.ZERO, t.delay("ns/zk", ready, refused, 2 * S), "a problem");
        ZooKeeperClusterStatus newGeneration = zk(false, "ReservedConfigKey", "clientPort is the operator's", 3, 2);
        assertEquals(Duration.ZERO, t.delay("ns/zk", refused, newGeneration, 3 * S), "a new generation observed");
        ZooKeeperClusterStatus otherEndpoint = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "1/3 pods ready", 1, 2);
        otherEndpoint.setInternalServiceEndpoint("zk-other:2181");
        ZooKeeperClusterStatus counted = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "0/3 pods ready", 0, 2);
        assertEquals(Duration.ZERO, t.delay("ns/zk", newGeneration, counted, 4 * S), "a reason change");
        assertEquals(Duration.ZERO, t.delay("ns/zk", counted, otherEndpoint, 4 * S + 1), "another field than progress");
    }

    @Test
    void progressAloneWaitsForTheIntervalSinceTheLastWrite() {
        ProgressThrottle t = components(INTERVAL);
        ZooKeeperClusterStatus none = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "0/3 pods ready", 0, 1);
        assertEquals(Duration.ZERO, t.delay("ns/zk", null, none, 10 * S));
        ZooKeeperClusterStatus one = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "1/3 pods ready", 1, 1);
        assertEquals(Duration.ofSeconds(4), t.delay("ns/zk", none, one, 11 * S), "1 s after the last write");
        assertEquals(Duration.ofSeconds(1), t.delay("ns/zk", none, one, 14 * S));
        assertEquals(Duration.ZERO, t.delay("ns/zk", none, one, 15 * S), "the interval is over: written");
        ZooKeeperClusterStatus two = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "2/3 pods ready", 2, 1);
        assertEquals(Duration.ofSeconds(5), t.delay("ns/zk", one, two, 15 * S), "counted from that write");
        assertEquals(Duration.ZERO, t.delay("ns/other", null, two, 15 * S), "per resource");
    }

    @Test
    void messagesOfConditionsThatRecordEventsAreNeverHeldBack() {
        ProgressThrottle t = components(INTERVAL);
        ZooKeeperClusterStatus blocked = zk(false, "RollBlocked", "leader unknown: zk-0 refused", 3, 1);
        assertEquals(Duration.ZERO, t.delay("ns/zk", null, blocked, 0));
        ZooKeeperClusterStatus blockedOther = zk(false, "RollBlocked", "leader unknown: zk-1 refused", 3, 1);
        assertEquals(Duration.ZERO, t.delay("ns/zk", blocked, blockedOther, S));
    }

    @Test
    void zeroWritesEverythingAtOnce() {
        ProgressThrottle t = components(Duration.ZERO);
        ZooKeeperClusterStatus none = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "0/3 pods ready", 0, 1);
        ZooKeeperClusterStatus one = zk(false, Conditions.REASON_REPLICAS_NOT_READY, "1/3 pods ready", 1, 1);
        assertEquals(Duration.ZERO, t.delay("ns/zk", null, none, 0));
        assertEquals(Duration.ZERO, t.delay("ns/zk", none, one, 1));
    }

    static PulsarCoordinatorStatus coordinator(boolean ready, String reason, String... readyKinds) {
        PulsarCoordinatorStatus s = new PulsarCoordinatorStatus();
        s.setObservedGeneration(1L);
        s.setConditions(Conditions.with(List.of(), Conditions.of(Conditions.READY, ready, reason, "m", 1L),
                Instant.parse("2026-01-01T00:00:00Z")));
        List<String> kinds = List.of("ZooKeeperCluster", "PulsarBroker");
        s.setComponents(kinds.stream().map(k -> {
            PulsarCoordinatorStatus.ComponentSummary c = new PulsarCoordinatorStatus.ComponentSummary();
            c.setKind(k);
            c.setName("pc");
            boolean r = List.of(readyKinds).contains(k);
            c.setReady(r ? "True" : "False");
            c.setReason(r ? "AllReplicasReady" : "ReplicasNotReady");
            c.setReplicas(3);
            c.setReadyReplicas(r ? 3 : 1);
            return c;
        }).toList());
        s.setReadyComponents(readyKinds.length + "/2");
        return s;
    }

    @Test
    void aCoordinatorsComponentsComingUpAreProgressButTheirMembershipIsState() {
        ProgressThrottle t = new ProgressThrottle(INTERVAL, Set.of("readyComponents"), "components",
                Set.of("ready", "reason", "readyReplicas"), Set.of(Conditions.REASON_COMPONENTS_NOT_READY,
                        Conditions.REASON_ALL_COMPONENTS_READY));
        PulsarCoordinatorStatus none = coordinator(false, Conditions.REASON_COMPONENTS_NOT_READY);
        PulsarCoordinatorStatus zk = coordinator(false, Conditions.REASON_COMPONENTS_NOT_READY, "ZooKeeperCluster");
        assertTrue(t.progressOnly(none, zk));
        PulsarCoordinatorStatus fewer = coordinator(false, Conditions.REASON_COMPONENTS_NOT_READY);
        fewer.setComponents(fewer.getComponents().subList(0, 1));
        assertFalse(t.progressOnly(none, fewer), "a component gone");
        assertTrue(t.progressOnly(fewer, none), "a component found, as those of a new cluster are one after the other");
        PulsarCoordinatorStatus scaled = coordinator(false, Conditions.REASON_COMPONENTS_NOT_READY);
        scaled.getComponents().get(1).setReplicas(5);
        assertFalse(t.progressOnly(none, scaled), "a component's desired replicas changed");
        PulsarCoordinatorStatus all = coordinator(true, Conditions.REASON_ALL_COMPONENTS_READY, "ZooKeeperCluster",
                "PulsarBroker");
        assertFalse(t.progressOnly(zk, all), "Ready flips");
        assertEquals(Duration.ZERO, t.delay("ns/pc", null, none, 0));
        assertEquals(Duration.ofSeconds(4), t.delay("ns/pc", none, zk, S));
        assertEquals(Duration.ZERO, t.delay("ns/pc", zk, all, 2 * S));
    }
}
