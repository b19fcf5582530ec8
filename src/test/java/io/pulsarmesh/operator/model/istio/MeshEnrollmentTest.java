package io.pulsarmesh.operator.model.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterSpec;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.zookeeper.ZooKeeperModel;

/** A component joins the mesh without locking out its own pods: STRICT and ISTIO_MUTUAL wait for the roll. */
class MeshEnrollmentTest {
    static final Mesh MESH = Mesh.of(istio(true));

    static IstioSpec istio(boolean enabled) {
        IstioSpec i = new IstioSpec();
        i.setEnabled(enabled);
        return i;
    }

    static StatefulSet sts(String inject, String annotation) {
        return new StatefulSetBuilder().withNewMetadata().withName("zk")
                .withAnnotations(annotation == null ? Map.of() : Map.of(MeshEnrollment.ANNOTATION, annotation))
                .endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata()
                .withLabels(inject == null ? Map.of() : Map.of(MeshPods.INJECT, inject)).endMetadata()
                .endTemplate().endSpec().build();
    }

    @Test
    void notEnrolledUntilATemplateInTheMeshHasRolledOut() {
        assertFalse(MeshEnrollment.enrolled(null, false, MESH), "no workload yet");
        assertFalse(MeshEnrollment.enrolled(sts("false", null), true, MESH), "rolled out, but outside the mesh");
        assertFalse(MeshEnrollment.enrolled(sts("true", null), false, MESH), "joining: pods still rolling");
        assertTrue(MeshEnrollment.enrolled(sts("true", null), true, MESH));
    }

    @Test
    void aComponentCreatedInTheMeshIsEnrolledFromItsFirstApply() {
        assertTrue(MeshEnrollment.bornInMesh(null, () -> false, MESH));
        assertFalse(MeshEnrollment.bornInMesh(null, () -> true, MESH), "pods left without a workload would roll in");
        assertFalse(MeshEnrollment.bornInMesh(sts("true", null), () -> false, MESH), "a workload exists: it joins");
        assertFalse(MeshEnrollment.bornInMesh(null, () -> false, Mesh.of(istio(false))), "outside the mesh");
        // The pods are only asked about (an API list) when the answer matters.
        java.util.function.BooleanSupplier unasked = () -> {
            throw new AssertionError("pods listed although a workload exists or the mesh is off");
        };
        assertFalse(MeshEnrollment.bornInMesh(sts("true", null), unasked, MESH));
        assertFalse(MeshEnrollment.bornInMesh(null, unasked, Mesh.of(istio(false))));
    }

    @Test
    void onceRecordedLaterRollsKeepStrict() {
        assertTrue(MeshEnrollment.enrolled(sts("true", "sidecar"), false, MESH));
        assertFalse(MeshEnrollment.enrolled(sts("false", "sidecar"), false, MESH),
                "a stale record on a template outside the mesh does not count");
        assertFalse(MeshEnrollment.enrolled(sts("true", "none"), false, MESH));
        assertFalse(MeshEnrollment.enrolled(sts("true", "sidecar"), true, Mesh.of(istio(false))));
    }

    @Test
    void theRecordFollowsTheMesh() {
        assertEquals("sidecar", MeshEnrollment.annotate(new ObjectMeta(), MESH.withEnrolled(true)).getAnnotations()
                .get(MeshEnrollment.ANNOTATION));
        assertEquals("none", MeshEnrollment.annotate(new ObjectMeta(), MESH.withEnrolled(false)).getAnnotations()
                .get(MeshEnrollment.ANNOTATION));
        assertEquals("none", MeshEnrollment.annotate(new ObjectMeta(), Mesh.of(istio(false))).getAnnotations()
                .get(MeshEnrollment.ANNOTATION));
    }

    @Test
    void joiningComponentIsPermissiveWithoutDestinationRulesThenStrict() {
        ZooKeeperCluster zk = new ZooKeeperCluster();
        zk.setMetadata(new ObjectMeta());
        zk.getMetadata().setName("zk");
        zk.getMetadata().setNamespace("pulsar");
        zk.setSpec(new ZooKeeperClusterSpec());
        zk.getSpec().setIstio(istio(true));

        List<HasMetadata> joining = ZooKeeperModel.desired(zk, ModelSettings.defaults(), MESH.withEnrolled(false));
        assertEquals("PERMISSIVE", mode(joining));
        assertTrue(joining.stream().noneMatch(o -> o.getKind().equals("DestinationRule")));
        assertEquals("none", workload(joining).getMetadata().getAnnotations().get(MeshEnrollment.ANNOTATION));
        assertEquals("true", workload(joining).getSpec().getTemplate().getMetadata().getLabels().get(MeshPods.INJECT),
                "the pods join the mesh meanwhile");

        List<HasMetadata> enrolled = ZooKeeperModel.desired(zk, ModelSettings.defaults(), MESH.withEnrolled(true));
        assertEquals("STRICT", mode(enrolled));
        assertEquals(2, enrolled.stream().filter(o -> o.getKind().equals("DestinationRule")).count());
        assertEquals("sidecar", workload(enrolled).getMetadata().getAnnotations().get(MeshEnrollment.ANNOTATION));

        List<HasMetadata> outside = ZooKeeperModel.desired(zk, ModelSettings.defaults(), Mesh.of(istio(false)));
        assertNull(outside.stream().filter(PeerAuthentication.class::isInstance).findFirst().orElse(null));
    }

    static String mode(List<HasMetadata> objects) {
        return objects.stream().filter(PeerAuthentication.class::isInstance).map(PeerAuthentication.class::cast)
                .findFirst().orElseThrow().getSpec().getMtls().getMode().name();
    }

    static StatefulSet workload(List<HasMetadata> objects) {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst()
                .orElseThrow();
    }
}
