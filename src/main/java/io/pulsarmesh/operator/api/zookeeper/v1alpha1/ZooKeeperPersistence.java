package io.pulsarmesh.operator.api.zookeeper.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.ReclaimPolicy;

/** ZooKeeper volumes. Without them ZooKeeper keeps its data in an emptyDir (lost with the pod: for tests only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZooKeeperPersistence {
    @JsonPropertyDescription("Claim for the snapshot directory.")
    private PersistentVolumeClaimSpec data;
    @JsonPropertyDescription("Claim for the transaction log; without it the log shares the data volume.")
    private PersistentVolumeClaimSpec dataLog;
    @Default("Retain")
    @Pattern(ReclaimPolicy.PATTERN)
    @JsonPropertyDescription("Retain (default): volumes outlive the custom resource. Delete: they are deleted with it.")
    private String reclaimPolicy;

    public PersistentVolumeClaimSpec getData() {
        return data;
    }

    public void setData(PersistentVolumeClaimSpec data) {
        this.data = data;
    }

    public PersistentVolumeClaimSpec getDataLog() {
        return dataLog;
    }

    public void setDataLog(PersistentVolumeClaimSpec dataLog) {
        this.dataLog = dataLog;
    }

    public String getReclaimPolicy() {
        return reclaimPolicy;
    }

    public void setReclaimPolicy(String reclaimPolicy) {
        this.reclaimPolicy = reclaimPolicy;
    }
}
