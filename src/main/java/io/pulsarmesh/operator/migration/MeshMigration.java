package io.pulsarmesh.operator.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.pulsarmesh.operator.model.istio.Mesh.Dataplane;

/**
 * The sidecar→ambient migration of one Pulsar cluster, and its rollback, as a pure state machine (see
 * {@link MeshPhase} for every legal transition). No I/O: the coordinator's reconciler observes the cluster, calls
 * {@link #next}, carries out the returned {@link Action}s (set one component's {@code spec.istio.dataplaneMode}),
 * records the returned state in the coordinator's status and the notices as Events.
 *
 * <p>Algorithm. Components move in the order given (ZooKeeper, BookKeeper, brokers, proxies), one at a time:
 * <ol>
 * <li>Going to ambient, the first component whose data plane is not ambient is set to ambient. Before that, and
 * before every next component, settings that ambient cannot honour ({@link Observed#refusals()}) make the migration
 * {@link MeshPhase#REFUSED}, and a missing or unready ztunnel {@link MeshPhase#PREREQUISITES_NOT_MET}; nothing is
 * set then.</li>
 * <li>The component in progress is verified ({@link ComponentObservation#verifiedIn}): custom resource Ready,
 * {@code readyReplicas == replicas}, and every pod running in the target data plane. Then the next component is
 * set; when none is left the phase is {@link MeshPhase#COMPLETED}.</li>
 * <li>A component not verified within {@code stallTimeout} of being set makes the migration
 * {@link MeshPhase#STALLED}, naming the pods at fault; it goes on by itself once the component is verified.</li>
 * <li>Intent sidecar at any point rolls back the same way in reverse order: the last component on ambient is set
 * back to sidecar, verified, then the one before it; when none is left the phase is {@link MeshPhase#SIDECAR}.</li>
 * </ol>
 */
public final class MeshMigration {
    public static final String REASON_STARTED = "MeshMigrationStarted";
    public static final String REASON_COMPONENT = "MeshComponentMigrating";
    public static final String REASON_COMPLETED = "MeshMigrationCompleted";
    public static final String REASON_STALLED = "MeshMigrationStalled";
    public static final String REASON_RESUMED = "MeshMigrationResumed";
    public static final String REASON_REFUSED = "MeshMigrationRefused";
    public static final String REASON_PREREQUISITES = "MeshPrerequisitesNotMet";
    public static final String REASON_ROLLING_BACK = "MeshRollingBack";
    public static final String REASON_ROLLED_BACK = "MeshRolledBack";

    private MeshMigration() {
    }

    /**
     * One component as observed now.
     *
     * @param kind custom resource kind
     * @param name custom resource name
     * @param mode the data plane set on it ({@code null}: unset, which means sidecar)
     * @param ready its {@code Ready} condition is True
     * @param replicas desired pods
     * @param readyReplicas ready pods
     * @param enrolledPods pods running in {@code mode}'s data plane
     * @param podsAtFault pods not ready or not (yet) in {@code mode}'s data plane
     */
    public record ComponentObservation(String kind, String name, Dataplane mode, boolean ready, int replicas,
            int readyReplicas, int enrolledPods, List<String> podsAtFault) {
        public ComponentObservation {
            podsAtFault = podsAtFault == null ? List.of() : List.copyOf(podsAtFault);
        }

        public Dataplane effectiveMode() {
            return mode == null ? Dataplane.SIDECAR : mode;
        }

        /** Set to {@code target}, Ready, all replicas ready and every pod in the target data plane. */
        public boolean verifiedIn(Dataplane target) {
            return effectiveMode() == target && ready && readyReplicas == replicas && enrolledPods == replicas
                    && podsAtFault.isEmpty();
        }

        public String id() {
            return kind + "/" + name;
        }
    }

    /**
     * The cluster as observed now.
     *
     * @param components the components in the mesh, in migration order
     * @param ztunnelReady the ztunnel DaemonSet exists and all its pods are ready
     * @param ztunnelMessage what was found about ztunnel
     * @param refusals settings ambient cannot honour, each a sentence
     */
    public record Observed(List<ComponentObservation> components, boolean ztunnelReady, String ztunnelMessage,
            List<String> refusals) {
        public Observed {
            components = List.copyOf(components);
            refusals = refusals == null ? List.of() : List.copyOf(refusals);
        }
    }

    /**
     * The migration as recorded in the coordinator's status.
     *
     * @param phase where it stands
     * @param target the data plane it moves to
     * @param component the component in progress ({@code Kind/name}), or {@code null}
     * @param startTime when the current migration or rollback started; {@code null} in a steady phase never left
     * @param lastTransitionTime when the phase last changed
     * @param componentSince when the component in progress was set
     * @param reason stable CamelCase reason of the phase
     * @param message what the phase means now
     * @param podsAtFault pods that keep a stalled component from being verified
     */
    public record State(MeshPhase phase, Dataplane target, String component, Instant startTime,
            Instant lastTransitionTime, Instant componentSince, String reason, String message, List<String> podsAtFault) {
        public State {
            podsAtFault = podsAtFault == null ? List.of() : List.copyOf(podsAtFault);
        }

        /** Before anything was recorded: on sidecars. */
        public static State initial() {
            return new State(MeshPhase.SIDECAR, Dataplane.SIDECAR, null, null, null, null, "Sidecar",
                    "all components run with sidecars", List.of());
        }
    }

    /** Set one component's data plane. */
    public record Action(String kind, String name, Dataplane dataplane) {
    }

    /** An Event to record: type Normal or Warning. */
    public record Notice(String type, String reason, String message) {
    }

    public record Transition(State next, List<Action> actions, List<Notice> notices) {
    }

    /** The next state, what to set and what to tell, from the recorded state, the intent and the observed cluster. */
    public static Transition next(State current, Dataplane intent, Observed observed, Instant now, Duration stallTimeout) {
        State state = current != null ? current : State.initial();
        return intent == Dataplane.AMBIENT ? forward(state, observed, now, stallTimeout)
                : backward(state, observed, now, stallTimeout);
    }

    private static Transition forward(State state, Observed observed, Instant now, Duration stallTimeout) {
        ComponentObservation inProgress = state.target() == Dataplane.AMBIENT ? find(observed, state.component()) : null;
        if (inProgress != null && inProgress.effectiveMode() == Dataplane.AMBIENT
                && !inProgress.verifiedIn(Dataplane.AMBIENT)
                && (state.phase() == MeshPhase.MIGRATING || state.phase() == MeshPhase.STALLED)) {
            return waiting(state, inProgress, Dataplane.AMBIENT, now, stallTimeout);
        }
        ComponentObservation nextUp = observed.components().stream()
                .filter(c -> c.effectiveMode() != Dataplane.AMBIENT).findFirst().orElse(null);
        if (nextUp == null) {
            ComponentObservation unverified = observed.components().stream()
                    .filter(c -> !c.verifiedIn(Dataplane.AMBIENT)).findFirst().orElse(null);
            if (unverified != null && state.phase() != MeshPhase.COMPLETED) {
                // All set to ambient (for example by hand, or recorded before a restart), one not verified yet.
                State waitFor = moved(state, MeshPhase.MIGRATING, Dataplane.AMBIENT, unverified.id(), now,
                        REASON_COMPONENT, "waiting for " + unverified.id() + " to run on ambient", List.of(), true);
                Transition waited = waiting(waitFor, unverified, Dataplane.AMBIENT, now, stallTimeout);
                // The phase (or the component in progress) changes here too: tell it like any other move.
                List<Notice> notices = new ArrayList<>(to(state, MeshPhase.MIGRATING, Dataplane.AMBIENT,
                        unverified.id(), now, REASON_COMPONENT, waited.next().message(), List.of(), List.of(), true)
                        .notices());
                notices.addAll(waited.notices());
                return new Transition(waited.next(), List.of(), notices);
            }
            return to(state, MeshPhase.COMPLETED, Dataplane.AMBIENT, null, now, REASON_COMPLETED,
                    "every component runs on ambient (" + observed.components().size() + ")", List.of(), List.of(),
                    false);
        }
        ComponentObservation stillRolling = rolling(observed.components(), Dataplane.AMBIENT);
        if (stillRolling != null) {
            // Never two at once: a component set to ambient whose pods have not all moved yet (its progress lost
            // through a refusal, say) is waited for before the next one is set.
            return waitFor(state, stillRolling, Dataplane.AMBIENT, now, stallTimeout);
        }
        if (!observed.refusals().isEmpty()) {
            return to(state, MeshPhase.REFUSED, Dataplane.AMBIENT, null, now, REASON_REFUSED,
                    "ambient cannot honour: " + String.join("; ", observed.refusals()) + ". Nothing was rolled.",
                    List.of(), List.of(), false);
        }
        if (!observed.ztunnelReady()) {
            return to(state, MeshPhase.PREREQUISITES_NOT_MET, Dataplane.AMBIENT, null, now, REASON_PREREQUISITES,
                    Objects.toString(observed.ztunnelMessage(), "ztunnel is not ready") + ". Nothing was rolled.",
                    List.of(), List.of(), false);
        }
        boolean starting = state.phase() != MeshPhase.MIGRATING && state.phase() != MeshPhase.STALLED
                || state.target() != Dataplane.AMBIENT;
        return to(state, MeshPhase.MIGRATING, Dataplane.AMBIENT, nextUp.id(), now,
                starting ? REASON_STARTED : REASON_COMPONENT, "moving " + nextUp.id() + " to ambient", List.of(),
                List.of(new Action(nextUp.kind(), nextUp.name(), Dataplane.AMBIENT)), true);
    }

    private static Transition backward(State state, Observed observed, Instant now, Duration stallTimeout) {
        ComponentObservation inProgress = state.target() == Dataplane.SIDECAR ? find(observed, state.component()) : null;
        if (inProgress != null && inProgress.effectiveMode() == Dataplane.SIDECAR
                && !inProgress.verifiedIn(Dataplane.SIDECAR)
                && (state.phase() == MeshPhase.ROLLING_BACK || state.phase() == MeshPhase.STALLED)) {
            return waiting(state, inProgress, Dataplane.SIDECAR, now, stallTimeout);
        }
        List<ComponentObservation> reversed = new ArrayList<>(observed.components());
        java.util.Collections.reverse(reversed);
        ComponentObservation nextUp = reversed.stream().filter(c -> c.effectiveMode() == Dataplane.AMBIENT)
                .findFirst().orElse(null);
        ComponentObservation stillRolling = rolling(reversed, Dataplane.SIDECAR);
        if (nextUp != null && stillRolling != null) {
            return waitFor(state, stillRolling, Dataplane.SIDECAR, now, stallTimeout);
        }
        if (nextUp == null) {
            boolean wasMoving = state.phase() == MeshPhase.ROLLING_BACK || state.phase() == MeshPhase.MIGRATING
                    || state.phase() == MeshPhase.STALLED || state.phase() == MeshPhase.COMPLETED;
            return to(state, MeshPhase.SIDECAR, Dataplane.SIDECAR, null, now,
                    wasMoving ? REASON_ROLLED_BACK : "Sidecar", "all components run with sidecars", List.of(),
                    List.of(), false);
        }
        return to(state, MeshPhase.ROLLING_BACK, Dataplane.SIDECAR, nextUp.id(), now, REASON_ROLLING_BACK,
                "moving " + nextUp.id() + " back to sidecars", List.of(),
                List.of(new Action(nextUp.kind(), nextUp.name(), Dataplane.SIDECAR)), true);
    }

    /** The first component set to {@code target} whose pods have not all moved to it yet, or {@code null}. */
    private static ComponentObservation rolling(List<ComponentObservation> components, Dataplane target) {
        return components.stream().filter(c -> c.effectiveMode() == target && c.enrolledPods() < c.replicas())
                .findFirst().orElse(null);
    }

    /** Makes {@code c} the component in progress and waits for it, telling the move if it is one. */
    private static Transition waitFor(State state, ComponentObservation c, Dataplane target, Instant now,
            Duration stallTimeout) {
        MeshPhase moving = target == Dataplane.AMBIENT ? MeshPhase.MIGRATING : MeshPhase.ROLLING_BACK;
        String reason = target == Dataplane.AMBIENT ? REASON_COMPONENT : REASON_ROLLING_BACK;
        boolean same = Objects.equals(state.component(), c.id()) && state.target() == target
                && (state.phase() == moving || state.phase() == MeshPhase.STALLED);
        State base = same ? state
                : moved(state, moving, target, c.id(), now, reason, "waiting for " + c.id(), List.of(), true);
        Transition waited = waiting(base, c, target, now, stallTimeout);
        if (same) {
            return waited;
        }
        List<Notice> notices = new ArrayList<>(to(state, moving, target, c.id(), now, reason, waited.next().message(),
                List.of(), List.of(), true).notices());
        notices.addAll(waited.notices());
        return new Transition(waited.next(), List.of(), notices);
    }

    /** The component in progress is set to {@code target} and not verified yet: wait, or stall after the timeout. */
    private static Transition waiting(State state, ComponentObservation c, Dataplane target, Instant now,
            Duration stallTimeout) {
        Instant since = state.componentSince() != null ? state.componentSince() : now;
        MeshPhase moving = target == Dataplane.AMBIENT ? MeshPhase.MIGRATING : MeshPhase.ROLLING_BACK;
        if (!now.isBefore(since.plus(stallTimeout))) {
            List<String> atFault = c.podsAtFault().isEmpty() ? List.of(c.id()) : c.podsAtFault();
            String message = c.id() + " is not running on " + name(target) + " " + stallTimeout.toSeconds()
                    + " s after it was set (" + c.readyReplicas() + "/" + c.replicas() + " ready, " + c.enrolledPods()
                    + "/" + c.replicas() + " pods on " + name(target) + "; at fault: " + String.join(", ", atFault)
                    + "); it resumes by itself once they recover";
            State stalled = new State(MeshPhase.STALLED, target, c.id(), state.startTime(),
                    state.phase() == MeshPhase.STALLED ? state.lastTransitionTime() : now, since, REASON_STALLED,
                    message, atFault);
            List<Notice> notices = state.phase() == MeshPhase.STALLED && state.podsAtFault().equals(atFault)
                    ? List.of()
                    : List.of(new Notice("Warning", REASON_STALLED, message));
            return new Transition(stalled, List.of(), notices);
        }
        State waitingState = new State(moving, target, c.id(), state.startTime(),
                state.phase() == moving ? state.lastTransitionTime() : now, since,
                target == Dataplane.AMBIENT ? REASON_COMPONENT : REASON_ROLLING_BACK,
                "waiting for " + c.id() + " to run on " + name(target) + " (" + c.readyReplicas() + "/" + c.replicas()
                        + " ready, " + c.enrolledPods() + "/" + c.replicas() + " pods on " + name(target) + ")",
                List.of());
        List<Notice> notices = state.phase() == MeshPhase.STALLED
                ? List.of(new Notice("Normal", REASON_RESUMED, c.id() + " recovered; the migration goes on"))
                : List.of();
        return new Transition(waitingState, List.of(), notices);
    }

    /** A move to {@code phase}; an Event when the phase (or the component in progress) changes. */
    private static Transition to(State state, MeshPhase phase, Dataplane target, String component, Instant now,
            String reason, String message, List<String> podsAtFault, List<Action> actions, boolean componentStarts) {
        State next = moved(state, phase, target, component, now, reason, message, podsAtFault, componentStarts);
        List<Notice> notices = new ArrayList<>();
        boolean changed = state.phase() != phase || !Objects.equals(state.component(), component)
                || !Objects.equals(state.message(), message) && phase.isWarning();
        if (changed && !(state.phase() == phase && phase == MeshPhase.SIDECAR)) {
            // Only a stall left in the same direction is a recovery; a turned intent is not.
            if (state.phase() == MeshPhase.STALLED && !phase.isWarning() && state.target() == target) {
                notices.add(new Notice("Normal", REASON_RESUMED, "the stalled component recovered"));
            }
            notices.add(new Notice(phase.isWarning() ? "Warning" : "Normal", reason, message));
        }
        return new Transition(next, actions, notices);
    }

    private static State moved(State state, MeshPhase phase, Dataplane target, String component, Instant now,
            String reason, String message, List<String> podsAtFault, boolean componentStarts) {
        boolean phaseChanged = state.phase() != phase;
        boolean steady = phase == MeshPhase.SIDECAR || phase == MeshPhase.COMPLETED;
        boolean wasSteady = state.phase() == MeshPhase.SIDECAR || state.phase() == MeshPhase.COMPLETED;
        Instant start = steady ? state.startTime()
                : wasSteady || state.target() != target ? now : state.startTime() != null ? state.startTime() : now;
        // The same component set towards the other data plane is set anew: its stall clock restarts.
        boolean newlySet = !Objects.equals(state.component(), component) || state.target() != target;
        Instant since = componentStarts && newlySet ? now : componentStarts ? state.componentSince() : null;
        return new State(phase, target, component, start, phaseChanged ? now : state.lastTransitionTime(), since,
                reason, message, podsAtFault);
    }

    private static ComponentObservation find(Observed observed, String id) {
        if (id == null) {
            return null;
        }
        return observed.components().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    private static String name(Dataplane d) {
        return d == Dataplane.AMBIENT ? "ambient" : "sidecars";
    }
}
