package io.pulsarmesh.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * What the operator observes of one workload, reduced to the numbers status needs.
 *
 * @param desired replicas the workload should run
 * @param current pods that exist
 * @param ready pods that are ready
 * @param updated pods that run the current template
 * @param settled the workload controller has seen the latest spec and finished rolling it out
 */
public record WorkloadState(int desired, int current, int ready, int updated, boolean settled) {
    public static final WorkloadState ABSENT = new WorkloadState(0, 0, 0, 0, false);

    /** Ready when every desired pod exists, is ready and runs the current template. */
    public boolean isReady() {
        return settled && ready == desired && updated == desired && current == desired;
    }

    /** Every desired pod exists and runs the current template, ready or not: the roll-out is over. */
    public boolean rolledOut() {
        return settled && updated == desired && current == desired;
    }

    public static WorkloadState of(StatefulSet sts) {
        if (sts == null) {
            return ABSENT;
        }
        int desired = sts.getSpec().getReplicas() != null ? sts.getSpec().getReplicas() : 1;
        var st = sts.getStatus();
        if (st == null) {
            return new WorkloadState(desired, 0, 0, 0, false);
        }
        boolean observed = observed(sts.getMetadata().getGeneration(), st.getObservedGeneration());
        boolean revisionsMatch = st.getUpdateRevision() == null || st.getUpdateRevision().equals(st.getCurrentRevision());
        return new WorkloadState(desired, n(st.getReplicas()), n(st.getReadyReplicas()), n(st.getUpdatedReplicas()),
                observed && revisionsMatch);
    }

    public static WorkloadState of(Deployment d) {
        if (d == null) {
            return ABSENT;
        }
        int desired = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : 1;
        var st = d.getStatus();
        if (st == null) {
            return new WorkloadState(desired, 0, 0, 0, false);
        }
        boolean observed = observed(d.getMetadata().getGeneration(), st.getObservedGeneration());
        return new WorkloadState(desired, n(st.getReplicas()), n(st.getReadyReplicas()), n(st.getUpdatedReplicas()),
                observed);
    }

    /** Two workloads seen as one (bookies plus auto-recovery). */
    public WorkloadState plus(WorkloadState other) {
        return new WorkloadState(desired + other.desired, current + other.current, ready + other.ready,
                updated + other.updated, settled && other.settled);
    }

    /** The controller has seen the latest spec (servers without generations count as seen). */
    static boolean observed(Long generation, Long observedGeneration) {
        return generation == null || (observedGeneration != null && observedGeneration >= generation);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
