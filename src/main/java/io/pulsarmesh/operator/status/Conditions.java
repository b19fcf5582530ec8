package io.pulsarmesh.operator.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;

/** Pure helpers that keep a condition list in the standard shape. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String UNSUPPORTED_FEATURES = "UnsupportedFeatures";

    public static final String REASON_ALL_REPLICAS_READY = "AllReplicasReady";
    public static final String REASON_REPLICAS_NOT_READY = "ReplicasNotReady";
    public static final String REASON_RECONCILE_ERROR = "ReconcileError";
    public static final String REASON_FIELDS_NOT_ACTED_ON = "FieldsNotActedOn";
    public static final String REASON_ALL_COMPONENTS_READY = "AllComponentsReady";
    public static final String REASON_COMPONENTS_NOT_READY = "ComponentsNotReady";
    public static final String REASON_NO_COMPONENTS = "NoComponents";

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /**
     * A copy of {@code previous} with {@code next} in place of the condition of the same type. The transition time is
     * kept while the status stays the same, and set to {@code now} when it flips.
     */
    public static List<Condition> with(List<Condition> previous, Condition next, Instant now) {
        List<Condition> out = new ArrayList<>();
        boolean replaced = false;
        for (Condition c : previous == null ? List.<Condition>of() : previous) {
            if (c.getType().equals(next.getType())) {
                out.add(merge(c, next, now));
                replaced = true;
            } else {
                out.add(c);
            }
        }
        if (!replaced) {
            out.add(merge(null, next, now));
        }
        return out;
    }

    /** A copy of {@code previous} without the condition of that type. */
    public static List<Condition> without(List<Condition> previous, String type) {
        List<Condition> out = new ArrayList<>();
        for (Condition c : previous == null ? List.<Condition>of() : previous) {
            if (!type.equals(c.getType())) {
                out.add(c);
            }
        }
        return out;
    }

    private static Condition merge(Condition old, Condition next, Instant now) {
        Condition c = new Condition(next.getType(), next.getStatus(), next.getReason(), next.getMessage());
        c.setObservedGeneration(next.getObservedGeneration());
        boolean flipped = old == null || !old.getStatus().equals(next.getStatus());
        c.setLastTransitionTime(flipped || old.getLastTransitionTime() == null
                ? now.truncatedTo(ChronoUnit.SECONDS).toString()
                : old.getLastTransitionTime());
        return c;
    }

    public static Condition of(String type, boolean status, String reason, String message, Long generation) {
        Condition c = new Condition(type, status ? Condition.TRUE : Condition.FALSE, reason, message);
        c.setObservedGeneration(generation);
        return c;
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> Condition.TRUE.equals(c.getStatus())).orElse(false);
    }
}
