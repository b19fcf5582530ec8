package io.pulsarmesh.operator.model.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.kube.PrunedPodStore;
import io.pulsarmesh.operator.model.common.Labels;

class PodsInMeshTest {
    static final Mesh SIDECAR = mesh("sidecar");
    static final Mesh AMBIENT = mesh("ambient");

    static Mesh mesh(String dataplane) {
        IstioSpec spec = new IstioSpec();
        spec.setEnabled(true);
        spec.setDataplaneMode(dataplane);
        return Mesh.resolve(spec, null);
    }

    /** A pod as Istio leaves it: with a sidecar (container and status annotation), ambient-labelled, or neither. */
    static Pod pod(String name, String component, boolean sidecar, boolean ambientLabel) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of(Labels.COMPONENT, component, Labels.CLUSTER, "pc"));
        labels.put(MeshPods.DATAPLANE_MODE, ambientLabel ? "ambient" : "none");
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withLabels(labels)
                .endMetadata().withNewSpec().addNewContainer().withName("pulsar").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus();
        if (sidecar) {
            b.editSpec().addNewContainer().withName("istio-proxy").endContainer().endSpec().editMetadata()
                    .addToAnnotations("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]}").endMetadata();
        }
        return b.build();
    }

    static List<Pod> pods(String prefix, int n, boolean sidecar, boolean ambient) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pod(prefix + "-" + i, Labels.ZOOKEEPER, sidecar, ambient));
        }
        return out;
    }

    @Test
    void sidecarPodsAreCountedAndTheConditionIsTrue() {
        PodsInMesh.Result r = PodsInMesh.of(SIDECAR, pods("zk", 3, true, false), true, "ns");
        assertEquals(3, r.onMeshReplicas());
        assertEquals("sidecar", r.dataplaneMode());
        assertEquals(Boolean.TRUE, r.inMesh());
        assertEquals(PodsInMesh.REASON_ALL_IN_MESH, r.reason());
        assertFalse(r.warning());
    }

    @Test
    void ambientPodsAreCountedOnlyWithoutASidecar() {
        PodsInMesh.Result r = PodsInMesh.of(AMBIENT, pods("zk", 3, false, true), true, "ns");
        assertEquals(3, r.onMeshReplicas());
        assertEquals("ambient", r.dataplaneMode());
        assertEquals(Boolean.TRUE, r.inMesh());
    }

    @Test
    void halfWayThroughAMigrationTheOldPodsAreNotCountedAndTheRolloutIsNoWarning() {
        List<Pod> mixed = new ArrayList<>(pods("zk", 1, true, false)); // zk-0 still on its sidecar
        mixed.add(pod("zk-1", Labels.ZOOKEEPER, false, true));
        mixed.add(pod("zk-2", Labels.ZOOKEEPER, false, true));
        PodsInMesh.Result r = PodsInMesh.of(AMBIENT, mixed, false, "ns");
        assertEquals(2, r.onMeshReplicas());
        assertEquals(Boolean.FALSE, r.inMesh());
        assertEquals(PodsInMesh.REASON_ROLLING, r.reason());
        assertEquals(List.of("zk-0"), r.podsOutside());
        assertFalse(r.warning(), "pods being replaced need nothing from the user");
        // The same pods the other way (a rollback): the ambient ones are the old ones now.
        PodsInMesh.Result back = PodsInMesh.of(SIDECAR, mixed, false, "ns");
        assertEquals(1, back.onMeshReplicas());
        assertEquals(List.of("zk-1", "zk-2"), back.podsOutside());
    }

    @Test
    void rolledOutWithoutSidecarsIsInjectionOffAndNamesThePods() {
        PodsInMesh.Result r = PodsInMesh.of(SIDECAR, pods("zk", 3, false, false), true, "team-a");
        assertEquals(0, r.onMeshReplicas());
        assertEquals(PodsInMesh.REASON_SIDECAR_MISSING, r.reason());
        assertTrue(r.warning());
        assertTrue(r.message().contains("zk-0, zk-1, zk-2"), r.message());
        assertTrue(r.message().contains("namespace team-a"), r.message());
    }

    @Test
    void ambientPodsThatStillCarryASidecarAreNamed() {
        List<Pod> pods = new ArrayList<>(pods("zk", 2, false, true));
        pods.add(pod("zk-2", Labels.ZOOKEEPER, true, true)); // the namespace's injection won
        PodsInMesh.Result r = PodsInMesh.of(AMBIENT, pods, true, "ns");
        assertEquals(2, r.onMeshReplicas());
        assertEquals(PodsInMesh.REASON_SIDECAR_LEFT, r.reason());
        assertTrue(r.message().contains("zk-2"), r.message());
        assertFalse(r.message().contains("zk-1"), r.message());
        PodsInMesh.Result unlabelled = PodsInMesh.of(AMBIENT, pods("zk", 1, false, false), true, "ns");
        assertEquals(PodsInMesh.REASON_NOT_AMBIENT, unlabelled.reason());
    }

    @Test
    void outOfTheMeshThereIsNoConditionButStrayEnrolmentIsCounted() {
        PodsInMesh.Result r = PodsInMesh.of(Mesh.OFF, pods("zk", 3, true, false), true, "ns");
        assertNull(r.inMesh());
        assertEquals("none", r.dataplaneMode());
        assertEquals(3, r.onMeshReplicas(), "a sidecar the namespace's injection added all the same");
    }

    @Test
    void autoRecoveryIsCheckedButNotCountedAsAReplica() {
        List<Pod> pods = new ArrayList<>(pods("bookie", 3, true, false));
        pods.add(pod("recovery-0", Labels.AUTO_RECOVERY, false, false));
        PodsInMesh.Result r = PodsInMesh.of(SIDECAR, pods, true, "ns");
        assertEquals(3, r.onMeshReplicas(), "replicas counts bookies");
        assertEquals(List.of("recovery-0"), r.podsOutside());
    }

    @Test
    void podsBeingDeletedOrFinishedAreLeftOut() {
        List<Pod> pods = new ArrayList<>(pods("zk", 2, true, false));
        Pod leaving = pod("zk-2", Labels.ZOOKEEPER, false, false);
        leaving.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        Pod evicted = pod("zk-3", Labels.ZOOKEEPER, false, false);
        evicted.getStatus().setPhase("Failed");
        pods.add(leaving);
        pods.add(evicted);
        PodsInMesh.Result r = PodsInMesh.of(SIDECAR, pods, true, "ns");
        assertEquals(Boolean.TRUE, r.inMesh(), r.message());
    }

    @Test
    void theCachedPodKeepsWhatEnrolmentReads() {
        Pod full = pod("zk-0", Labels.ZOOKEEPER, true, false);
        full.getSpec().getContainers().get(0).setImage("apachepulsar/pulsar:4.0.5");
        full.getSpec().getContainers().get(0).setArgs(List.of("bin/pulsar", "zookeeper"));
        full.getMetadata().getAnnotations().put("kubectl.kubernetes.io/restartedAt", "x");
        Pod pruned = PrunedPodStore.prune(full);
        assertEquals(List.of("pulsar", "istio-proxy"), pruned.getSpec().getContainers().stream()
                .map(c -> c.getName()).toList());
        assertNull(pruned.getSpec().getContainers().get(0).getImage(), "only names");
        assertEquals(full.getMetadata().getLabels(), pruned.getMetadata().getLabels());
        assertEquals(Map.of("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]}"),
                pruned.getMetadata().getAnnotations());
        assertEquals("Running", pruned.getStatus().getPhase());
        assertEquals(PodsInMesh.of(SIDECAR, List.of(full), true, "ns"), PodsInMesh.of(SIDECAR, List.of(pruned), true,
                "ns"));
        assertEquals(io.pulsarmesh.operator.migration.PodEnrollment.ready(full),
                io.pulsarmesh.operator.migration.PodEnrollment.ready(pruned));
    }
}
