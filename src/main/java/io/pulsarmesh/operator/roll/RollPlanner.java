package io.pulsarmesh.operator.roll;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Decides which pod of a StatefulSet with the {@code OnDelete} update strategy the operator restarts next, if any.
 * Pure: the caller observes the pods, asks for the ZooKeeper leader only when the decision needs it, and carries the
 * decision out (annotate, delete, record an Event).
 *
 * <p>The rules, in order:
 * <ol>
 * <li>Nothing to do when every pod runs the StatefulSet's update revision, or before the StatefulSet has a status.</li>
 * <li>Wait while the StatefulSet controller has not observed the latest spec, while a pod is terminating or missing
 * (a restart or a scale-up is under way): one pod at a time.</li>
 * <li>Pods on an old revision that are not ready go first, highest ordinal first: restarting them costs no
 * availability, and a broken pod on an old template is often what the new one fixes. A bookie is never restarted
 * while another bookie is not ready.</li>
 * <li>Ready pods on an old revision follow, only when every other pod is ready: highest ordinal first, and for
 * ZooKeeper every follower before the leader. When the leader cannot be found, ZooKeeper's ready pods wait (unless the
 * leader check is switched off, in which case the order is by ordinal alone).</li>
 * </ol>
 */
public final class RollPlanner {
    private RollPlanner() {
    }

    /** How the pods of this StatefulSet must be ordered. */
    public enum Kind {
        /** ZooKeeper: followers before the leader. */
        ZOOKEEPER,
        /** BookKeeper bookies: never two unready at once. */
        BOOKIE,
        /** Anything else: one at a time, unready first. */
        OTHER
    }

    /** Why a pod is restarted. Recorded on the pod (annotation) and in the Event. */
    public enum RestartReason {
        /** The pod runs an older pod template than the StatefulSet's. */
        POD_TEMPLATE_CHANGED("PodTemplateChanged"),
        /** The pod runs in another data plane than the template asks for (the sidecar/ambient switch). */
        DATAPLANE_CHANGED("DataplaneChanged");

        private final String value;

        RestartReason(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /**
     * One pod as the planner needs it.
     *
     * @param revision the pod's {@code controller-revision-hash}
     * @param dataplane the data plane the pod runs in ({@code sidecar}, {@code ambient} or {@code none})
     */
    public record PodView(String name, int ordinal, boolean ready, boolean terminating, String revision,
            String dataplane) {
        public PodView withDataplane(String dataplane) {
            return new PodView(name, ordinal, ready, terminating, revision, dataplane);
        }
    }

    /**
     * The ZooKeeper leader as far as it is known.
     *
     * @param skipped the leader check is switched off ({@code cloud.streamnative.io/ignore-leader-check: "true"})
     * @param leader the leader's pod name, or {@code null} when not found
     * @param problem why it was not found
     */
    public record Leader(boolean skipped, String leader, String problem) {
        public static Leader skippedCheck() {
            return new Leader(true, null, null);
        }

        public static Leader of(String pod) {
            return new Leader(false, Objects.requireNonNull(pod), null);
        }

        public static Leader unknown(String problem) {
            return new Leader(false, null, problem);
        }
    }

    /**
     * What the StatefulSet looks like.
     *
     * @param replicas desired pods
     * @param observed the StatefulSet controller has seen the latest spec (status.observedGeneration)
     * @param updateRevision the revision pods must run (status.updateRevision)
     * @param templateDataplane the data plane the pod template asks for
     */
    public record Workload(String name, Kind kind, int replicas, boolean observed, String updateRevision,
            String templateDataplane) {
    }

    /** The planner's answer. */
    public sealed interface Decision permits Done, Wait, Restart {
    }

    /** Every pod runs the update revision. */
    public record Done() implements Decision {
    }

    /** A roll is due but no pod may go now. {@code reason} is a CamelCase word for conditions and Events. */
    public record Wait(String reason, String message) implements Decision {
    }

    /** Restart (delete) this pod. */
    public record Restart(String pod, RestartReason reason, String message) implements Decision {
    }

    public static final String WAIT_NOT_OBSERVED = "StatefulSetNotObserved";
    public static final String WAIT_POD_TERMINATING = "PodTerminating";
    public static final String WAIT_PODS_MISSING = "PodsMissing";
    public static final String WAIT_NOT_READY = "PodsNotReady";
    public static final String WAIT_BOOKIE_NOT_READY = "BookieNotReady";
    public static final String WAIT_LEADER_UNKNOWN = "LeaderUnknown";

    /** Whether any pod runs another revision than the update revision (a roll is due). */
    public static boolean rollDue(Workload w, List<PodView> pods) {
        return w.updateRevision() != null && pods.stream().anyMatch(p -> !w.updateRevision().equals(p.revision()));
    }

    /**
     * The next step of the roll.
     *
     * @param leader asked only when a ready ZooKeeper pod is next (it costs network round trips)
     */
    public static Decision next(Workload w, List<PodView> pods, Supplier<Leader> leader) {
        if (w.updateRevision() == null) {
            return new Done(); // no status yet: the StatefulSet controller creates its pods from the current template
        }
        if (!w.observed()) {
            return new Wait(WAIT_NOT_OBSERVED, w.name() + ": the StatefulSet controller has not observed the latest spec");
        }
        if (!rollDue(w, pods)) {
            return new Done();
        }
        List<PodView> terminating = pods.stream().filter(PodView::terminating).toList();
        if (!terminating.isEmpty()) {
            return new Wait(WAIT_POD_TERMINATING, names(terminating) + " terminating: one pod at a time");
        }
        long inRange = pods.stream().filter(p -> p.ordinal() < w.replicas()).count();
        if (inRange < w.replicas()) {
            return new Wait(WAIT_PODS_MISSING, (w.replicas() - inRange) + " of " + w.replicas()
                    + " pods do not exist yet: one pod at a time");
        }
        Comparator<PodView> highestFirst = Comparator.comparingInt(PodView::ordinal).reversed();
        List<PodView> stale = pods.stream().filter(p -> !w.updateRevision().equals(p.revision()))
                .sorted(highestFirst).toList();
        List<PodView> unreadyStale = stale.stream().filter(p -> !p.ready()).toList();
        if (!unreadyStale.isEmpty()) {
            PodView p = unreadyStale.get(0);
            if (w.kind() == Kind.BOOKIE) {
                List<PodView> others = pods.stream().filter(o -> !o.ready() && !o.name().equals(p.name())).toList();
                if (!others.isEmpty()) {
                    return new Wait(WAIT_BOOKIE_NOT_READY, "not restarting bookie " + p.name() + " while "
                            + names(others) + " not ready: a bookie is never restarted while another is not ready");
                }
            }
            return restart(w, p, "not ready, on an old revision");
        }
        List<PodView> unready = pods.stream().filter(o -> !o.ready()).sorted(Comparator.comparingInt(PodView::ordinal))
                .toList();
        if (!unready.isEmpty()) {
            return new Wait(WAIT_NOT_READY, "waiting for " + names(unready) + " to be ready before the next restart");
        }
        if (w.kind() != Kind.ZOOKEEPER) {
            return restart(w, stale.get(0), null);
        }
        Leader l = leader.get();
        if (l.skipped()) {
            return restart(w, stale.get(0), "leader check skipped, by ordinal");
        }
        if (l.leader() == null) {
            return new Wait(WAIT_LEADER_UNKNOWN, "the ZooKeeper leader was not found (" + l.problem()
                    + "); no ready server restarts until it is, or until the annotation "
                    + "cloud.streamnative.io/ignore-leader-check: \"true\" skips the check");
        }
        List<PodView> order = new ArrayList<>(stale.stream().filter(p -> !p.name().equals(l.leader())).toList());
        stale.stream().filter(p -> p.name().equals(l.leader())).forEach(order::add);
        PodView p = order.get(0);
        return restart(w, p, p.name().equals(l.leader()) ? "the leader, last" : "a follower (leader " + l.leader() + ")");
    }

    private static Restart restart(Workload w, PodView p, String detail) {
        RestartReason reason = w.templateDataplane() != null && !w.templateDataplane().equals(p.dataplane())
                ? RestartReason.DATAPLANE_CHANGED
                : RestartReason.POD_TEMPLATE_CHANGED;
        String message = p.name() + ": " + reason.value() + " (revision " + p.revision() + " → " + w.updateRevision()
                + (reason == RestartReason.DATAPLANE_CHANGED ? ", " + p.dataplane() + " → " + w.templateDataplane() : "")
                + ")" + (detail != null ? "; " + detail : "");
        return new Restart(p.name(), reason, message);
    }

    private static String names(List<PodView> pods) {
        return String.join(", ", pods.stream().map(PodView::name).toList());
    }
}
