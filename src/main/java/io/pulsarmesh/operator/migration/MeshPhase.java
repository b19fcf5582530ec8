package io.pulsarmesh.operator.migration;

/**
 * Where a Pulsar cluster stands between the sidecar and the ambient data plane. The phase is recorded in the
 * PulsarCoordinator's status ({@code status.meshMigration.phase}), so an operator restarted at any point resumes from
 * it. Legal transitions (intent = the coordinator's {@code spec.istio.dataplaneMode}); {@link MeshMigration} implements
 * exactly these:
 *
 * <ul>
 * <li>{@link #SIDECAR} → {@link #MIGRATING} (intent ambient, no refusal, ztunnel ready; the first component is set
 * to ambient, or waited for when every component is already set to ambient), → {@link #REFUSED} (intent ambient, a
 * setting ambient cannot honour), → {@link #PREREQUISITES_NOT_MET} (intent ambient, ztunnel missing or not ready), →
 * {@link #COMPLETED} (intent ambient, every component already verified on ambient: nothing to set), →
 * {@link #ROLLING_BACK} (intent sidecar but a component is on ambient, e.g. set by hand).</li>
 * <li>{@link #REFUSED} → {@link #MIGRATING}, {@link #PREREQUISITES_NOT_MET} (the setting was fixed), →
 * {@link #COMPLETED} (nothing left to set), → {@link #SIDECAR} / {@link #ROLLING_BACK} (intent sidecar).</li>
 * <li>{@link #PREREQUISITES_NOT_MET} → {@link #MIGRATING} (ztunnel ready), → {@link #REFUSED}, →
 * {@link #COMPLETED} (nothing left to set), → {@link #SIDECAR} / {@link #ROLLING_BACK} (intent sidecar).</li>
 * <li>{@link #MIGRATING} → {@link #MIGRATING} (the component in progress is verified: the next one is set to
 * ambient), → {@link #COMPLETED} (every component verified on ambient), → {@link #STALLED} (the component in
 * progress is not verified within the stall timeout), → {@link #REFUSED} / {@link #PREREQUISITES_NOT_MET} (found
 * before the next component is set), → {@link #ROLLING_BACK} (intent sidecar), → {@link #SIDECAR} (intent sidecar
 * and no component on ambient yet).</li>
 * <li>{@link #STALLED} → {@link #MIGRATING} / {@link #COMPLETED} (the component recovered, going forward), →
 * {@link #REFUSED} / {@link #PREREQUISITES_NOT_MET} (it recovered going forward, found before the next component is
 * set), → {@link #ROLLING_BACK} / {@link #SIDECAR} (it recovered going back, or the intent turned to sidecar), →
 * {@link #MIGRATING} (the intent turned to ambient while stalled going back; or, as from {@link #ROLLING_BACK}, →
 * {@link #REFUSED} / {@link #PREREQUISITES_NOT_MET} / {@link #COMPLETED}).</li>
 * <li>{@link #COMPLETED} → {@link #MIGRATING} (a component not on ambient appears, e.g. a new one), →
 * {@link #REFUSED} / {@link #PREREQUISITES_NOT_MET} (such a component appears while a setting is refused or ztunnel
 * is not ready), → {@link #ROLLING_BACK} (intent sidecar), → {@link #SIDECAR} (intent sidecar and no component on
 * ambient any more).</li>
 * <li>{@link #ROLLING_BACK} → {@link #ROLLING_BACK} (the component in progress is verified on sidecar: the previous
 * one in the order is set back), → {@link #SIDECAR} (none left on ambient), → {@link #STALLED}, →
 * {@link #MIGRATING} (intent ambient again), → {@link #REFUSED} / {@link #PREREQUISITES_NOT_MET} (intent ambient
 * again, found before a component is set), → {@link #COMPLETED} (intent ambient again, every component still
 * verified on ambient).</li>
 * </ul>
 *
 * <p>Besides, a phase stays as it is while nothing changes: {@link #SIDECAR} with intent sidecar, {@link #COMPLETED}
 * with intent ambient (a component that is merely not ready later does not restart the migration), a warning phase
 * until what it names changes, and {@link #MIGRATING} / {@link #ROLLING_BACK} while the component in progress is not
 * verified yet.
 */
public enum MeshPhase {
    SIDECAR("Sidecar"),
    REFUSED("Refused"),
    PREREQUISITES_NOT_MET("PrerequisitesNotMet"),
    MIGRATING("Migrating"),
    STALLED("Stalled"),
    COMPLETED("Completed"),
    ROLLING_BACK("RollingBack");

    private final String value;

    MeshPhase(String value) {
        this.value = value;
    }

    /** The name in the status and in metrics labels. */
    public String value() {
        return value;
    }

    public static MeshPhase of(String value) {
        for (MeshPhase p : values()) {
            if (p.value.equals(value)) {
                return p;
            }
        }
        return SIDECAR;
    }

    /** A warning phase: the migration does not move on its own until something changes. */
    public boolean isWarning() {
        return this == REFUSED || this == PREREQUISITES_NOT_MET || this == STALLED;
    }
}
