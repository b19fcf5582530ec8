package io.pulsarmesh.operator.model.istio;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Whether a component's pods already run in the mesh, so that mTLS can be enforced without locking out pods that are
 * still joining it.
 *
 * <p>Putting a running component into the mesh rolls its pods one at a time. A STRICT PeerAuthentication or an
 * {@code ISTIO_MUTUAL} DestinationRule applied at the start would cut the pods that already have a sidecar off from
 * those that do not (a ZooKeeper server with a sidecar could not join its quorum, and the roll would stall). So the
 * component counts as enrolled only once its workload has rolled out a pod template in the mesh; the operator then
 * records that on the workload ({@value #ANNOTATION}: {@code sidecar} or {@code ambient}), so that later rolls (a
 * configuration change, a move between sidecar and ambient) keep STRICT. Leaving the mesh sets it to {@code none}.
 *
 * <p>A component created in the mesh has nothing to join: every pod it will have starts from a template in the mesh.
 * It is enrolled from its first apply ({@link #bornInMesh}), so STRICT, the DestinationRules and the record are
 * written once, with the workload, instead of after a first roll-out.
 */
public final class MeshEnrollment {
    public static final String ANNOTATION = "pulsarmesh.io/mesh-enrolled";
    static final String SIDECAR = "sidecar";
    static final String AMBIENT = "ambient";
    static final String NONE = "none";

    private MeshEnrollment() {
    }

    /**
     * @param workload the component's main StatefulSet or Deployment as it is now ({@code null} before it exists)
     * @param rolledOut every desired pod of the workload runs its current template and is ready
     */
    public static boolean enrolled(HasMetadata workload, boolean rolledOut, Mesh mesh) {
        if (!mesh.enabled() || workload == null || !templateInMesh(workload)) {
            return false;
        }
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        String recorded = annotations != null ? annotations.get(ANNOTATION) : null;
        // Moving between sidecar and ambient stays in the mesh: a record of either keeps mTLS enforced.
        return rolledOut || SIDECAR.equals(recorded) || AMBIENT.equals(recorded);
    }

    /**
     * Whether a component without a workload yet is enrolled from its first apply: its pods all start in the mesh.
     * Not when pods of the component are there without a workload (a workload deleted with its pods orphaned): the
     * new workload would adopt them and roll them into the mesh one at a time, which is what the relaxed start is for.
     *
     * @param podsExist whether pods of the component exist; asked only for an enabled mesh and no workload
     */
    public static boolean bornInMesh(HasMetadata workload, java.util.function.BooleanSupplier podsExist, Mesh mesh) {
        return mesh.enabled() && workload == null && !podsExist.getAsBoolean();
    }

    /** Records on the workload whether its pods are enrolled. */
    public static ObjectMeta annotate(ObjectMeta workloadMeta, Mesh mesh) {
        Map<String, String> annotations = new LinkedHashMap<>(
                workloadMeta.getAnnotations() != null ? workloadMeta.getAnnotations() : Map.of());
        annotations.put(ANNOTATION, !mesh.enabled() || !mesh.enrolled() ? NONE
                : mesh.dataplane() == Mesh.Dataplane.AMBIENT ? AMBIENT : SIDECAR);
        workloadMeta.setAnnotations(annotations);
        return workloadMeta;
    }

    static boolean templateInMesh(HasMetadata workload) {
        Map<String, String> labels = MeshPods.templateLabels(workload);
        return "true".equals(labels.get(MeshPods.INJECT)) || MeshPods.ambientTemplate(workload);
    }
}
