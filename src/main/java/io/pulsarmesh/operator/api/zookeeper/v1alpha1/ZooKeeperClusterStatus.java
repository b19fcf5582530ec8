package io.pulsarmesh.operator.api.zookeeper.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;

/** Observed state of a ZooKeeper ensemble. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZooKeeperClusterStatus extends ComponentStatus {
    @JsonPropertyDescription("Connect string for clients inside the cluster (host:2181).")
    private String internalServiceEndpoint;

    public String getInternalServiceEndpoint() {
        return internalServiceEndpoint;
    }

    public void setInternalServiceEndpoint(String internalServiceEndpoint) {
        this.internalServiceEndpoint = internalServiceEndpoint;
    }

    @Override
    protected boolean extraEquals(ComponentStatus other) {
        return Objects.equals(internalServiceEndpoint, ((ZooKeeperClusterStatus) other).internalServiceEndpoint);
    }
}
