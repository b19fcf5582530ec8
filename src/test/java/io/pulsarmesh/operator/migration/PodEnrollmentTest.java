package io.pulsarmesh.operator.migration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pulsarmesh.operator.model.istio.Mesh.Dataplane;
import io.pulsarmesh.operator.model.istio.MeshPods;

/** A pod's data plane is judged from the pod as admitted (what the injector did), not from its template. */
class PodEnrollmentTest {

    static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("pc-broker-0").endMetadata()
                .withNewSpec().addNewContainer().withName("pulsar").endContainer().endSpec();
    }

    static Pod ambientLabelled(PodBuilder b) {
        return b.editMetadata().addToLabels(MeshPods.DATAPLANE_MODE, "ambient").addToLabels(MeshPods.INJECT, "false")
                .endMetadata().build();
    }

    @Test
    void sidecarByProxyContainer() {
        Pod p = pod().editSpec().addNewContainer().withName("istio-proxy").endContainer().endSpec().build();
        assertTrue(PodEnrollment.hasSidecar(p));
        assertTrue(PodEnrollment.enrolledIn(p, Dataplane.SIDECAR));
        assertFalse(PodEnrollment.enrolledIn(p, Dataplane.AMBIENT));
    }

    @Test
    void sidecarByNativeSidecarInitContainer() {
        // Istio 1.19+ injects the proxy as an init container with restartPolicy Always on Kubernetes 1.28+.
        Pod p = pod().editSpec().addNewInitContainer().withName("istio-proxy").withRestartPolicy("Always")
                .endInitContainer().endSpec().build();
        assertTrue(PodEnrollment.hasSidecar(p));
        assertTrue(PodEnrollment.enrolledIn(p, Dataplane.SIDECAR));
    }

    @Test
    void otherInitContainersAreNoSidecar() {
        Pod p = pod().editSpec().addNewInitContainer().withName("istio-validation").endInitContainer().endSpec().build();
        assertFalse(PodEnrollment.hasSidecar(p));
        assertFalse(PodEnrollment.enrolledIn(p, Dataplane.SIDECAR));
    }

    @Test
    void sidecarByInjectorStatusAnnotationAlone() {
        Pod p = pod().editMetadata().addToAnnotations(PodEnrollment.SIDECAR_STATUS, "{\"containers\":[\"istio-proxy\"]}")
                .endMetadata().build();
        assertTrue(PodEnrollment.hasSidecar(p));
        assertTrue(PodEnrollment.enrolledIn(p, Dataplane.SIDECAR));
    }

    @Test
    void injectLabelAloneIsNoSidecar() {
        // The template asked for one, but the injector did not act (webhook down, or the pod predates it).
        Pod p = pod().editMetadata().addToLabels(MeshPods.INJECT, "true").endMetadata().build();
        assertFalse(PodEnrollment.enrolledIn(p, Dataplane.SIDECAR));
        assertFalse(PodEnrollment.enrolledIn(p, Dataplane.AMBIENT));
    }

    @Test
    void ambientLabelWithoutSidecarIsAmbient() {
        Pod p = ambientLabelled(pod());
        assertTrue(PodEnrollment.enrolledIn(p, Dataplane.AMBIENT));
        assertFalse(PodEnrollment.enrolledIn(p, Dataplane.SIDECAR));
    }

    @Test
    void otherDataplaneModeValuesAreNotAmbient() {
        Pod none = pod().editMetadata().addToLabels(MeshPods.DATAPLANE_MODE, "none").endMetadata().build();
        assertFalse(PodEnrollment.enrolledIn(none, Dataplane.AMBIENT));
        Pod unlabelled = pod().build();
        assertFalse(PodEnrollment.enrolledIn(unlabelled, Dataplane.AMBIENT));
        assertFalse(PodEnrollment.enrolledIn(unlabelled, Dataplane.SIDECAR));
    }

    @Test
    void sidecarBeatsAmbient() {
        Pod withContainer = ambientLabelled(pod().editSpec().addNewContainer().withName("istio-proxy").endContainer().endSpec());
        assertFalse(PodEnrollment.enrolledIn(withContainer, Dataplane.AMBIENT));
        assertTrue(PodEnrollment.enrolledIn(withContainer, Dataplane.SIDECAR));

        Pod withAnnotation = ambientLabelled(pod().editMetadata()
                .addToAnnotations(PodEnrollment.SIDECAR_STATUS, "{}").endMetadata());
        assertFalse(PodEnrollment.enrolledIn(withAnnotation, Dataplane.AMBIENT));

        Pod withInit = ambientLabelled(pod().editSpec().addNewInitContainer().withName("istio-proxy")
                .withRestartPolicy("Always").endInitContainer().endSpec());
        assertFalse(PodEnrollment.enrolledIn(withInit, Dataplane.AMBIENT));
    }

    @Test
    void podWithoutSpecOrLabelsIsInNoDataplane() {
        Pod bare = new PodBuilder().withNewMetadata().withName("bare").endMetadata().build();
        assertFalse(PodEnrollment.hasSidecar(bare));
        assertFalse(PodEnrollment.enrolledIn(bare, Dataplane.AMBIENT));
        assertFalse(PodEnrollment.ready(bare));
    }

    @Test
    void readyFollowsTheReadyCondition() {
        assertTrue(PodEnrollment.ready(withConditions(Map.of("Ready", "True"))));
        assertFalse(PodEnrollment.ready(withConditions(Map.of("Ready", "False"))));
        assertFalse(PodEnrollment.ready(withConditions(Map.of("Ready", "Unknown"))));
        // Other conditions do not count.
        assertFalse(PodEnrollment.ready(withConditions(Map.of("ContainersReady", "True", "PodScheduled", "True"))));
        assertFalse(PodEnrollment.ready(pod().withNewStatus().withPhase("Running").endStatus().build()));
        assertFalse(PodEnrollment.ready(pod().build()));
    }

    static Pod withConditions(Map<String, String> conditions) {
        PodBuilder b = pod();
        var status = b.withNewStatus().withPhase("Running");
        conditions.forEach((type, value) -> status.addNewCondition().withType(type).withStatus(value).endCondition());
        return status.endStatus().build();
    }
}
