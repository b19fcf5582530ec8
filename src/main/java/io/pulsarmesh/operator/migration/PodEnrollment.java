package io.pulsarmesh.operator.migration;

import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.pulsarmesh.operator.model.istio.Mesh.Dataplane;
import io.pulsarmesh.operator.model.istio.MeshPods;

/**
 * Whether a pod runs in a data plane, judged from the pod as the API server has it (what Istio's injector and
 * ztunnel act on), not from the template the operator asked for.
 *
 * <ul>
 * <li>sidecar: the pod has the {@code istio-proxy} container (or native sidecar init container) or the injector's
 * {@code sidecar.istio.io/status} annotation;</li>
 * <li>ambient: the pod carries {@code istio.io/dataplane-mode: ambient} and has no sidecar by the rule above, since a
 * sidecar beats ambient.</li>
 * </ul>
 */
public final class PodEnrollment {
    public static final String PROXY_CONTAINER = "istio-proxy";
    public static final String SIDECAR_STATUS = "sidecar.istio.io/status";

    private PodEnrollment() {
    }

    public static boolean hasSidecar(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(SIDECAR_STATUS)) {
            return true;
        }
        if (pod.getSpec() == null) {
            return false;
        }
        Stream<Container> all = Stream.concat(
                pod.getSpec().getContainers() != null ? pod.getSpec().getContainers().stream() : Stream.empty(),
                pod.getSpec().getInitContainers() != null ? pod.getSpec().getInitContainers().stream() : Stream.empty());
        return all.anyMatch(c -> PROXY_CONTAINER.equals(c.getName()));
    }

    public static boolean enrolledIn(Pod pod, Dataplane dataplane) {
        if (dataplane == Dataplane.SIDECAR) {
            return hasSidecar(pod);
        }
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && "ambient".equals(labels.get(MeshPods.DATAPLANE_MODE)) && !hasSidecar(pod);
    }

    /** The pod's Ready condition is True. */
    public static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }
}
