package io.pulsarmesh.operator.api.coordinator.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
    @PreserveUnknownFields
    @JsonPropertyDescription("Toolset workload; accepted, not acted on yet.")
    private Map<String, Object> toolSet;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private Map<String, Object> detector;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private Map<String, Object> authentication;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private Map<String, Object> auditLog;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private Map<String, Object> fullMetrics;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private Map<String, Object> kafkaConnect;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private Map<String, Object> pfsql;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private List<Map<String, Object>> troubleshootings;

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

    public Map<String, Object> getToolSet() {
        return toolSet;
    }

    public void setToolSet(Map<String, Object> toolSet) {
        this.toolSet = toolSet;
    }

    public Map<String, Object> getDetector() {
        return detector;
    }

    public void setDetector(Map<String, Object> detector) {
        this.detector = detector;
    }

    public Map<String, Object> getAuthentication() {
        return authentication;
    }

    public void setAuthentication(Map<String, Object> authentication) {
        this.authentication = authentication;
    }

    public Map<String, Object> getAuditLog() {
        return auditLog;
    }

    public void setAuditLog(Map<String, Object> auditLog) {
        this.auditLog = auditLog;
    }

    public Map<String, Object> getFullMetrics() {
        return fullMetrics;
    }

    public void setFullMetrics(Map<String, Object> fullMetrics) {
        this.fullMetrics = fullMetrics;
    }

    public Map<String, Object> getKafkaConnect() {
        return kafkaConnect;
    }

    public void setKafkaConnect(Map<String, Object> kafkaConnect) {
        this.kafkaConnect = kafkaConnect;
    }

    public Map<String, Object> getPfsql() {
        return pfsql;
    }

    public void setPfsql(Map<String, Object> pfsql) {
        this.pfsql = pfsql;
    }

    public List<Map<String, Object>> getTroubleshootings() {
        return troubleshootings;
    }

    public void setTroubleshootings(List<Map<String, Object>> troubleshootings) {
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
