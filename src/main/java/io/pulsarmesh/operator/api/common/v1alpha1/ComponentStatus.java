package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** Status shared by the four workload kinds; it backs the scale subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentStatus {
    @JsonPropertyDescription("metadata.generation last acted on by the operator.")
    private Long observedGeneration;
    @JsonPropertyDescription("Standard conditions; Ready tells whether the component serves.")
    private List<Condition> conditions = new ArrayList<>();
    @StatusReplicas
    @JsonPropertyDescription("Pods that exist for this component.")
    private Integer replicas;
    @JsonPropertyDescription("Pods that are ready.")
    private Integer readyReplicas;
    @JsonPropertyDescription("Pods that run the current pod template.")
    private Integer updatedReplicas;
    @LabelSelector
    @JsonPropertyDescription("Label selector of the component's pods, serialized (k=v,k2=v2), for the scale subresource.")
    private String labelSelector;
    @JsonPropertyDescription("Pods in the mesh, in the data plane the component asks for (with Istio off: pods that "
            + "are in a data plane all the same).")
    private Integer onMeshReplicas;
    @JsonPropertyDescription("The data plane the component's pods are to run in: sidecar, ambient, or none.")
    private String dataplaneMode;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getUpdatedReplicas() {
        return updatedReplicas;
    }

    public void setUpdatedReplicas(Integer updatedReplicas) {
        this.updatedReplicas = updatedReplicas;
    }

    public Integer getOnMeshReplicas() {
        return onMeshReplicas;
    }

    public void setOnMeshReplicas(Integer onMeshReplicas) {
        this.onMeshReplicas = onMeshReplicas;
    }

    public String getDataplaneMode() {
        return dataplaneMode;
    }

    public void setDataplaneMode(String dataplaneMode) {
        this.dataplaneMode = dataplaneMode;
    }

    public String getLabelSelector() {
        return labelSelector;
    }

    public void setLabelSelector(String labelSelector) {
        this.labelSelector = labelSelector;
    }

    @Override
    public boolean equals(Object o) {
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        ComponentStatus s = (ComponentStatus) o;
        return Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(conditions, s.conditions)
                && Objects.equals(replicas, s.replicas) && Objects.equals(readyReplicas, s.readyReplicas)
                && Objects.equals(updatedReplicas, s.updatedReplicas) && Objects.equals(labelSelector, s.labelSelector)
                && Objects.equals(onMeshReplicas, s.onMeshReplicas) && Objects.equals(dataplaneMode, s.dataplaneMode)
                && extraEquals(s);
    }

    /** Subclasses compare their own fields here. */
    protected boolean extraEquals(ComponentStatus other) {
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, replicas, readyReplicas, updatedReplicas, labelSelector,
                onMeshReplicas, dataplaneMode);
    }
}
