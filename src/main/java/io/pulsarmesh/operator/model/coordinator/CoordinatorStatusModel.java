package io.pulsarmesh.operator.model.coordinator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinatorStatus.ComponentSummary;
import io.pulsarmesh.operator.model.istio.PodsInMesh;
import io.pulsarmesh.operator.status.Conditions;

/**
 * Aggregates the coordinator's components into its status. Pure: the controller hands in what it found by the
 * {@code k8s.streamnative.io/coordinator-name} label.
 */
public final class CoordinatorStatusModel {
    /** Order in which components are listed (and, later, migrated). */
    public static final List<String> KIND_ORDER = List.of("ZooKeeperCluster", "BookKeeperCluster", "PulsarBroker",
            "PulsarProxy");

    private CoordinatorStatusModel() {
    }

    /** One component seen by the coordinator. */
    public record Component(String kind, String name, Condition ready, Integer replicas, Integer readyReplicas,
            Integer onMeshReplicas, String dataplaneMode, Condition meshEnrolled) {
        public Component(String kind, String name, Condition ready, Integer replicas, Integer readyReplicas) {
            this(kind, name, ready, replicas, readyReplicas, null, null, null);
        }

        boolean isReady() {
            return ready != null && Condition.TRUE.equals(ready.getStatus());
        }
    }

    /** Summary of one Ready evaluation. */
    public record Aggregate(List<ComponentSummary> components, String readyComponents, boolean ready, String reason,
            String message) {
    }

    /**
     * The components' {@code MeshEnrolled} conditions summed up for the coordinator: {@code null} when none has one
     * (no component in the mesh); {@code True} when all are; otherwise {@code False}, naming each component whose pods
     * are not where they should be, with its reason ({@code PodsNotInMesh} when one of them needs the user,
     * {@code RolloutInProgress} when they are only being replaced).
     */
    public static Condition meshEnrolment(List<Component> found, Long generation) {
        List<Component> meshed = found.stream().filter(c -> c.meshEnrolled() != null)
                .sorted(Comparator.comparing((Component c) -> KIND_ORDER.indexOf(c.kind())).thenComparing(Component::name))
                .toList();
        if (meshed.isEmpty()) {
            return null;
        }
        List<Component> out = meshed.stream().filter(c -> !Condition.TRUE.equals(c.meshEnrolled().getStatus())).toList();
        if (out.isEmpty()) {
            return Conditions.of(PodsInMesh.CONDITION, true, PodsInMesh.REASON_ALL_IN_MESH,
                    // No count of components: it would change as each new component reports, a write each.
                    "every pod of the components is in the mesh",
                    generation);
        }
        boolean user = out.stream().anyMatch(c -> !PodsInMesh.REASON_ROLLING.equals(c.meshEnrolled().getReason()));
        String message = String.join("; ", out.stream().map(c -> c.kind() + "/" + c.name() + ": "
                + c.meshEnrolled().getReason() + " (" + c.meshEnrolled().getMessage() + ")").toList());
        return Conditions.of(PodsInMesh.CONDITION, false, user ? "PodsNotInMesh" : PodsInMesh.REASON_ROLLING, message,
                generation);
    }

    public static Aggregate aggregate(List<Component> found) {
        List<Component> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing((Component c) -> KIND_ORDER.indexOf(c.kind())).thenComparing(Component::name));
        List<ComponentSummary> summaries = new ArrayList<>();
        for (Component c : sorted) {
            ComponentSummary s = new ComponentSummary();
            s.setKind(c.kind());
            s.setName(c.name());
            s.setReady(c.ready() != null ? c.ready().getStatus() : Condition.UNKNOWN);
            s.setReason(c.ready() != null ? c.ready().getReason() : null);
            s.setReplicas(c.replicas());
            s.setReadyReplicas(c.readyReplicas());
            s.setOnMeshReplicas(c.onMeshReplicas());
            s.setDataplaneMode(c.dataplaneMode());
            summaries.add(s);
        }
        long ready = sorted.stream().filter(Component::isReady).count();
        String count = ready + "/" + sorted.size();
        if (sorted.isEmpty()) {
            return new Aggregate(summaries, count, false, "NoComponents",
                    "no component carries the label k8s.streamnative.io/coordinator-name with this coordinator's name");
        }
        List<String> missingKinds = KIND_ORDER.stream()
                .filter(k -> sorted.stream().noneMatch(c -> c.kind().equals(k))).toList();
        if (ready == sorted.size()) {
            String message = "all " + sorted.size() + " components are ready"
                    + (missingKinds.isEmpty() ? "" : " (none of kind " + String.join(", ", missingKinds) + ")");
            return new Aggregate(summaries, count, true, "AllComponentsReady", message);
        }
        String notReady = sorted.stream().filter(c -> !c.isReady())
                .map(c -> c.kind() + "/" + c.name() + (c.ready() != null && c.ready().getReason() != null
                        ? " (" + c.ready().getReason() + ")" : " (no status yet)"))
                .collect(Collectors.joining(", "));
        return new Aggregate(summaries, count, false, "ComponentsNotReady", "not ready: " + notReady);
    }
}
