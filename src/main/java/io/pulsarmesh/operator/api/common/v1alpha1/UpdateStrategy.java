package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Min;

/** Pod update strategy as sn-operator declares it; the operator rolls pods itself (see the README). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpdateStrategy {
    @JsonPropertyDescription("RollingUpdate or OnDelete; accepted for compatibility.")
    private String type;
    @Min(0)
    @JsonPropertyDescription("Ordinal at or above which pods are updated.")
    private Integer partition;
    @JsonPropertyDescription("UIDs of pods to delete once; accepted for compatibility.")
    private List<String> podUIDsToDelete;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public Integer getPartition() {
        return partition;
    }

    public void setPartition(Integer partition) {
        this.partition = partition;
    }

    public List<String> getPodUIDsToDelete() {
        return podUIDsToDelete;
    }

    public void setPodUIDsToDelete(List<String> podUIDsToDelete) {
        this.podUIDsToDelete = podUIDsToDelete;
    }
}
