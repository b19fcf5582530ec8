package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;

/** How a component's pods are scheduled and run; shared by ZooKeeper, BookKeeper, broker and proxy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodPolicy {
    @JsonPropertyDescription("Labels added to the pods (the operator's own selector labels always win).")
    private Map<String, String> labels;
    @JsonPropertyDescription("Annotations added to the pods.")
    private Map<String, String> annotations;
    @JsonPropertyDescription("CPU and memory requests and limits of the main container.")
    private ResourceRequirements resources;
    @JsonPropertyDescription("Node labels the pods must run on.")
    private Map<String, String> nodeSelector;
    @JsonPropertyDescription("Tolerations of the pods.")
    private List<Toleration> tolerations;
    @JsonPropertyDescription("Affinity of the pods; without it the operator spreads pods across nodes (preferred anti-affinity).")
    private Affinity affinity;
    @JsonPropertyDescription("Topology spread constraints of the pods.")
    private List<TopologySpreadConstraint> topologySpreadConstraints;
    @JsonPropertyDescription("Pod security context; without it pods run as non-root with the image's user and fsGroup 0 is not forced.")
    private PodSecurityContext securityContext;
    @JsonPropertyDescription("Service account the pods run as; without it the namespace's default.")
    private String serviceAccountName;
    @JsonPropertyDescription("Secrets used to pull the image.")
    private List<LocalObjectReference> imagePullSecrets;
    @Min(0)
    @JsonPropertyDescription("Seconds a pod gets to stop gracefully.")
    private Long terminationGracePeriodSeconds;
    @Min(0)
    @JsonPropertyDescription("Seconds a new pod must be ready before it counts as available.")
    private Integer minReadySeconds;
    @JsonPropertyDescription("Init containers added to the pods. They must not need the network (it may not be ready in a mesh).")
    private List<Container> initContainers;
    @JsonPropertyDescription("Extra containers added to the pods.")
    private List<Container> sidecars;
    @JsonPropertyDescription("Extra volumes added to the pods.")
    private List<Volume> volumes;
    @JsonPropertyDescription("Update strategy; accepted for compatibility.")
    private UpdateStrategy updateStrategy;
    @JsonPropertyDescription("Debug mode; accepted for compatibility.")
    private Boolean debug;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
        return topologySpreadConstraints;
    }

    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
        this.topologySpreadConstraints = topologySpreadConstraints;
    }

    public PodSecurityContext getSecurityContext() {
        return securityContext;
    }

    public void setSecurityContext(PodSecurityContext securityContext) {
        this.securityContext = securityContext;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public Long getTerminationGracePeriodSeconds() {
        return terminationGracePeriodSeconds;
    }

    public void setTerminationGracePeriodSeconds(Long terminationGracePeriodSeconds) {
        this.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
    }

    public Integer getMinReadySeconds() {
        return minReadySeconds;
    }

    public void setMinReadySeconds(Integer minReadySeconds) {
        this.minReadySeconds = minReadySeconds;
    }

    public List<Container> getInitContainers() {
        return initContainers;
    }

    public void setInitContainers(List<Container> initContainers) {
        this.initContainers = initContainers;
    }

    public List<Container> getSidecars() {
        return sidecars;
    }

    public void setSidecars(List<Container> sidecars) {
        this.sidecars = sidecars;
    }

    public List<Volume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<Volume> volumes) {
        this.volumes = volumes;
    }

    public UpdateStrategy getUpdateStrategy() {
        return updateStrategy;
    }

    public void setUpdateStrategy(UpdateStrategy updateStrategy) {
        this.updateStrategy = updateStrategy;
    }

    public Boolean getDebug() {
        return debug;
    }

    public void setDebug(Boolean debug) {
        this.debug = debug;
    }
}
