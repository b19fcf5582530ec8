package io.pulsarmesh.operator.model.istio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;
import io.pulsarmesh.operator.migration.PodEnrollment;
import io.pulsarmesh.operator.model.common.Labels;

/**
 * Where a component's pods are, as the API server has them: how many are in the mesh, in which data plane, and which
 * are not where the component's mesh settings want them. Pure: the reconciler hands in the pods and the mesh.
 *
 * <p>A pod is in the mesh when Istio enrolled it: a sidecar (the {@code istio-proxy} container or the injector's
 * status annotation), or, without one, the ambient label that ztunnel acts on. {@code onMeshReplicas} counts the
 * component's main pods (those {@code replicas} counts: not BookKeeper's auto-recovery) that are in the data plane
 * asked for; every pod of the component, auto-recovery included, is checked for the condition.
 *
 * <p>The {@value #CONDITION} condition, while the mesh is on:
 * <ul>
 * <li>{@code True}, {@value #REASON_ALL_IN_MESH}: every pod is in the data plane asked for;</li>
 * <li>{@code False}, {@value #REASON_ROLLING}: pods are being replaced (the workload has not rolled out its template
 * yet): pods on the old template may still be in the old data plane;</li>
 * <li>{@code False}, {@value #REASON_SIDECAR_MISSING}: rolled out, and pods that should have a sidecar have none
 * (injection is off for the namespace, or the injector's webhook did not run), named;</li>
 * <li>{@code False}, {@value #REASON_SIDECAR_LEFT}: ambient asked for, and pods still carry a sidecar, named;</li>
 * <li>{@code False}, {@value #REASON_NOT_AMBIENT}: ambient asked for, and pods lack the ambient label, named.</li>
 * </ul>
 * Out of the mesh there is no condition; {@code onMeshReplicas} then counts pods that are in a data plane all the
 * same (a sidecar the namespace's injection added).
 */
public final class PodsInMesh {
    public static final String CONDITION = "MeshEnrolled";
    public static final String REASON_ALL_IN_MESH = "AllPodsInMesh";
    public static final String REASON_ROLLING = "RolloutInProgress";
    public static final String REASON_SIDECAR_MISSING = "SidecarMissing";
    public static final String REASON_SIDECAR_LEFT = "SidecarStillPresent";
    public static final String REASON_NOT_AMBIENT = "NotInAmbient";
    static final int NAMED = 10;

    /** What the status reports; {@code condition} is {@code null} out of the mesh. */
    public record Result(int onMeshReplicas, String dataplaneMode, Boolean inMesh, String reason, String message,
            List<String> podsOutside) {
        /** A reason that asks the user to act (a Warning Event). */
        public boolean warning() {
            return Boolean.FALSE.equals(inMesh) && !REASON_ROLLING.equals(reason);
        }
    }

    private PodsInMesh() {
    }

    /**
     * @param pods the component's pods (any owner), as the API server has them
     * @param rolledOut every desired pod runs the workload's current template
     * @param namespace for the message
     */
    public static Result of(Mesh mesh, List<Pod> pods, boolean rolledOut, String namespace) {
        List<Pod> live = pods.stream().filter(PodsInMesh::live).sorted(java.util.Comparator
                .comparing((Pod p) -> p.getMetadata().getName())).toList();
        if (!mesh.enabled()) {
            int on = (int) live.stream().filter(PodsInMesh::main)
                    .filter(p -> PodEnrollment.enrolledIn(p, Mesh.Dataplane.SIDECAR)
                            || PodEnrollment.enrolledIn(p, Mesh.Dataplane.AMBIENT))
                    .count();
            return new Result(on, "none", null, null, null, List.of());
        }
        Mesh.Dataplane d = mesh.dataplane();
        String mode = d == Mesh.Dataplane.AMBIENT ? "ambient" : "sidecar";
        int on = 0;
        List<String> outside = new ArrayList<>();
        List<String> withSidecar = new ArrayList<>();
        for (Pod p : live) {
            boolean in = PodEnrollment.enrolledIn(p, d);
            if (in && main(p)) {
                on++;
            }
            if (!in) {
                outside.add(p.getMetadata().getName());
                if (d == Mesh.Dataplane.AMBIENT && PodEnrollment.hasSidecar(p)) {
                    withSidecar.add(p.getMetadata().getName());
                }
            }
        }
        if (outside.isEmpty()) {
            // No count in the message: it would change with every pod (onMeshReplicas counts them).
            return new Result(on, mode, true, REASON_ALL_IN_MESH, "every pod is in the " + mode + " data plane",
                    List.of());
        }
        if (!rolledOut) {
            return new Result(on, mode, false, REASON_ROLLING,
                    "pods are moving to the " + mode + " data plane as the workload replaces them", outside);
        }
        if (d == Mesh.Dataplane.SIDECAR) {
            return new Result(on, mode, false, REASON_SIDECAR_MISSING, "pods without an Istio sidecar: "
                    + names(outside) + ". Their template asks for one (sidecar.istio.io/inject: \"true\"): check that "
                    + "Istio's injector serves namespace " + namespace + " (its webhook selects the pods, or the "
                    + "namespace has istio-injection=enabled or istio.io/rev) and restart the pods", outside);
        }
        if (!withSidecar.isEmpty()) {
            return new Result(on, mode, false, REASON_SIDECAR_LEFT, "pods still carrying a sidecar in ambient mode: "
                    + names(withSidecar) + " (a sidecar wins over ambient): the namespace's injection adds one "
                    + "(istio-injection=enabled overrides the pods' sidecar.istio.io/inject: \"false\"); remove the "
                    + "namespace label and restart the pods", outside);
        }
        return new Result(on, mode, false, REASON_NOT_AMBIENT, "pods without the label istio.io/dataplane-mode: "
                + "ambient: " + names(outside) + "; something outside the operator removed it from the pods",
                outside);
    }

    /** Pods that run or will: not failed, finished or being deleted. */
    static boolean live(Pod p) {
        String phase = p.getStatus() != null ? p.getStatus().getPhase() : null;
        return !"Failed".equals(phase) && !"Succeeded".equals(phase) && p.getMetadata().getDeletionTimestamp() == null;
    }

    static boolean main(Pod p) {
        Map<String, String> l = p.getMetadata().getLabels();
        return l == null || !Labels.AUTO_RECOVERY.equals(l.get(Labels.COMPONENT));
    }

    static String names(List<String> pods) {
        return pods.size() <= NAMED ? String.join(", ", pods)
                : String.join(", ", pods.subList(0, NAMED)) + " and " + (pods.size() - NAMED) + " more";
    }
}
