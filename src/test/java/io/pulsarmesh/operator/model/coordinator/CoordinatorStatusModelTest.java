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

    static Component meshed(String kind, int onMesh, String mode, Boolean in, String reason, String message) {
        return new Component(kind, "c", ready(true, "AllReplicasReady"), 3, 3, onMesh, mode,
                in == null ? null : new Condition("MeshEnrolled", in ? "True" : "False", reason, message));
    }

    @Test
    void meshEnrolmentIsSummedUpFromTheComponents() {
        assertEquals(null, CoordinatorStatusModel.meshEnrolment(List.of(meshed("ZooKeeperCluster", 0, "none", null,
                null, null)), 1L), "no component in the mesh: no condition");
        Condition all = CoordinatorStatusModel.meshEnrolment(List.of(
                meshed("ZooKeeperCluster", 3, "ambient", true, "AllPodsInMesh", "3 pods"),
                meshed("PulsarBroker", 2, "ambient", true, "AllPodsInMesh", "2 pods")), 1L);
        assertEquals("True", all.getStatus());
        assertEquals("every pod of the components is in the mesh", all.getMessage(),
                "no count of pods or components: it would change as each reports");
        assertTrue(all.sameStateAs(CoordinatorStatusModel.meshEnrolment(List.of(
                meshed("ZooKeeperCluster", 3, "ambient", true, "AllPodsInMesh", "3 pods")), 1L)),
                "the same condition while the other components have not reported yet: no status write for it");

        Condition rolling = CoordinatorStatusModel.meshEnrolment(List.of(
                meshed("ZooKeeperCluster", 3, "ambient", true, "AllPodsInMesh", "3 pods"),
                meshed("BookKeeperCluster", 1, "ambient", false, "RolloutInProgress", "moving")), 1L);
        assertEquals("False", rolling.getStatus());
        assertEquals("RolloutInProgress", rolling.getReason());
        assertEquals("BookKeeperCluster/c: RolloutInProgress (moving)", rolling.getMessage());

        Condition user = CoordinatorStatusModel.meshEnrolment(List.of(
                meshed("PulsarProxy", 0, "sidecar", false, "SidecarMissing", "pods without an Istio sidecar: p-0"),
                meshed("ZooKeeperCluster", 1, "ambient", false, "RolloutInProgress", "moving")), 1L);
        assertEquals("PodsNotInMesh", user.getReason(), "one that needs the user makes the whole a warning");
        assertTrue(user.getMessage().startsWith("ZooKeeperCluster/c"), "in Pulsar's order: " + user.getMessage());
        assertTrue(user.getMessage().contains("PulsarProxy/c: SidecarMissing (pods without an Istio sidecar: p-0)"));
    }
}
