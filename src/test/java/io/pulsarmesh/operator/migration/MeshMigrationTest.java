package io.pulsarmesh.operator.migration;

import static io.pulsarmesh.operator.migration.MeshPhase.COMPLETED;
import static io.pulsarmesh.operator.migration.MeshPhase.MIGRATING;
import static io.pulsarmesh.operator.migration.MeshPhase.PREREQUISITES_NOT_MET;
import static io.pulsarmesh.operator.migration.MeshPhase.REFUSED;
import static io.pulsarmesh.operator.migration.MeshPhase.ROLLING_BACK;
import static io.pulsarmesh.operator.migration.MeshPhase.SIDECAR;
import static io.pulsarmesh.operator.migration.MeshPhase.STALLED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus;
import io.pulsarmesh.operator.migration.MeshMigration.Action;
import io.pulsarmesh.operator.migration.MeshMigration.ComponentObservation;
import io.pulsarmesh.operator.migration.MeshMigration.Notice;
import io.pulsarmesh.operator.migration.MeshMigration.Observed;
import io.pulsarmesh.operator.migration.MeshMigration.State;
import io.pulsarmesh.operator.migration.MeshMigration.Transition;
import io.pulsarmesh.operator.model.istio.Mesh.Dataplane;

/**
 * The sidecar→ambient migration state machine: one table row per legal transition of {@link MeshPhase}'s Javadoc,
 * a sweep over every phase and intent that only legal successors come out, and scenarios that drive the machine step
 * by step against a small simulated cluster.
 *
 * <p>In this class {@code SIDECAR} alone is the phase {@link MeshPhase#SIDECAR}; the data plane is always written
 * {@code Dataplane.SIDECAR}.
 */
class MeshMigrationTest {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    static final String ZK = "ZooKeeperCluster/zk";
    static final String BK = "BookKeeperCluster/bk";
    static final String PB = "PulsarBroker/pb";
    static final String PP = "PulsarProxy/pp";

    static final String REFUSAL = "PeerAuthentication pulsar/plaintext disables mTLS";
    static final String NO_ZTUNNEL = "DaemonSet istio-system/ztunnel not found";

    static final String STARTED = "Normal MeshMigrationStarted";
    static final String COMPONENT = "Normal MeshComponentMigrating";
    static final String DONE = "Normal MeshMigrationCompleted";
    static final String RESUMED = "Normal MeshMigrationResumed";
    static final String ROLLING = "Normal MeshRollingBack";
    static final String ROLLED_BACK = "Normal MeshRolledBack";
    static final String BACK_ON_SIDECAR = "Normal Sidecar";
    static final String STALL = "Warning MeshMigrationStalled";
    static final String REFUSE = "Warning MeshMigrationRefused";
    static final String PREREQ = "Warning MeshPrerequisitesNotMet";

    // ------------------------------------------------------------------------------------------------------------
    // Building observations and states

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static String kind(String id) {
        return id.substring(0, id.indexOf('/'));
    }

    static String name(String id) {
        return id.substring(id.indexOf('/') + 1);
    }

    /** Any component, every field given. */
    static ComponentObservation comp(String id, Dataplane mode, boolean ready, int replicas, int readyReplicas,
            int enrolled, String... podsAtFault) {
        return new ComponentObservation(kind(id), name(id), mode, ready, replicas, readyReplicas, enrolled,
                List.of(podsAtFault));
    }

    /** Verified on {@code mode}: Ready, 3/3 ready, 3/3 pods in that data plane. */
    static ComponentObservation on(String id, Dataplane mode) {
        return comp(id, mode, true, 3, 3, 3);
    }

    /** Never touched: no data plane set (sidecar), verified on sidecars. */
    static ComponentObservation unset(String id) {
        return on(id, null);
    }

    /** Set to {@code mode} and rolling: not Ready, 2/3 ready, 1/3 pods in that data plane, its last pod at fault. */
    static ComponentObservation rolling(String id, Dataplane mode) {
        return comp(id, mode, false, 3, 2, 1, name(id) + "-2");
    }

    static Observed cluster(ComponentObservation... components) {
        return new Observed(List.of(components), true, "ztunnel ready", List.of());
    }

    static Observed noZtunnel(ComponentObservation... components) {
        return new Observed(List.of(components), false, NO_ZTUNNEL, List.of());
    }

    static Observed refused(String refusal, ComponentObservation... components) {
        return new Observed(List.of(components), true, "ztunnel ready", List.of(refusal));
    }

    static Observed allSidecar() {
        return cluster(unset(ZK), unset(BK), unset(PB), unset(PP));
    }

    static Observed allAmbient() {
        return cluster(on(ZK, Dataplane.AMBIENT), on(BK, Dataplane.AMBIENT), on(PB, Dataplane.AMBIENT),
                on(PP, Dataplane.AMBIENT));
    }

    static State state(MeshPhase phase, Dataplane target, String component, Instant start, Instant lastTransition,
            Instant componentSince, String... podsAtFault) {
        return new State(phase, target, component, start, lastTransition, componentSince, phase.value(),
                "recorded " + phase.value(), List.of(podsAtFault));
    }

    static State migrating(String component, Instant since) {
        return state(MIGRATING, Dataplane.AMBIENT, component, T0, T0, since);
    }

    static State rollingBack(String component, Instant since) {
        return state(ROLLING_BACK, Dataplane.SIDECAR, component, at(20), at(20), since);
    }

    /** Stalled going to {@code target} on {@code component}, set at T0+2m and stalled at T0+12m. */
    static State stalled(Dataplane target, String component, String... podsAtFault) {
        return state(STALLED, target, component, T0, at(12), at(2), podsAtFault);
    }

    /** Refused as the machine records it for {@link #REFUSAL}. */
    static State refusedState() {
        return new State(REFUSED, Dataplane.AMBIENT, null, T0, T0, null, "MeshMigrationRefused",
                "ambient cannot honour: " + REFUSAL + ". Nothing was rolled.", List.of());
    }

    /** Prerequisites not met as the machine records it for {@link #NO_ZTUNNEL}. */
    static State prerequisitesState() {
        return new State(PREREQUISITES_NOT_MET, Dataplane.AMBIENT, null, T0, T0, null, "MeshPrerequisitesNotMet",
                NO_ZTUNNEL + ". Nothing was rolled.", List.of());
    }

    static State completedState() {
        return new State(COMPLETED, Dataplane.AMBIENT, null, T0, at(40), null, "MeshMigrationCompleted",
                "every component runs on ambient (4)", List.of());
    }

    static Action set(String id, Dataplane dataplane) {
        return new Action(kind(id), name(id), dataplane);
    }

    static List<String> notices(Transition t) {
        return t.notices().stream().map(n -> n.type() + " " + n.reason()).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------------------------------------
    // What every transition must satisfy, whatever the phase

    static boolean steady(MeshPhase phase) {
        return phase == SIDECAR || phase == COMPLETED;
    }

    /**
     * The meaning of the timestamps in {@link State}'s Javadoc: {@code lastTransitionTime} is when the phase last
     * changed; {@code componentSince} when the component in progress was set (a new component, or the same one set
     * towards the other data plane, starts a new clock); {@code startTime} when the current migration or rollback
     * started (kept in a steady phase, renewed when leaving one or when the direction changes).
     */
    static void assertTimestamps(State before, State after, Instant now, String where) {
        Instant ltt = after.phase() != before.phase() ? now : before.lastTransitionTime();
        assertEquals(ltt, after.lastTransitionTime(), where + ": lastTransitionTime");

        if (after.component() == null) {
            assertNull(after.componentSince(), where + ": componentSince without a component in progress");
        } else if (!after.component().equals(before.component()) || after.target() != before.target()) {
            assertEquals(now, after.componentSince(), where + ": componentSince of a newly set component");
        } else {
            Instant kept = before.componentSince() != null ? before.componentSince() : now;
            assertEquals(kept, after.componentSince(), where + ": componentSince of the component still in progress");
        }

        Instant start;
        if (steady(after.phase())) {
            start = before.startTime();
        } else if (steady(before.phase()) || before.target() != after.target()) {
            start = now;
        } else {
            start = before.startTime() != null ? before.startTime() : now;
        }
        assertEquals(start, after.startTime(), where + ": startTime");
    }

    /** Structure every transition keeps: one action at most, on the component in progress, towards the target. */
    static void assertWellFormed(State before, Dataplane intent, Observed observed, Transition t, Instant now,
            String where) {
        State next = t.next();
        assertNotNull(next, where);
        assertEquals(intent, next.target(), where + ": the target is the intent");
        assertTrue(t.actions().size() <= 1, where + ": at most one action, got " + t.actions());
        for (Action a : t.actions()) {
            assertEquals(next.component(), a.kind() + "/" + a.name(), where + ": an action only on the component "
                    + "in progress");
            assertEquals(next.target(), a.dataplane(), where + ": an action towards the target");
            assertTrue(observed.components().stream().anyMatch(c -> c.kind().equals(a.kind())
                    && c.name().equals(a.name())), where + ": an action on an observed component");
            assertTrue(next.phase() == MIGRATING || next.phase() == ROLLING_BACK,
                    where + ": actions only while migrating or rolling back, not in " + next.phase());
        }
        if (steady(next.phase()) || next.phase() == REFUSED || next.phase() == PREREQUISITES_NOT_MET) {
            assertNull(next.component(), where + ": no component in progress in " + next.phase());
        } else {
            assertNotNull(next.component(), where + ": a component in progress in " + next.phase());
        }
        if (next.phase() != STALLED) {
            assertEquals(List.of(), next.podsAtFault(), where + ": pods at fault outside a stall");
        } else {
            assertFalse(next.podsAtFault().isEmpty(), where + ": a stall names the pods at fault");
        }
        if (next.phase() != before.phase()) {
            assertFalse(t.notices().isEmpty(), where + ": an Event on every phase change " + before.phase() + " → "
                    + next.phase());
        }
        for (Notice n : t.notices()) {
            assertTrue(n.type().equals("Normal") || n.type().equals("Warning"), where + ": notice type " + n.type());
            assertFalse(n.message() == null || n.message().isBlank(), where + ": notice message");
            boolean warningReason = n.reason().equals(MeshMigration.REASON_STALLED)
                    || n.reason().equals(MeshMigration.REASON_REFUSED)
                    || n.reason().equals(MeshMigration.REASON_PREREQUISITES);
            assertEquals(warningReason, n.type().equals("Warning"), where + ": Warning exactly for stalls, refusals "
                    + "and prerequisites: " + n);
            if (n.type().equals("Warning")) {
                assertTrue(next.phase().isWarning(), where + ": a Warning only when entering a warning phase");
                assertEquals(next.message(), n.message(), where + ": the Warning says what the status says");
            }
        }
        assertTimestamps(before, next, now, where);
    }

    // ------------------------------------------------------------------------------------------------------------
    // 1. One row per legal transition

    record Given(State state, Dataplane intent, Observed observed, Instant now, Duration timeout) {
    }

    record Expect(MeshPhase phase, Dataplane target, String component, List<Action> actions, List<String> notices,
            List<String> podsAtFault) {
        Expect actions(Action... a) {
            return new Expect(phase, target, component, List.of(a), notices, podsAtFault);
        }

        Expect notices(String... n) {
            return new Expect(phase, target, component, actions, List.of(n), podsAtFault);
        }

        Expect podsAtFault(String... p) {
            return new Expect(phase, target, component, actions, notices, List.of(p));
        }
    }

    static Given given(State state, Dataplane intent, Observed observed, Instant now) {
        return new Given(state, intent, observed, now, TIMEOUT);
    }

    static Given given(State state, Dataplane intent, Observed observed, Instant now, Duration timeout) {
        return new Given(state, intent, observed, now, timeout);
    }

    static Expect expect(MeshPhase phase, Dataplane target, String component) {
        return new Expect(phase, target, component, List.of(), List.of(), List.of());
    }

    static Arguments row(String name, Given given, Expect expect) {
        return Arguments.of(name, given, expect);
    }

    static final Dataplane AMB = Dataplane.AMBIENT;
    static final Dataplane SC = Dataplane.SIDECAR;

    static Stream<Arguments> transitions() {
        return Stream.of(
                // SIDECAR
                row("Sidecar → Migrating: intent ambient, ztunnel ready, no refusal; ZooKeeper first",
                        given(State.initial(), AMB, allSidecar(), T0),
                        expect(MIGRATING, AMB, ZK).actions(set(ZK, AMB)).notices(STARTED)),
                row("Sidecar → Migrating: components explicitly on sidecar are moved too",
                        given(State.initial(), AMB, cluster(on(ZK, SC), on(BK, SC), on(PB, SC), on(PP, SC)), T0),
                        expect(MIGRATING, AMB, ZK).actions(set(ZK, AMB)).notices(STARTED)),
                row("Sidecar → Migrating: the first component not on ambient, in the order given",
                        given(State.initial(), AMB, cluster(on(ZK, AMB), unset(BK), unset(PB), unset(PP)), T0),
                        expect(MIGRATING, AMB, BK).actions(set(BK, AMB)).notices(STARTED)),
                row("Sidecar → Migrating: every component set to ambient by hand, the proxy still rolling: wait",
                        given(State.initial(), AMB, cluster(on(ZK, AMB), on(BK, AMB), on(PB, AMB),
                                rolling(PP, AMB)), T0),
                        expect(MIGRATING, AMB, PP).notices(COMPONENT)),
                row("Sidecar → Refused: a setting ambient cannot honour; nothing is set",
                        given(State.initial(), AMB, refused(REFUSAL, unset(ZK), unset(BK), unset(PB), unset(PP)), T0),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("Sidecar → Refused: a refusal is reported before a missing ztunnel",
                        given(State.initial(), AMB, new Observed(allSidecar().components(), false, NO_ZTUNNEL,
                                List.of(REFUSAL)), T0),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("Sidecar → PrerequisitesNotMet: ztunnel missing; nothing is set",
                        given(State.initial(), AMB, noZtunnel(unset(ZK), unset(BK), unset(PB), unset(PP)), T0),
                        expect(PREREQUISITES_NOT_MET, AMB, null).notices(PREREQ)),
                row("Sidecar → RollingBack: intent sidecar, the broker set to ambient by hand",
                        given(State.initial(), SC, cluster(unset(ZK), unset(BK), on(PB, AMB), unset(PP)), T0),
                        expect(ROLLING_BACK, SC, PB).actions(set(PB, SC)).notices(ROLLING)),
                row("Sidecar → Completed: intent ambient, every component already verified on ambient",
                        given(State.initial(), AMB, allAmbient(), T0),
                        expect(COMPLETED, AMB, null).notices(DONE)),
                row("Sidecar → Sidecar: intent sidecar, every component on sidecar: nothing to do",
                        given(State.initial(), SC, allSidecar(), T0),
                        expect(SIDECAR, SC, null)),
                row("no recorded state is the initial one",
                        given(null, AMB, allSidecar(), T0),
                        expect(MIGRATING, AMB, ZK).actions(set(ZK, AMB)).notices(STARTED)),

                // REFUSED
                row("Refused → Migrating: the setting was fixed",
                        given(refusedState(), AMB, allSidecar(), at(5)),
                        expect(MIGRATING, AMB, ZK).actions(set(ZK, AMB)).notices(STARTED)),
                row("Refused → Migrating: fixed mid-way, the next component is set",
                        given(refusedState(), AMB, cluster(on(ZK, AMB), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(MIGRATING, AMB, BK).actions(set(BK, AMB)).notices(STARTED)),
                row("Refused → PrerequisitesNotMet: the setting was fixed, ztunnel is missing",
                        given(refusedState(), AMB, noZtunnel(unset(ZK), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(PREREQUISITES_NOT_MET, AMB, null).notices(PREREQ)),
                row("Refused → Refused: the same refusal is not announced again",
                        given(refusedState(), AMB, refused(REFUSAL, unset(ZK), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(REFUSED, AMB, null)),
                row("Refused → Refused: another refusal is announced",
                        given(refusedState(), AMB, refused("AuthorizationPolicy pulsar/l7 has L7 rules and no waypoint",
                                unset(ZK), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("Refused → Completed: nothing left to set (the last component was removed)",
                        given(refusedState(), AMB, refused(REFUSAL, on(ZK, AMB), on(BK, AMB), on(PB, AMB)), at(5)),
                        expect(COMPLETED, AMB, null).notices(DONE)),
                row("Refused → Sidecar: intent sidecar, nothing was rolled",
                        given(refusedState(), SC, refused(REFUSAL, unset(ZK), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(SIDECAR, SC, null).notices(BACK_ON_SIDECAR)),
                row("Refused → RollingBack: intent sidecar after ZooKeeper moved",
                        given(refusedState(), SC, refused(REFUSAL, on(ZK, AMB), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(ROLLING_BACK, SC, ZK).actions(set(ZK, SC)).notices(ROLLING)),

                // PREREQUISITES_NOT_MET
                row("PrerequisitesNotMet → Migrating: ztunnel ready",
                        given(prerequisitesState(), AMB, allSidecar(), at(5)),
                        expect(MIGRATING, AMB, ZK).actions(set(ZK, AMB)).notices(STARTED)),
                row("PrerequisitesNotMet → Refused: ztunnel ready, a refusal",
                        given(prerequisitesState(), AMB, refused(REFUSAL, unset(ZK), unset(BK), unset(PB), unset(PP)),
                                at(5)),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("PrerequisitesNotMet → PrerequisitesNotMet: the same finding is not announced again",
                        given(prerequisitesState(), AMB, noZtunnel(unset(ZK), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(PREREQUISITES_NOT_MET, AMB, null)),
                row("PrerequisitesNotMet → PrerequisitesNotMet: a new finding is announced",
                        given(prerequisitesState(), AMB, new Observed(allSidecar().components(), false,
                                "ztunnel 2/3 pods ready", List.of()), at(5)),
                        expect(PREREQUISITES_NOT_MET, AMB, null).notices(PREREQ)),
                row("PrerequisitesNotMet → Completed: nothing left to set",
                        given(prerequisitesState(), AMB, allAmbient(), at(5)),
                        expect(COMPLETED, AMB, null).notices(DONE)),
                row("PrerequisitesNotMet → Sidecar: intent sidecar",
                        given(prerequisitesState(), SC, noZtunnel(unset(ZK), unset(BK), unset(PB), unset(PP)), at(5)),
                        expect(SIDECAR, SC, null).notices(BACK_ON_SIDECAR)),
                row("PrerequisitesNotMet → RollingBack: intent sidecar, the last component on ambient first",
                        given(prerequisitesState(), SC, noZtunnel(on(ZK, AMB), on(BK, AMB), unset(PB), unset(PP)),
                                at(5)),
                        expect(ROLLING_BACK, SC, BK).actions(set(BK, SC)).notices(ROLLING)),

                // MIGRATING
                row("Migrating → Migrating: ZooKeeper verified, BookKeeper set",
                        given(migrating(ZK, T0), AMB, cluster(on(ZK, AMB), unset(BK), unset(PB), unset(PP)), at(3)),
                        expect(MIGRATING, AMB, BK).actions(set(BK, AMB)).notices(COMPONENT)),
                row("Migrating → Migrating: BookKeeper verified, brokers set",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), on(BK, AMB), unset(PB), unset(PP)),
                                at(6)),
                        expect(MIGRATING, AMB, PB).actions(set(PB, AMB)).notices(COMPONENT)),
                row("Migrating → Migrating: brokers verified, proxies set",
                        given(migrating(PB, at(6)), AMB, cluster(on(ZK, AMB), on(BK, AMB), on(PB, AMB), unset(PP)),
                                at(9)),
                        expect(MIGRATING, AMB, PP).actions(set(PP, AMB)).notices(COMPONENT)),
                row("Migrating → Migrating: the action is repeated until the component shows it, silently",
                        given(migrating(ZK, T0), AMB, allSidecar(), at(1)),
                        expect(MIGRATING, AMB, ZK).actions(set(ZK, AMB))),
                row("Migrating → Migrating: wait while the component is not Ready",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), comp(BK, AMB, false, 3, 3, 3),
                                unset(PB), unset(PP)), at(5)),
                        expect(MIGRATING, AMB, BK)),
                row("Migrating → Migrating: wait while readyReplicas < replicas",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), comp(BK, AMB, true, 3, 2, 3),
                                unset(PB), unset(PP)), at(5)),
                        expect(MIGRATING, AMB, BK)),
                row("Migrating → Migrating: wait while a pod is not enrolled",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), comp(BK, AMB, true, 3, 3, 2),
                                unset(PB), unset(PP)), at(5)),
                        expect(MIGRATING, AMB, BK)),
                row("Migrating → Migrating: wait while a pod is at fault",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), comp(BK, AMB, true, 3, 3, 3, "bk-1"),
                                unset(PB), unset(PP)), at(5)),
                        expect(MIGRATING, AMB, BK)),
                row("Migrating → Migrating: one second before the stall timeout",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), rolling(BK, AMB), unset(PB),
                                unset(PP)), at(13).minusSeconds(1)),
                        expect(MIGRATING, AMB, BK)),
                row("Migrating → Completed: the proxies verified, every component on ambient",
                        given(migrating(PP, at(9)), AMB, allAmbient(), at(12)),
                        expect(COMPLETED, AMB, null).notices(DONE)),
                row("Migrating → Stalled: not verified at the stall timeout, the pods at fault named",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), rolling(BK, AMB), unset(PB),
                                unset(PP)), at(13)),
                        expect(STALLED, AMB, BK).notices(STALL).podsAtFault("bk-2")),
                row("Migrating → Stalled: no pod named, the component is at fault",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), comp(BK, AMB, false, 3, 3, 3),
                                unset(PB), unset(PP)), at(20)),
                        expect(STALLED, AMB, BK).notices(STALL).podsAtFault(BK)),
                row("Migrating → Stalled: the stall timeout is the one given",
                        given(migrating(BK, at(3)), AMB, cluster(on(ZK, AMB), rolling(BK, AMB), unset(PB),
                                unset(PP)), at(5), Duration.ofMinutes(2)),
                        expect(STALLED, AMB, BK).notices(STALL).podsAtFault("bk-2")),
                row("Migrating → Refused: found before the next component is set",
                        given(migrating(ZK, T0), AMB, refused(REFUSAL, on(ZK, AMB), unset(BK), unset(PB), unset(PP)),
                                at(3)),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("Migrating → Migrating: a refusal does not interrupt the component in progress",
                        given(migrating(BK, at(3)), AMB, refused(REFUSAL, on(ZK, AMB), rolling(BK, AMB), unset(PB),
                                unset(PP)), at(5)),
                        expect(MIGRATING, AMB, BK)),
                row("Migrating → PrerequisitesNotMet: ztunnel gone before the next component is set",
                        given(migrating(ZK, T0), AMB, noZtunnel(on(ZK, AMB), unset(BK), unset(PB), unset(PP)), at(3)),
                        expect(PREREQUISITES_NOT_MET, AMB, null).notices(PREREQ)),
                row("Migrating → RollingBack: intent sidecar while BookKeeper rolls: BookKeeper set back first",
                        given(migrating(BK, at(3)), SC, cluster(on(ZK, AMB), rolling(BK, AMB), unset(PB), unset(PP)),
                                at(5)),
                        expect(ROLLING_BACK, SC, BK).actions(set(BK, SC)).notices(ROLLING)),
                row("Migrating → RollingBack: intent sidecar between components",
                        given(migrating(BK, at(3)), SC, cluster(on(ZK, AMB), on(BK, AMB), unset(PB), unset(PP)),
                                at(5)),
                        expect(ROLLING_BACK, SC, BK).actions(set(BK, SC)).notices(ROLLING)),
                row("Migrating → Sidecar: intent sidecar before the first component showed ambient",
                        given(migrating(ZK, T0), SC, allSidecar(), at(1)),
                        expect(SIDECAR, SC, null).notices(ROLLED_BACK)),

                // STALLED, going to ambient
                row("Stalled → Stalled: the same pods at fault are not announced again",
                        given(stalled(AMB, BK, "bk-2"), AMB, cluster(on(ZK, AMB), rolling(BK, AMB), unset(PB),
                                unset(PP)), at(30)),
                        expect(STALLED, AMB, BK).podsAtFault("bk-2")),
                row("Stalled → Stalled: other pods at fault are announced",
                        given(stalled(AMB, BK, "bk-2"), AMB, cluster(on(ZK, AMB), comp(BK, AMB, false, 3, 1, 1,
                                "bk-1", "bk-2"), unset(PB), unset(PP)), at(30)),
                        expect(STALLED, AMB, BK).notices(STALL).podsAtFault("bk-1", "bk-2")),
                row("Stalled → Migrating: BookKeeper recovered, brokers set",
                        given(stalled(AMB, BK, "bk-2"), AMB, cluster(on(ZK, AMB), on(BK, AMB), unset(PB), unset(PP)),
                                at(30)),
                        expect(MIGRATING, AMB, PB).actions(set(PB, AMB)).notices(RESUMED, COMPONENT)),
                row("Stalled → Migrating: a longer stall timeout gives the component more time",
                        given(stalled(AMB, BK, "bk-2"), AMB, cluster(on(ZK, AMB), rolling(BK, AMB), unset(PB),
                                unset(PP)), at(20), Duration.ofMinutes(30)),
                        expect(MIGRATING, AMB, BK).notices(RESUMED)),
                row("Stalled → Completed: the proxies recovered",
                        given(stalled(AMB, PP, "pp-2"), AMB, allAmbient(), at(30)),
                        expect(COMPLETED, AMB, null).notices(RESUMED, DONE)),
                row("Stalled → Refused: recovered, a refusal found before the next component",
                        given(stalled(AMB, BK, "bk-2"), AMB, refused(REFUSAL, on(ZK, AMB), on(BK, AMB), unset(PB),
                                unset(PP)), at(30)),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("Stalled → PrerequisitesNotMet: recovered, ztunnel gone before the next component",
                        given(stalled(AMB, BK, "bk-2"), AMB, noZtunnel(on(ZK, AMB), on(BK, AMB), unset(PB),
                                unset(PP)), at(30)),
                        expect(PREREQUISITES_NOT_MET, AMB, null).notices(PREREQ)),
                row("Stalled → RollingBack: intent sidecar while stalled going forward (not a recovery)",
                        given(stalled(AMB, BK, "bk-2"), SC, cluster(on(ZK, AMB), rolling(BK, AMB), unset(PB),
                                unset(PP)), at(30)),
                        expect(ROLLING_BACK, SC, BK).actions(set(BK, SC)).notices(ROLLING)),

                // STALLED, going back to sidecars
                row("Stalled → Stalled: stalled going back, not announced again",
                        given(stalled(SC, BK, "bk-2"), SC, cluster(on(ZK, AMB), rolling(BK, SC), unset(PB),
                                unset(PP)), at(30)),
                        expect(STALLED, SC, BK).podsAtFault("bk-2")),
                row("Stalled → RollingBack: recovered going back, ZooKeeper set back",
                        given(stalled(SC, BK, "bk-2"), SC, cluster(on(ZK, AMB), on(BK, SC), unset(PB), unset(PP)),
                                at(30)),
                        expect(ROLLING_BACK, SC, ZK).actions(set(ZK, SC)).notices(RESUMED, ROLLING)),
                row("Stalled → Sidecar: ZooKeeper recovered going back, none left on ambient",
                        given(stalled(SC, ZK, "zk-2"), SC, cluster(on(ZK, SC), unset(BK), unset(PB), unset(PP)),
                                at(30)),
                        expect(SIDECAR, SC, null).notices(RESUMED, ROLLED_BACK)),
                row("Stalled → Migrating: intent ambient while stalled going back",
                        given(stalled(SC, BK, "bk-2"), AMB, cluster(on(ZK, AMB), rolling(BK, SC), unset(PB),
                                unset(PP)), at(30)),
                        expect(MIGRATING, AMB, BK).actions(set(BK, AMB)).notices(STARTED)),

                // COMPLETED
                row("Completed → Completed: nothing to do",
                        given(completedState(), AMB, allAmbient(), at(50)),
                        expect(COMPLETED, AMB, null)),
                row("Completed → Completed: a pod restarting later does not restart the migration",
                        given(completedState(), AMB, cluster(on(ZK, AMB), rolling(BK, AMB), on(PB, AMB),
                                on(PP, AMB)), at(50)),
                        expect(COMPLETED, AMB, null)),
                row("Completed → Migrating: a new component, not on ambient, appears",
                        given(completedState(), AMB, cluster(on(ZK, AMB), on(BK, AMB), on(PB, AMB), on(PP, AMB),
                                unset("PulsarProxy/pp-west")), at(50)),
                        expect(MIGRATING, AMB, "PulsarProxy/pp-west").actions(set("PulsarProxy/pp-west", AMB))
                                .notices(STARTED)),
                row("Completed → Refused: a new component appears while a setting is refused",
                        given(completedState(), AMB, refused(REFUSAL, on(ZK, AMB), on(BK, AMB), on(PB, AMB),
                                on(PP, AMB), unset("PulsarProxy/pp-west")), at(50)),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("Completed → PrerequisitesNotMet: a new component appears while ztunnel is missing",
                        given(completedState(), AMB, noZtunnel(on(ZK, AMB), on(BK, AMB), on(PB, AMB), on(PP, AMB),
                                unset("PulsarProxy/pp-west")), at(50)),
                        expect(PREREQUISITES_NOT_MET, AMB, null).notices(PREREQ)),
                row("Completed → RollingBack: intent sidecar, the proxies first",
                        given(completedState(), SC, allAmbient(), at(50)),
                        expect(ROLLING_BACK, SC, PP).actions(set(PP, SC)).notices(ROLLING)),
                row("Completed → Sidecar: intent sidecar, no component left on ambient",
                        given(completedState(), SC, allSidecar(), at(50)),
                        expect(SIDECAR, SC, null).notices(ROLLED_BACK)),

                // ROLLING_BACK
                row("RollingBack → RollingBack: BookKeeper verified on sidecars, ZooKeeper set back",
                        given(rollingBack(BK, at(20)), SC, cluster(on(ZK, AMB), on(BK, SC), unset(PB), unset(PP)),
                                at(23)),
                        expect(ROLLING_BACK, SC, ZK).actions(set(ZK, SC)).notices(ROLLING)),
                row("RollingBack → RollingBack: wait while BookKeeper rolls back",
                        given(rollingBack(BK, at(20)), SC, cluster(on(ZK, AMB), rolling(BK, SC), unset(PB), unset(PP)),
                                at(23)),
                        expect(ROLLING_BACK, SC, BK)),
                row("RollingBack → Sidecar: ZooKeeper verified on sidecars, none left on ambient",
                        given(rollingBack(ZK, at(23)), SC, cluster(on(ZK, SC), on(BK, SC), unset(PB), unset(PP)),
                                at(26)),
                        expect(SIDECAR, SC, null).notices(ROLLED_BACK)),
                row("RollingBack → Stalled: BookKeeper not back on sidecars at the stall timeout",
                        given(rollingBack(BK, at(20)), SC, cluster(on(ZK, AMB), rolling(BK, SC), unset(PB), unset(PP)),
                                at(30)),
                        expect(STALLED, SC, BK).notices(STALL).podsAtFault("bk-2")),
                row("RollingBack → Migrating: intent ambient again, BookKeeper set forward",
                        given(rollingBack(BK, at(20)), AMB, cluster(on(ZK, AMB), rolling(BK, SC), unset(PB),
                                unset(PP)), at(23)),
                        expect(MIGRATING, AMB, BK).actions(set(BK, AMB)).notices(STARTED)),
                row("RollingBack → Migrating: intent ambient again, all still on ambient, one not verified",
                        given(rollingBack(PP, at(20)), AMB, cluster(on(ZK, AMB), on(BK, AMB), on(PB, AMB),
                                rolling(PP, AMB)), at(29)),
                        expect(MIGRATING, AMB, PP).notices(COMPONENT)),
                row("RollingBack → Refused: intent ambient again, a refusal found",
                        given(rollingBack(BK, at(20)), AMB, refused(REFUSAL, on(ZK, AMB), on(BK, SC), unset(PB),
                                unset(PP)), at(23)),
                        expect(REFUSED, AMB, null).notices(REFUSE)),
                row("RollingBack → PrerequisitesNotMet: intent ambient again, ztunnel gone",
                        given(rollingBack(BK, at(20)), AMB, noZtunnel(on(ZK, AMB), on(BK, SC), unset(PB), unset(PP)),
                                at(23)),
                        expect(PREREQUISITES_NOT_MET, AMB, null).notices(PREREQ)),
                row("RollingBack → Completed: intent ambient again before anything was set back",
                        given(rollingBack(PP, at(20)), AMB, allAmbient(), at(21)),
                        expect(COMPLETED, AMB, null).notices(DONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void transition(String name, Given g, Expect e) {
        Transition t = MeshMigration.next(g.state(), g.intent(), g.observed(), g.now(), g.timeout());
        State next = t.next();
        assertEquals(e.phase(), next.phase(), "phase");
        assertEquals(e.target(), next.target(), "target");
        assertEquals(e.component(), next.component(), "component in progress");
        assertEquals(e.actions(), t.actions(), "actions");
        assertEquals(e.notices(), notices(t), "notices");
        assertEquals(e.podsAtFault(), next.podsAtFault(), "pods at fault");
        State before = g.state() != null ? g.state() : State.initial();
        assertWellFormed(before, g.intent(), g.observed(), t, g.now(), name);
    }

    // ------------------------------------------------------------------------------------------------------------
    // 2. Only legal successors, whatever the phase, intent and cluster

    /** MeshPhase's Javadoc, per intent. Staying in a phase is listed where it can happen. */
    static final Map<MeshPhase, Map<Dataplane, Set<MeshPhase>>> LEGAL = new EnumMap<>(MeshPhase.class);

    static {
        legal(SIDECAR, AMB, MIGRATING, REFUSED, PREREQUISITES_NOT_MET, COMPLETED);
        legal(SIDECAR, SC, SIDECAR, ROLLING_BACK);
        legal(REFUSED, AMB, REFUSED, MIGRATING, PREREQUISITES_NOT_MET, COMPLETED);
        legal(REFUSED, SC, SIDECAR, ROLLING_BACK);
        legal(PREREQUISITES_NOT_MET, AMB, PREREQUISITES_NOT_MET, MIGRATING, REFUSED, COMPLETED);
        legal(PREREQUISITES_NOT_MET, SC, SIDECAR, ROLLING_BACK);
        legal(MIGRATING, AMB, MIGRATING, COMPLETED, STALLED, REFUSED, PREREQUISITES_NOT_MET);
        legal(MIGRATING, SC, ROLLING_BACK, SIDECAR);
        legal(STALLED, AMB, STALLED, MIGRATING, COMPLETED, REFUSED, PREREQUISITES_NOT_MET);
        legal(STALLED, SC, STALLED, ROLLING_BACK, SIDECAR);
        legal(COMPLETED, AMB, COMPLETED, MIGRATING, REFUSED, PREREQUISITES_NOT_MET);
        legal(COMPLETED, SC, ROLLING_BACK, SIDECAR);
        legal(ROLLING_BACK, AMB, MIGRATING, REFUSED, PREREQUISITES_NOT_MET, COMPLETED);
        legal(ROLLING_BACK, SC, ROLLING_BACK, SIDECAR, STALLED);
    }

    static void legal(MeshPhase from, Dataplane intent, MeshPhase... to) {
        LEGAL.computeIfAbsent(from, p -> new EnumMap<>(Dataplane.class)).put(intent, EnumSet.copyOf(List.of(to)));
    }

    static Stream<Arguments> phasesAndIntents() {
        return Stream.of(MeshPhase.values())
                .flatMap(p -> Stream.of(Dataplane.values()).map(i -> Arguments.of(p, i)));
    }

    /** Recorded states of a phase, as the machine would have left them (a few components and since times). */
    static List<State> recordedStates(MeshPhase phase) {
        List<State> states = new ArrayList<>();
        switch (phase) {
            case SIDECAR -> {
                states.add(State.initial());
                states.add(new State(SIDECAR, SC, null, T0, T0, null, "MeshRolledBack",
                        "all components run with sidecars", List.of()));
            }
            case REFUSED -> states.add(refusedState());
            case PREREQUISITES_NOT_MET -> states.add(prerequisitesState());
            case COMPLETED -> states.add(completedState());
            case MIGRATING -> {
                for (String c : List.of(ZK, BK, PP)) {
                    states.add(migrating(c, T0));
                }
            }
            case ROLLING_BACK -> {
                for (String c : List.of(ZK, BK, PP)) {
                    states.add(state(ROLLING_BACK, SC, c, T0, T0, T0));
                }
            }
            case STALLED -> {
                for (String c : List.of(ZK, BK, PP)) {
                    for (Dataplane target : Dataplane.values()) {
                        states.add(state(STALLED, target, c, T0, T0, T0, name(c) + "-2"));
                    }
                }
            }
            default -> {
                // A phase added later: every shape of record.
                for (Dataplane target : Dataplane.values()) {
                    states.add(state(phase, target, null, T0, T0, null));
                    states.add(state(phase, target, BK, T0, T0, T0, "bk-2"));
                }
            }
        }
        return states;
    }

    static List<Observed> situations() {
        List<List<ComponentObservation>> shapes = List.of(
                List.of(unset(ZK), unset(BK), unset(PB), unset(PP)),
                List.of(rolling(ZK, AMB), unset(BK), unset(PB), unset(PP)),
                List.of(on(ZK, AMB), rolling(BK, AMB), unset(PB), unset(PP)),
                List.of(on(ZK, AMB), on(BK, AMB), unset(PB), unset(PP)),
                List.of(on(ZK, AMB), rolling(BK, SC), unset(PB), unset(PP)),
                List.of(rolling(ZK, SC), on(BK, SC), unset(PB), unset(PP)),
                List.of(on(ZK, AMB), on(BK, AMB), on(PB, AMB), on(PP, AMB)),
                List.of(on(ZK, AMB), on(BK, AMB), on(PB, AMB), rolling(PP, AMB)),
                List.of(on(ZK, AMB), rolling(BK, AMB), on(PB, AMB), on(PP, AMB)),
                List.of());
        List<Observed> all = new ArrayList<>();
        for (List<ComponentObservation> shape : shapes) {
            all.add(new Observed(shape, true, "ztunnel ready", List.of()));
            all.add(new Observed(shape, false, NO_ZTUNNEL, List.of()));
            all.add(new Observed(shape, true, "ztunnel ready", List.of(REFUSAL)));
        }
        return all;
    }

    @Test
    void everyPhaseHasItsLegalSuccessors() {
        assertEquals(EnumSet.allOf(MeshPhase.class), LEGAL.keySet());
        for (Map<Dataplane, Set<MeshPhase>> byIntent : LEGAL.values()) {
            assertEquals(EnumSet.allOf(Dataplane.class), byIntent.keySet());
        }
    }

    @ParameterizedTest(name = "{0} with intent {1}")
    @MethodSource("phasesAndIntents")
    void onlyLegalSuccessors(MeshPhase phase, Dataplane intent) {
        Set<MeshPhase> legal = LEGAL.getOrDefault(phase, Map.of()).get(intent);
        assertNotNull(legal, "MeshPhase's Javadoc lists no successors of " + phase + " with intent " + intent);
        Set<MeshPhase> reached = EnumSet.noneOf(MeshPhase.class);
        int situation = 0;
        for (State state : recordedStates(phase)) {
            for (Observed observed : situations()) {
                situation++;
                for (Instant now : List.of(at(1), at(60))) {
                    String where = phase + "/" + state.target() + "/" + state.component() + " intent " + intent
                            + " at " + now + " with " + describe(observed);
                    Transition t = MeshMigration.next(state, intent, observed, now, TIMEOUT);
                    assertTrue(legal.contains(t.next().phase()), where + ": " + phase + " → " + t.next().phase()
                            + " is not a legal transition (legal: " + legal + ")");
                    reached.add(t.next().phase());
                    assertWellFormed(state, intent, observed, t, now, where);
                }
            }
        }
        assertTrue(situation > 0);
        // The sweep reaches every successor listed for the pair, so the table above is not wider than the machine.
        assertEquals(legal, reached, "successors reached from " + phase + " with intent " + intent);
    }

    static String describe(Observed o) {
        return o.components().stream()
                .map(c -> c.name() + "=" + c.effectiveMode() + (c.verifiedIn(c.effectiveMode()) ? "" : "(rolling)"))
                .collect(Collectors.joining(",", "[", "]")) + (o.ztunnelReady() ? "" : " no ztunnel")
                + (o.refusals().isEmpty() ? "" : " refused");
    }

    // ------------------------------------------------------------------------------------------------------------
    // The phases themselves

    @Test
    void phaseNamesRoundTripAndWarnings() {
        assertEquals(List.of("Sidecar", "Refused", "PrerequisitesNotMet", "Migrating", "Stalled", "Completed",
                "RollingBack"), Stream.of(MeshPhase.values()).map(MeshPhase::value).collect(Collectors.toList()));
        for (MeshPhase p : MeshPhase.values()) {
            assertEquals(p, MeshPhase.of(p.value()));
        }
        assertEquals(SIDECAR, MeshPhase.of(null));
        assertEquals(SIDECAR, MeshPhase.of("Unknown"));
        assertEquals(EnumSet.of(REFUSED, PREREQUISITES_NOT_MET, STALLED),
                Stream.of(MeshPhase.values()).filter(MeshPhase::isWarning)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(MeshPhase.class))));
    }

    // ------------------------------------------------------------------------------------------------------------
    // 3. Scenarios against a simulated cluster

    /** A component: its data plane is set by the actions; it is verified {@code steps} steps after being set. */
    static final class SimComponent {
        final String kind;
        final String name;
        final int steps;
        Dataplane mode;
        int remaining;
        boolean stuck;

        SimComponent(String id, int steps) {
            this.kind = kind(id);
            this.name = name(id);
            this.steps = steps;
        }

        String id() {
            return kind + "/" + name;
        }

        Dataplane effective() {
            return mode == null ? Dataplane.SIDECAR : mode;
        }

        boolean inFlight() {
            return remaining > 0;
        }

        /** Server-side apply: setting the data plane it already has changes nothing. */
        boolean set(Dataplane d) {
            if (effective() == d) {
                return false;
            }
            mode = d;
            remaining = steps;
            return true;
        }

        void tick() {
            if (remaining > 0 && !stuck) {
                remaining--;
            }
        }

        void recover() {
            stuck = false;
            remaining = 0;
        }

        ComponentObservation observe() {
            if (remaining == 0) {
                return new ComponentObservation(kind, name, mode, true, 3, 3, 3, List.of());
            }
            int enrolled = Math.max(0, Math.min(2, 3 - remaining));
            return new ComponentObservation(kind, name, mode, false, 3, 2, enrolled, List.of(name + "-2"));
        }
    }

    @Test
    void neverTwoAtOnceWhenARefusalInterruptsARollbackTurnedForward() {
        // Rolling back: BookKeeper is set back to sidecars and still rolling (ZooKeeper is still on ambient).
        Sim sim = Sim.pulsar(3);
        sim.runUntil(st -> st.phase() == MeshPhase.MIGRATING && st.component().equals(PB), 20);
        sim.intent = Dataplane.SIDECAR;
        sim.runUntil(st -> st.phase() == MeshPhase.ROLLING_BACK && st.component().equals(BK), 20);
        // The intent turns to ambient while a refusal exists: Refused, and the component in progress is forgotten.
        sim.refusals.add("a PeerAuthentication disables mTLS");
        sim.intent = Dataplane.AMBIENT;
        sim.step();
        // Back to sidecar at once: ZooKeeper must wait until BookKeeper's pods have all moved (Sim.step asserts that
        // at most one component is set and not verified at any time).
        sim.intent = Dataplane.SIDECAR;
        sim.clearRecords();
        sim.runUntil(st -> st.phase() == MeshPhase.SIDECAR, 30);
        assertEquals(List.of(ZK + "=SIDECAR"), sim.switched.stream().filter(x -> x.startsWith(ZK)).toList());
        sim.assertAllVerifiedOn(Dataplane.SIDECAR);
    }

    /** The reconciler's loop: observe, ask the machine, apply the actions, record the state; one minute a step. */
    static final class Sim {
        final List<SimComponent> components = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();
        boolean ztunnelReady = true;
        Dataplane intent = Dataplane.AMBIENT;
        State state = State.initial();
        Instant clock = T0;
        final Duration timeout;

        /** Every action that changed a component, as "kind/name=dataplane". */
        final List<String> switched = new ArrayList<>();
        final List<Action> actions = new ArrayList<>();
        final List<String> notices = new ArrayList<>();
        final List<State> states = new ArrayList<>();

        Sim(Duration timeout, int steps, String... ids) {
            this.timeout = timeout;
            for (String id : ids) {
                components.add(new SimComponent(id, steps));
            }
        }

        static Sim pulsar(int steps) {
            return new Sim(TIMEOUT, steps, ZK, BK, PB, PP);
        }

        SimComponent get(String id) {
            return components.stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no component " + id));
        }

        Observed observe() {
            return new Observed(components.stream().map(SimComponent::observe).collect(Collectors.toList()),
                    ztunnelReady, ztunnelReady ? "ztunnel ready" : NO_ZTUNNEL, refusals);
        }

        Transition step() {
            Observed observed = observe();
            State before = state;
            Transition t = MeshMigration.next(before, intent, observed, clock, timeout);
            assertWellFormed(before, intent, observed, t, clock, "step at " + clock);
            for (Action a : t.actions()) {
                SimComponent c = get(a.kind() + "/" + a.name());
                if (c.set(a.dataplane())) {
                    switched.add(c.id() + "=" + a.dataplane());
                }
            }
            long inFlight = components.stream().filter(SimComponent::inFlight).count();
            assertTrue(inFlight <= 1, "two components set and not yet verified at " + clock + ": "
                    + components.stream().filter(SimComponent::inFlight).map(SimComponent::id).toList());
            actions.addAll(t.actions());
            t.notices().forEach(n -> notices.add(n.type() + " " + n.reason()));
            state = t.next();
            states.add(state);
            clock = clock.plus(Duration.ofMinutes(1));
            components.forEach(SimComponent::tick);
            return t;
        }

        /** Steps until the recorded state matches; fails after {@code max} steps. */
        Transition runUntil(Predicate<State> done, int max) {
            for (int i = 0; i < max; i++) {
                Transition t = step();
                if (done.test(t.next())) {
                    return t;
                }
            }
            return fail("not reached in " + max + " steps; last state " + state);
        }

        void steps(int n) {
            for (int i = 0; i < n; i++) {
                step();
            }
        }

        /** Forget what was recorded so far (to look at what comes next only). */
        void clearRecords() {
            switched.clear();
            actions.clear();
            notices.clear();
            states.clear();
        }

        void assertAllVerifiedOn(Dataplane d) {
            for (SimComponent c : components) {
                assertEquals(d, c.effective(), c.id());
                assertTrue(c.observe().verifiedIn(d), c.id() + " verified on " + d);
            }
        }
    }

    static Predicate<State> phase(MeshPhase p) {
        return s -> s.phase() == p;
    }

    static Predicate<State> inProgress(MeshPhase p, String component) {
        return s -> s.phase() == p && component.equals(s.component());
    }

    @Test
    void fullMigrationOneComponentAtATimeInOrder() {
        Sim sim = Sim.pulsar(3);
        sim.runUntil(phase(COMPLETED), 40);

        assertEquals(List.of(ZK + "=AMBIENT", BK + "=AMBIENT", PB + "=AMBIENT", PP + "=AMBIENT"), sim.switched);
        assertEquals(List.of(set(ZK, AMB), set(BK, AMB), set(PB, AMB), set(PP, AMB)), sim.actions,
                "each component set once");
        assertEquals(List.of(STARTED, COMPONENT, COMPONENT, COMPONENT, DONE), sim.notices);
        // Each component takes three steps (minutes) to verify: set at 0, 3, 6, 9; completed at 12.
        assertEquals(13, sim.states.size());
        assertEquals(List.of(ZK, ZK, ZK, BK, BK, BK, PB, PB, PB, PP, PP, PP),
                sim.states.subList(0, 12).stream().map(State::component).toList());
        assertTrue(sim.states.subList(0, 12).stream().allMatch(s -> s.phase() == MIGRATING));
        assertEquals(at(9), sim.states.get(9).componentSince());

        State done = sim.state;
        assertEquals(COMPLETED, done.phase());
        assertEquals(AMB, done.target());
        assertNull(done.component());
        assertEquals(T0, done.startTime());
        assertEquals(at(12), done.lastTransitionTime());
        assertEquals("MeshMigrationCompleted", done.reason());
        sim.assertAllVerifiedOn(AMB);
    }

    @Test
    void stallAfterTheTimeoutWarnsOnceThenRecovers() {
        Sim sim = Sim.pulsar(2);
        sim.get(BK).stuck = true;

        Transition stall = sim.runUntil(phase(STALLED), 30);
        // ZooKeeper set at 0, verified at 2 when BookKeeper is set; 10 minutes later it stalls.
        assertEquals(at(12), sim.state.lastTransitionTime());
        assertEquals(at(2), sim.state.componentSince());
        assertEquals(BK, sim.state.component());
        assertEquals(AMB, sim.state.target());
        assertEquals(List.of("bk-2"), sim.state.podsAtFault());
        assertEquals(List.of(STALL), notices(stall));
        assertTrue(stall.notices().get(0).message().contains("bk-2"), stall.notices().get(0).message());
        assertEquals(MIGRATING, sim.states.get(sim.states.size() - 2).phase(), "one step before: still migrating");

        sim.steps(20);
        assertEquals(List.of(STARTED, COMPONENT, STALL), sim.notices, "the stall is announced once");
        assertEquals(List.of(set(ZK, AMB), set(BK, AMB)), sim.actions, "nothing set while stalled");
        assertEquals(STALLED, sim.state.phase());
        assertEquals(at(12), sim.state.lastTransitionTime());
        assertNull(sim.get(PB).mode, "the brokers were not touched");

        sim.get(BK).recover();
        sim.clearRecords();
        Transition resumed = sim.step();
        assertEquals(List.of(RESUMED, COMPONENT), notices(resumed));
        assertEquals(List.of(set(PB, AMB)), resumed.actions());
        assertEquals(MIGRATING, resumed.next().phase());
        assertEquals(T0, resumed.next().startTime(), "the same migration goes on");

        sim.runUntil(phase(COMPLETED), 20);
        assertEquals(List.of(PB + "=AMBIENT", PP + "=AMBIENT"), sim.switched);
        assertEquals(List.of(RESUMED, COMPONENT, COMPONENT, DONE), sim.notices);
        sim.assertAllVerifiedOn(AMB);
    }

    @Test
    void stallGoingBackRecoversToSidecar() {
        Sim sim = Sim.pulsar(2);
        sim.runUntil(inProgress(MIGRATING, BK), 10);
        sim.runUntil(inProgress(MIGRATING, PB), 10);
        sim.intent = Dataplane.SIDECAR;
        sim.get(BK).stuck = true;
        sim.clearRecords();

        sim.runUntil(phase(STALLED), 40);
        assertEquals(Dataplane.SIDECAR, sim.state.target());
        assertEquals(BK, sim.state.component());
        sim.steps(5);
        assertEquals(List.of(ROLLING, ROLLING, STALL), sim.notices);

        sim.get(BK).recover();
        sim.runUntil(phase(SIDECAR), 20);
        assertEquals(List.of(ROLLING, ROLLING, STALL, RESUMED, ROLLING, ROLLED_BACK), sim.notices);
        assertEquals(List.of(PB + "=SIDECAR", BK + "=SIDECAR", ZK + "=SIDECAR"), sim.switched);
        sim.assertAllVerifiedOn(Dataplane.SIDECAR);
    }

    @Test
    void rollbackMidWayGoesBackInReverseOrder() {
        Sim sim = Sim.pulsar(3);
        sim.runUntil(inProgress(MIGRATING, BK), 10);
        sim.step(); // BookKeeper rolling
        assertTrue(sim.get(BK).inFlight());

        Instant flip = sim.clock;
        sim.intent = Dataplane.SIDECAR;
        sim.clearRecords();
        Transition first = sim.step();
        assertEquals(ROLLING_BACK, first.next().phase());
        assertEquals(BK, first.next().component());
        assertEquals(List.of(set(BK, SC)), first.actions());
        assertEquals(flip, first.next().startTime(), "the rollback starts now");
        assertEquals(flip, first.next().componentSince(), "BookKeeper's clock restarts going back");

        sim.runUntil(phase(SIDECAR), 30);
        assertEquals(List.of(BK + "=SIDECAR", ZK + "=SIDECAR"), sim.switched);
        assertEquals(List.of(set(BK, SC), set(ZK, SC)), sim.actions);
        assertEquals(List.of(ROLLING, ROLLING, ROLLED_BACK), sim.notices);
        assertNull(sim.get(PB).mode, "brokers never moved");
        assertNull(sim.get(PP).mode, "proxies never moved");
        assertEquals(Dataplane.SIDECAR, sim.state.target());
        assertEquals("MeshRolledBack", sim.state.reason());
        assertEquals(flip, sim.state.startTime());
        sim.assertAllVerifiedOn(Dataplane.SIDECAR);

        sim.clearRecords();
        sim.steps(5);
        assertEquals(List.of(), sim.actions);
        assertEquals(List.of(), sim.notices);
    }

    @Test
    void rollbackGetsItsOwnStallClock() {
        // BookKeeper takes 7 minutes each way; the intent turns at minute 8, 6 minutes after it was set to ambient.
        Sim sim = Sim.pulsar(2);
        sim.components.set(1, new SimComponent(BK, 7));
        sim.runUntil(s -> s.phase() == MIGRATING && BK.equals(s.component()) && sim.clock.equals(at(8)), 20);
        assertTrue(sim.get(BK).inFlight());
        sim.intent = Dataplane.SIDECAR;
        sim.clearRecords();

        sim.runUntil(phase(SIDECAR), 30);
        assertFalse(sim.states.stream().anyMatch(s -> s.phase() == STALLED),
                "BookKeeper is back within 10 minutes of being set back: " + sim.notices);
        assertEquals(List.of(ROLLING, ROLLING, ROLLED_BACK), sim.notices);
    }

    @Test
    void flippingBackToAmbientDuringRollbackResumesForward() {
        Sim sim = Sim.pulsar(3);
        sim.runUntil(inProgress(MIGRATING, PB), 20);
        sim.intent = Dataplane.SIDECAR;
        sim.runUntil(inProgress(ROLLING_BACK, BK), 20);
        sim.step();
        assertTrue(sim.get(BK).inFlight(), "BookKeeper on its way back");

        Instant flip = sim.clock;
        sim.intent = Dataplane.AMBIENT;
        sim.clearRecords();
        Transition forward = sim.step();
        assertEquals(MIGRATING, forward.next().phase());
        assertEquals(BK, forward.next().component());
        assertEquals(List.of(set(BK, AMB)), forward.actions());
        assertEquals(List.of(STARTED), notices(forward));
        assertEquals(flip, forward.next().startTime());
        assertEquals(flip, forward.next().componentSince());

        sim.runUntil(phase(COMPLETED), 40);
        assertEquals(List.of(BK + "=AMBIENT", PB + "=AMBIENT", PP + "=AMBIENT"), sim.switched,
                "ZooKeeper stayed on ambient; the rest goes forward in order");
        assertEquals(List.of(STARTED, COMPONENT, COMPONENT, DONE), sim.notices);
        sim.assertAllVerifiedOn(AMB);
    }

    @Test
    void refusalBeforeAnythingRollsThenFixed() {
        Sim sim = Sim.pulsar(2);
        sim.refusals.add(REFUSAL);
        sim.steps(5);
        assertEquals(REFUSED, sim.state.phase());
        assertEquals(List.of(REFUSE), sim.notices, "refused once, not at every step");
        assertEquals(List.of(), sim.actions);
        assertTrue(sim.components.stream().allMatch(c -> c.mode == null), "nothing was set");
        assertTrue(sim.state.message().contains(REFUSAL), sim.state.message());
        assertEquals(T0, sim.state.lastTransitionTime());

        sim.refusals.clear();
        Instant fixed = sim.clock;
        sim.clearRecords();
        Transition start = sim.step();
        assertEquals(MIGRATING, start.next().phase());
        assertEquals(List.of(set(ZK, AMB)), start.actions());
        assertEquals(List.of(STARTED), notices(start));
        assertEquals(fixed, start.next().lastTransitionTime());

        sim.runUntil(phase(COMPLETED), 20);
        assertEquals(List.of(ZK + "=AMBIENT", BK + "=AMBIENT", PB + "=AMBIENT", PP + "=AMBIENT"), sim.switched);
        sim.assertAllVerifiedOn(AMB);
    }

    @Test
    void missingZtunnelThenReady() {
        Sim sim = Sim.pulsar(2);
        sim.ztunnelReady = false;
        sim.steps(4);
        assertEquals(PREREQUISITES_NOT_MET, sim.state.phase());
        assertEquals(List.of(PREREQ), sim.notices);
        assertEquals(List.of(), sim.actions);
        assertTrue(sim.state.message().contains(NO_ZTUNNEL), sim.state.message());
        assertTrue(sim.components.stream().allMatch(c -> c.mode == null), "nothing was set");

        sim.ztunnelReady = true;
        sim.clearRecords();
        Transition start = sim.step();
        assertEquals(MIGRATING, start.next().phase());
        assertEquals(ZK, start.next().component());
        assertEquals(List.of(set(ZK, AMB)), start.actions());
        assertEquals(List.of(STARTED), notices(start));

        sim.runUntil(phase(COMPLETED), 20);
        assertEquals(List.of(STARTED, COMPONENT, COMPONENT, COMPONENT, DONE), sim.notices);
    }

    /** The state as the coordinator's status records it, and back: only strings survive a restart. */
    static State throughStatus(State s) {
        MeshMigrationStatus status = new MeshMigrationStatus();
        status.setPhase(s.phase().value());
        status.setTarget(s.target().name().toLowerCase(Locale.ROOT));
        status.setComponent(s.component());
        status.setStartTime(s.startTime() == null ? null : s.startTime().toString());
        status.setLastTransitionTime(s.lastTransitionTime() == null ? null : s.lastTransitionTime().toString());
        status.setComponentSince(s.componentSince() == null ? null : s.componentSince().toString());
        status.setReason(s.reason());
        status.setMessage(s.message());
        status.setPodsAtFault(s.podsAtFault().isEmpty() ? null : new ArrayList<>(s.podsAtFault()));

        return new State(MeshPhase.of(status.getPhase()),
                Dataplane.valueOf(status.getTarget().toUpperCase(Locale.ROOT)), status.getComponent(),
                instant(status.getStartTime()), instant(status.getLastTransitionTime()),
                instant(status.getComponentSince()), status.getReason(), status.getMessage(), status.getPodsAtFault());
    }

    static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    static Stream<Arguments> restartPoints() {
        return Stream.of(
                Arguments.of("while the brokers roll", inProgress(MIGRATING, PB), false),
                Arguments.of("while BookKeeper is stalled", phase(STALLED), true),
                Arguments.of("right after BookKeeper was set", inProgress(MIGRATING, BK), false));
    }

    @ParameterizedTest(name = "restart {0}")
    @MethodSource("restartPoints")
    void restartMidWayContinuesExactlyWhereItWas(String when, Predicate<State> point, boolean stall) {
        // Two identical clusters: one operator runs on, the other is restarted and only has the recorded status.
        Sim kept = Sim.pulsar(3);
        Sim restarted = Sim.pulsar(3);
        if (stall) {
            kept.get(BK).stuck = true;
            restarted.get(BK).stuck = true;
        }
        kept.runUntil(point, 40);
        restarted.runUntil(point, 40);
        restarted.state = throughStatus(restarted.state);
        assertEquals(kept.state, restarted.state, "the status keeps the whole state");
        kept.clearRecords();
        restarted.clearRecords();

        for (int i = 0; i < 25; i++) {
            if (stall && i == 12) {
                kept.get(BK).recover();
                restarted.get(BK).recover();
            }
            Transition a = kept.step();
            Transition b = restarted.step();
            assertEquals(a, b, "step " + i + " after the restart");
            restarted.state = throughStatus(restarted.state);
        }
        assertEquals(COMPLETED, restarted.state.phase());
        assertEquals(kept.switched, restarted.switched);
        assertFalse(restarted.switched.contains(ZK + "=AMBIENT"), "ZooKeeper is not set again");
        if (stall) {
            assertEquals(List.of(RESUMED, COMPONENT, COMPONENT, DONE), restarted.notices,
                    "the stall is not announced again after the restart");
        }
        restarted.assertAllVerifiedOn(AMB);
    }

    @Test
    void restartWhileBrokersRollKeepsTheirStallClock() {
        Sim sim = Sim.pulsar(3);
        sim.runUntil(inProgress(MIGRATING, PB), 20);
        Instant setAt = sim.state.componentSince();
        sim.get(PB).stuck = true;
        sim.state = throughStatus(sim.state);
        sim.runUntil(phase(STALLED), 20);
        assertEquals(setAt.plus(TIMEOUT), sim.state.lastTransitionTime(),
                "stalled 10 minutes after the brokers were set, not after the restart");
    }

    @Test
    void newComponentAfterCompletedIsMigrated() {
        Sim sim = Sim.pulsar(2);
        sim.runUntil(phase(COMPLETED), 20);
        sim.steps(3);
        sim.components.add(new SimComponent("PulsarProxy/pp-west", 2));
        sim.clearRecords();

        Instant added = sim.clock;
        Transition t = sim.step();
        assertEquals(MIGRATING, t.next().phase());
        assertEquals("PulsarProxy/pp-west", t.next().component());
        assertEquals(List.of(set("PulsarProxy/pp-west", AMB)), t.actions());
        assertEquals(added, t.next().startTime());

        sim.runUntil(phase(COMPLETED), 10);
        assertEquals(List.of("PulsarProxy/pp-west=AMBIENT"), sim.switched);
        assertEquals(List.of(STARTED, DONE), sim.notices);
        assertTrue(sim.state.message().contains("(5)"), sim.state.message());
        sim.assertAllVerifiedOn(AMB);
    }

    @Test
    void sidecarWithIntentSidecarIsSteady() {
        Sim sim = Sim.pulsar(2);
        sim.intent = Dataplane.SIDECAR;
        sim.steps(10);
        assertEquals(List.of(), sim.actions);
        assertEquals(List.of(), sim.notices);
        assertTrue(sim.states.stream().allMatch(s -> s.equals(State.initial())), "unchanged: " + sim.states);
    }

    @Test
    void completedWithIntentAmbientIsSteady() {
        Sim sim = Sim.pulsar(2);
        sim.runUntil(phase(COMPLETED), 20);
        State completed = sim.state;
        sim.clearRecords();
        sim.steps(10);
        assertEquals(List.of(), sim.actions);
        assertEquals(List.of(), sim.notices);
        assertTrue(sim.states.stream().allMatch(s -> s.equals(completed)), "unchanged: " + sim.states);
    }

    @Test
    void rollbackAfterCompletedReturnsEveryComponentInReverseOrder() {
        Sim sim = Sim.pulsar(2);
        sim.runUntil(phase(COMPLETED), 20);
        sim.intent = Dataplane.SIDECAR;
        sim.clearRecords();
        sim.runUntil(phase(SIDECAR), 30);
        assertEquals(List.of(PP + "=SIDECAR", PB + "=SIDECAR", BK + "=SIDECAR", ZK + "=SIDECAR"), sim.switched);
        assertEquals(List.of(ROLLING, ROLLING, ROLLING, ROLLING, ROLLED_BACK), sim.notices);
        sim.assertAllVerifiedOn(Dataplane.SIDECAR);
    }
}
