package io.pulsarmesh.operator.api.bookkeeper.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;

/** Observed state of a BookKeeper cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BookKeeperClusterStatus extends ComponentStatus {
    @JsonPropertyDescription("Image the bookies run.")
    private String currentVersion;
    @JsonPropertyDescription("Auto-recovery workers that are ready.")
    private Integer autoRecoveryReadyReplicas;

    public String getCurrentVersion() {
        return currentVersion;
    }

    public void setCurrentVersion(String currentVersion) {
        this.currentVersion = currentVersion;
    }

    public Integer getAutoRecoveryReadyReplicas() {
        return autoRecoveryReadyReplicas;
    }

    public void setAutoRecoveryReadyReplicas(Integer autoRecoveryReadyReplicas) {
        this.autoRecoveryReadyReplicas = autoRecoveryReadyReplicas;
    }

    @Override
    protected boolean extraEquals(ComponentStatus other) {
        BookKeeperClusterStatus o = (BookKeeperClusterStatus) other;
        return Objects.equals(currentVersion, o.currentVersion)
                && Objects.equals(autoRecoveryReadyReplicas, o.autoRecoveryReadyReplicas);
    }
}
