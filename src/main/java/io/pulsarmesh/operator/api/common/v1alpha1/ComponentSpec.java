package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Fields every workload kind has. Unknown fields are ignored, so newer sn-operator manifests still reconcile. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class ComponentSpec {
    @Size(max = 512)
    @JsonPropertyDescription("Container image, for example apachepulsar/pulsar:4.0.5 or streamnative/private-cloud:4.0.5.2.")
    private String image;
    @Pattern("^(Always|IfNotPresent|Never)$")
    @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never.")
    private String imagePullPolicy;
    @JsonPropertyDescription("Labels added to every object the operator creates for this component.")
    private Map<String, String> labels;
    @JsonPropertyDescription("Istio service mesh settings.")
    private IstioSpec istio;
    @JsonPropertyDescription("Logging.")
    private LogConfig logConfig;
    @PreserveUnknownFields
    @JsonPropertyDescription("Patches of generated objects (sn-operator compatible); accepted, not acted on yet.")
    private List<JsonNode> customization;
    @PreserveUnknownFields
    @JsonPropertyDescription("Per-object overrides (sn-operator compatible); accepted, not acted on yet.")
    private JsonNode apiObjects;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(String imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public IstioSpec getIstio() {
        return istio;
    }

    public void setIstio(IstioSpec istio) {
        this.istio = istio;
    }

    public LogConfig getLogConfig() {
        return logConfig;
    }

    public void setLogConfig(LogConfig logConfig) {
        this.logConfig = logConfig;
    }

    public List<JsonNode> getCustomization() {
        return customization;
    }

    public void setCustomization(List<JsonNode> customization) {
        this.customization = customization;
    }

    public JsonNode getApiObjects() {
        return apiObjects;
    }

    public void setApiObjects(JsonNode apiObjects) {
        this.apiObjects = apiObjects;
    }

    /** Desired number of pods. */
    public abstract Integer getReplicas();

    public abstract void setReplicas(Integer replicas);

    /** Pod policy of the main workload. */
    public abstract PodPolicy getPod();
}
