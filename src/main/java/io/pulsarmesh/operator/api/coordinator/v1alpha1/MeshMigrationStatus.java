package io.pulsarmesh.operator.api.coordinator.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The sidecar→ambient migration (or its rollback) as recorded in the coordinator's status: the state machine's
 * memory, so an operator restarted mid-way resumes where it was.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MeshMigrationStatus {
    @JsonPropertyDescription("Sidecar, Refused, PrerequisitesNotMet, Migrating, Stalled, Completed or RollingBack.")
    private String phase;
    @JsonPropertyDescription("The data plane the cluster moves to: sidecar or ambient.")
    private String target;
    @JsonPropertyDescription("The component in progress, Kind/name.")
    private String component;
    @JsonPropertyDescription("When the current migration or rollback started.")
    private String startTime;
    @JsonPropertyDescription("When the phase last changed.")
    private String lastTransitionTime;
    @JsonPropertyDescription("When the component in progress was switched.")
    private String componentSince;
    @JsonPropertyDescription("CamelCase reason of the phase.")
    private String reason;
    @JsonPropertyDescription("What the phase means now.")
    private String message;
    @JsonPropertyDescription("Pods that keep a stalled component from being verified.")
    private List<String> podsAtFault;
    @JsonPropertyDescription("Every component in the mesh, in migration order, with its data plane; with its pod counts while a "
            + "migration or rollback is under way (the metrics show them at all times).")
    private List<ComponentProgress> components = new ArrayList<>();

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getComponent() {
        return component;
    }

    public void setComponent(String component) {
        this.component = component;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public String getComponentSince() {
        return componentSince;
    }

    public void setComponentSince(String componentSince) {
        this.componentSince = componentSince;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<String> getPodsAtFault() {
        return podsAtFault;
    }

    public void setPodsAtFault(List<String> podsAtFault) {
        this.podsAtFault = podsAtFault;
    }

    public List<ComponentProgress> getComponents() {
        return components;
    }

    public void setComponents(List<ComponentProgress> components) {
        this.components = components;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeshMigrationStatus s && Objects.equals(phase, s.phase) && Objects.equals(target, s.target)
                && Objects.equals(component, s.component) && Objects.equals(startTime, s.startTime)
                && Objects.equals(lastTransitionTime, s.lastTransitionTime)
                && Objects.equals(componentSince, s.componentSince) && Objects.equals(reason, s.reason)
                && Objects.equals(message, s.message) && Objects.equals(podsAtFault, s.podsAtFault)
                && Objects.equals(components, s.components);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, target, component, startTime, lastTransitionTime, componentSince, reason, message,
                podsAtFault, components);
    }

    /** One component's progress towards its data plane. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ComponentProgress {
        @JsonPropertyDescription("Custom resource kind.")
        private String kind;
        @JsonPropertyDescription("Custom resource name.")
        private String name;
        @JsonPropertyDescription("The data plane set on it: sidecar or ambient.")
        private String dataplaneMode;
        @JsonPropertyDescription("Desired pods.")
        private Integer desired;
        @JsonPropertyDescription("Pods running the current template.")
        private Integer updated;
        @JsonPropertyDescription("Ready pods.")
        private Integer ready;
        @JsonPropertyDescription("Pods running in the data plane set on the component.")
        private Integer enrolled;

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

        public String getDataplaneMode() {
            return dataplaneMode;
        }

        public void setDataplaneMode(String dataplaneMode) {
            this.dataplaneMode = dataplaneMode;
        }

        public Integer getDesired() {
            return desired;
        }

        public void setDesired(Integer desired) {
            this.desired = desired;
        }

        public Integer getUpdated() {
            return updated;
        }

        public void setUpdated(Integer updated) {
            this.updated = updated;
        }

        public Integer getReady() {
            return ready;
        }

        public void setReady(Integer ready) {
            this.ready = ready;
        }

        public Integer getEnrolled() {
            return enrolled;
        }

        public void setEnrolled(Integer enrolled) {
            this.enrolled = enrolled;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ComponentProgress p && Objects.equals(kind, p.kind) && Objects.equals(name, p.name)
                    && Objects.equals(dataplaneMode, p.dataplaneMode) && Objects.equals(desired, p.desired)
                    && Objects.equals(updated, p.updated) && Objects.equals(ready, p.ready)
                    && Objects.equals(enrolled, p.enrolled);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, name, dataplaneMode, desired, updated, ready, enrolled);
        }
    }
}
