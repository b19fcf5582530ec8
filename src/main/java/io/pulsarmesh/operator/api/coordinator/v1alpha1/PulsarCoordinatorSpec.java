package io.pulsarmesh.operator.api.coordinator.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;

/** Desired state of a coordinator. Blocks sn-operator has and this operator does not act on are kept as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PulsarCoordinatorSpec {
    @JsonPropertyDescription("Default image of the components.")
    private String image;
    @JsonPropertyDescription("Istio defaults of the components (a component's own value wins).")
    private CoordinatorIstio istio;
    @JsonPropertyDescription("Placement of the components.")
    private Placement placement;
    @JsonPropertyDescription("Pod defaults of the components.")
    private CoordinatorPod pod;
    @JsonPropertyDescription("A toolset: pods with Pulsar's clients configured for the cluster, in its mesh.")
    private ToolSet toolSet;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private JsonNode detector;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private JsonNode authentication;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private JsonNode auditLog;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private JsonNode fullMetrics;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private JsonNode kafkaConnect;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private JsonNode pfsql;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private List<JsonNode> troubleshootings;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public CoordinatorIstio getIstio() {
        return istio;
    }

    public void setIstio(CoordinatorIstio istio) {
        this.istio = istio;
    }

    public Placement getPlacement() {
        return placement;
    }

    public void setPlacement(Placement placement) {
        this.placement = placement;
    }

    public CoordinatorPod getPod() {
        return pod;
    }

    public void setPod(CoordinatorPod pod) {
        this.pod = pod;
    }

    public ToolSet getToolSet() {
        return toolSet;
    }

    public void setToolSet(ToolSet toolSet) {
        this.toolSet = toolSet;
    }

    public JsonNode getDetector() {
        return detector;
    }

    public void setDetector(JsonNode detector) {
        this.detector = detector;
    }

    public JsonNode getAuthentication() {
        return authentication;
    }

    public void setAuthentication(JsonNode authentication) {
        this.authentication = authentication;
    }

    public JsonNode getAuditLog() {
        return auditLog;
    }

    public void setAuditLog(JsonNode auditLog) {
        this.auditLog = auditLog;
    }

    public JsonNode getFullMetrics() {
        return fullMetrics;
    }

    public void setFullMetrics(JsonNode fullMetrics) {
        this.fullMetrics = fullMetrics;
    }

    public JsonNode getKafkaConnect() {
        return kafkaConnect;
    }

    public void setKafkaConnect(JsonNode kafkaConnect) {
        this.kafkaConnect = kafkaConnect;
    }

    public JsonNode getPfsql() {
        return pfsql;
    }

    public void setPfsql(JsonNode pfsql) {
        this.pfsql = pfsql;
    }

    public List<JsonNode> getTroubleshootings() {
        return troubleshootings;
    }

    public void setTroubleshootings(List<JsonNode> troubleshootings) {
        this.troubleshootings = troubleshootings;
    }

    /** Placement of the components. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Placement {
        @Pattern("^(Zonal|Regional)$")
        @JsonPropertyDescription("Zonal or Regional; accepted, not acted on yet.")
        private String availabilityPolicy;

        public String getAvailabilityPolicy() {
            return availabilityPolicy;
        }

        public void setAvailabilityPolicy(String availabilityPolicy) {
            this.availabilityPolicy = availabilityPolicy;
        }
    }

    /** Pod defaults of the components. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CoordinatorPod {
        @JsonPropertyDescription("Secrets used to pull images.")
        private List<LocalObjectReference> imagePullSecrets;
        @JsonPropertyDescription("Labels added to the pods.")
        private Map<String, String> labels;
        @JsonPropertyDescription("Node labels the pods must run on.")
        private Map<String, String> nodeSelector;
        @JsonPropertyDescription("Tolerations of the pods.")
        private List<Toleration> tolerations;

        public List<LocalObjectReference> getImagePullSecrets() {
            return imagePullSecrets;
        }

        public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
            this.imagePullSecrets = imagePullSecrets;
        }

        public Map<String, String> getLabels() {
            return labels;
        }

        public void setLabels(Map<String, String> labels) {
            this.labels = labels;
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
    }
}
