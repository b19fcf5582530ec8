package io.pulsarmesh.operator.model.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.model.coordinator.CoordinatorStatusModel.Aggregate;
import io.pulsarmesh.operator.model.coordinator.CoordinatorStatusModel.Component;

class CoordinatorStatusModelTest {
    static Condition ready(boolean ok, String reason) {
        return new Condition("Ready", ok ? "True" : "False", reason, "");
    }

    @Test
    void readyWhenEveryComponentIsReadyAndListedInPulsarOrder() {
        Aggregate a = CoordinatorStatusModel.aggregate(List.of(
                new Component("PulsarProxy", "c", ready(true, "AllReplicasReady"), 2, 2),
                new Component("ZooKeeperCluster", "c", ready(true, "AllReplicasReady"), 3, 3),
                new Component("PulsarBroker", "c", ready(true, "AllReplicasReady"), 2, 2),
                new Component("BookKeeperCluster", "c", ready(true, "AllReplicasReady"), 3, 3)));
        assertTrue(a.ready());
        assertEquals("AllComponentsReady", a.reason());
        assertEquals("4/4", a.readyComponents());
        assertEquals(List.of("ZooKeeperCluster", "BookKeeperCluster", "PulsarBroker", "PulsarProxy"),
                a.components().stream().map(c -> c.getKind()).toList());
    }

    @Test
    void notReadyNamesTheComponentsAndTheirReasons() {
        Aggregate a = CoordinatorStatusModel.aggregate(List.of(
                new Component("ZooKeeperCluster", "c", ready(true, "AllReplicasReady"), 3, 3),
                new Component("PulsarBroker", "c", ready(false, "ReservedConfigKey"), 2, 2),
                new Component("PulsarProxy", "c", null, 2, null)));
        assertFalse(a.ready());
        assertEquals("ComponentsNotReady", a.reason());
        assertEquals("1/3", a.readyComponents());
        assertTrue(a.message().contains("PulsarBroker/c (ReservedConfigKey)"), a.message());
        assertTrue(a.message().contains("PulsarProxy/c (no status yet)"), a.message());
        assertEquals("Unknown", a.components().get(2).getReady());
    }

    @Test
    void noComponentsIsNotReady() {
        Aggregate a = CoordinatorStatusModel.aggregate(List.of());
        assertFalse(a.ready());
        assertEquals("NoComponents", a.reason());
        assertEquals("0/0", a.readyComponents());
    }
}
