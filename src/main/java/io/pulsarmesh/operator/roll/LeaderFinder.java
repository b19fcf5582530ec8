package io.pulsarmesh.operator.roll;

import java.util.List;

/** Finds which server of a ZooKeeper ensemble leads. */
public interface LeaderFinder {
    /**
     * @param namespace the ensemble's namespace
     * @param headlessService the headless Service that names each server ({@code <pod>.<service>.<namespace>.svc})
     * @param pods the servers to ask, in order
     * @return the leader, or why it was not found
     */
    RollPlanner.Leader find(String namespace, String headlessService, List<String> pods);
}
