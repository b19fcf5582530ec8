package io.pulsarmesh.operator.model.coordinator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinatorStatus.ComponentSummary;

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
    public record Component(String kind, String name, Condition ready, Integer replicas, Integer readyReplicas) {
        boolean isReady() {
            return ready != null && Condition.TRUE.equals(ready.getStatus());
        }
    }

    /** Summary of one Ready evaluation. */
    public record Aggregate(List<ComponentSummary> components, String readyComponents, boolean ready, String reason,
            String message) {
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
