package io.pulsarmesh.operator.api.coordinator.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;

/** Observed state of the cluster as a whole. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PulsarCoordinatorStatus {
    @JsonPropertyDescription("metadata.generation last acted on.")
    private Long observedGeneration;
    @JsonPropertyDescription("Standard conditions; Ready is True when every component is ready.")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Ready components out of all, for example 5/5.")
    private String readyComponents;
    @JsonPropertyDescription("The components that carry this coordinator's label.")
    private List<ComponentSummary> components = new ArrayList<>();
    @JsonPropertyDescription("The sidecar to ambient migration and its rollback.")
    private MeshMigrationStatus meshMigration;
    @JsonPropertyDescription("The toolset (spec.toolSet), while it is enabled.")
    private ToolSetStatus toolSet;

    public ToolSetStatus getToolSet() {
        return toolSet;
    }

    public void setToolSet(ToolSetStatus toolSet) {
        this.toolSet = toolSet;
    }

    /** The toolset's workload and where its pods are in the mesh. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ToolSetStatus {
        @JsonPropertyDescription("Its Deployment; kubectl exec -it deploy/<name> -- bin/pulsar-admin ...")
        private String deployment;
        @JsonPropertyDescription("The brokers its clients are configured for (PulsarBroker name), if any.")
        private String broker;
        @JsonPropertyDescription("Desired pods.")
        private Integer replicas;
        @JsonPropertyDescription("Ready pods.")
        private Integer readyReplicas;
        @JsonPropertyDescription("Pods in the mesh, in its data plane.")
        private Integer onMeshReplicas;
        @JsonPropertyDescription("Its data plane: sidecar, ambient, or none (the brokers').")
        private String dataplaneMode;
        @JsonPropertyDescription("Why there is no toolset although it is enabled, if so.")
        private String message;

        public String getDeployment() {
            return deployment;
        }

        public void setDeployment(String deployment) {
            this.deployment = deployment;
        }

        public String getBroker() {
            return broker;
        }

        public void setBroker(String broker) {
            this.broker = broker;
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

        public String getMessage() {
            return message;
        }

        public void setMessage(String message) {
            this.message = message;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ToolSetStatus t && Objects.equals(deployment, t.deployment)
                    && Objects.equals(broker, t.broker) && Objects.equals(replicas, t.replicas)
                    && Objects.equals(readyReplicas, t.readyReplicas) && Objects.equals(onMeshReplicas, t.onMeshReplicas)
                    && Objects.equals(dataplaneMode, t.dataplaneMode) && Objects.equals(message, t.message);
        }

        @Override
        public int hashCode() {
            return Objects.hash(deployment, broker, replicas, readyReplicas);
        }
    }

    public MeshMigrationStatus getMeshMigration() {
        return meshMigration;
    }

    public void setMeshMigration(MeshMigrationStatus meshMigration) {
        this.meshMigration = meshMigration;
    }

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

    public String getReadyComponents() {
        return readyComponents;
    }

    public void setReadyComponents(String readyComponents) {
        this.readyComponents = readyComponents;
    }

    public List<ComponentSummary> getComponents() {
        return components;
    }

    public void setComponents(List<ComponentSummary> components) {
        this.components = components;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PulsarCoordinatorStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions) && Objects.equals(readyComponents, s.readyComponents)
                && Objects.equals(components, s.components) && Objects.equals(meshMigration, s.meshMigration)
                && Objects.equals(toolSet, s.toolSet);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, readyComponents, components, meshMigration);
    }

    /** One component as the coordinator sees it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ComponentSummary {
        @JsonPropertyDescription("Kind of the component.")
        private String kind;
        @JsonPropertyDescription("Name of the component.")
        private String name;
        @JsonPropertyDescription("Status of its Ready condition.")
        private String ready;
        @JsonPropertyDescription("Reason of its Ready condition.")
        private String reason;
        @JsonPropertyDescription("Desired pods.")
        private Integer replicas;
        @JsonPropertyDescription("Ready pods.")
        private Integer readyReplicas;
        @JsonPropertyDescription("Pods in the mesh, in the component's data plane.")
        private Integer onMeshReplicas;
        @JsonPropertyDescription("The component's data plane: sidecar, ambient, or none.")
        private String dataplaneMode;

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

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getReady() {
            return ready;
        }

        public void setReady(String ready) {
            this.ready = ready;
        }

        public String getReason() {
            return reason;
        }

        public void setReason(String reason) {
            this.reason = reason;
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

        @Override
        public boolean equals(Object o) {
            return o instanceof ComponentSummary c && Objects.equals(kind, c.kind) && Objects.equals(name, c.name)
                    && Objects.equals(ready, c.ready) && Objects.equals(reason, c.reason)
                    && Objects.equals(replicas, c.replicas) && Objects.equals(readyReplicas, c.readyReplicas)
                    && Objects.equals(onMeshReplicas, c.onMeshReplicas) && Objects.equals(dataplaneMode, c.dataplaneMode);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, name, ready, reason, replicas);
        }
    }
}
