package io.pulsarmesh.operator.api.zookeeper.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;

/** Desired state of a ZooKeeper ensemble. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.replicas) || self.replicas % 2 == 1",
        message = "ZooKeeper replicas must be odd (1, 3, 5, 7, 9): an even ensemble tolerates no more failures and risks split votes")
public class ZooKeeperClusterSpec extends ComponentSpec {
    @SpecReplicas
    @Default("3")
    @Min(1)
    @Max(9)
    @JsonPropertyDescription("Servers in the ensemble; odd so that a quorum survives the loss of a minority.")
    private Integer replicas;
    @JsonPropertyDescription("ZooKeeper configuration.")
    private ZooKeeperConfig config;
    @JsonPropertyDescription("Deprecated alias of config.custom.")
    private Map<String, String> conf;
    @JsonPropertyDescription("Volumes for data and the transaction log.")
    private ZooKeeperPersistence persistence;
    @JsonPropertyDescription("Pod scheduling and runtime settings.")
    private PodPolicy pod;
    @PreserveUnknownFields
    @JsonPropertyDescription("External access (sn-operator compatible); accepted, not acted on yet.")
    private JsonNode networking;
    @PreserveUnknownFields
    @JsonPropertyDescription("Advanced options (sn-operator compatible); accepted, not acted on yet.")
    private JsonNode advancedOptions;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ZooKeeperConfig getConfig() {
        return config;
    }

    public void setConfig(ZooKeeperConfig config) {
        this.config = config;
    }

    public Map<String, String> getConf() {
        return conf;
    }

    public void setConf(Map<String, String> conf) {
        this.conf = conf;
    }

    public ZooKeeperPersistence getPersistence() {
        return persistence;
    }

    public void setPersistence(ZooKeeperPersistence persistence) {
        this.persistence = persistence;
    }

    public PodPolicy getPod() {
        return pod;
    }

    public void setPod(PodPolicy pod) {
        this.pod = pod;
    }

    public JsonNode getNetworking() {
        return networking;
    }

    public void setNetworking(JsonNode networking) {
        this.networking = networking;
    }

    public JsonNode getAdvancedOptions() {
        return advancedOptions;
    }

    public void setAdvancedOptions(JsonNode advancedOptions) {
        this.advancedOptions = advancedOptions;
    }
}
