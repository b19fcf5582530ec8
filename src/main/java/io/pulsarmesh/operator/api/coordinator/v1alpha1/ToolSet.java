package io.pulsarmesh.operator.api.coordinator.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;

/**
 * A toolset: pods with Pulsar's command-line clients configured for the cluster, in the mesh as its components are,
 * to check it from inside ({@code pulsar-admin}, {@code pulsar-client}, {@code pulsar-perf}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ToolSet {
    @JsonPropertyDescription("Run the toolset (default false).")
    private Boolean enabled;
    @JsonPropertyDescription("Image with Pulsar's clients; default the coordinator's image, else the operator's default.")
    private String image;
    @Min(0)
    @Max(10)
    @JsonPropertyDescription("Toolset pods (default 1).")
    private Integer replicas;
    @JsonPropertyDescription("Pod settings: labels, annotations, resources, scheduling, security context, service account.")
    private PodPolicy pod;
    @PreserveUnknownFields
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on (the clients use the cluster's "
            + "listeners without authentication).")
    private JsonNode clientAuth;
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private String bootstrapServer;
    @JsonPropertyDescription("Accepted for sn-operator compatibility; not acted on.")
    private Boolean isNativeKafka;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public PodPolicy getPod() {
        return pod;
    }

    public void setPod(PodPolicy pod) {
        this.pod = pod;
    }

    public JsonNode getClientAuth() {
        return clientAuth;
    }

    public void setClientAuth(JsonNode clientAuth) {
        this.clientAuth = clientAuth;
    }

    public String getBootstrapServer() {
        return bootstrapServer;
    }

    public void setBootstrapServer(String bootstrapServer) {
        this.bootstrapServer = bootstrapServer;
    }

    public Boolean getIsNativeKafka() {
        return isNativeKafka;
    }

    public void setIsNativeKafka(Boolean isNativeKafka) {
        this.isNativeKafka = isNativeKafka;
    }
}
