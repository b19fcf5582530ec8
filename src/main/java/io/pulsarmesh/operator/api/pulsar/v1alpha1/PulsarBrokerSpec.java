package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;

/** Desired state of the brokers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PulsarBrokerSpec extends ComponentSpec {
    @SpecReplicas
    @Default("3")
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Brokers.")
    private Integer replicas;
    @Size(max = 1024)
    @JsonPropertyDescription("ZooKeeper connect string of the metadata store, for example private-cloud-zk:2181.")
    private String zkServers;
    @Size(max = 1024)
    @JsonPropertyDescription("ZooKeeper connect string of the configuration store; default zkServers.")
    private String configurationStoreServers;
    @Size(max = 1024)
    @JsonPropertyDescription("Metadata store URL (for example zk:private-cloud-zk:2181); overrides zkServers.")
    private String metadataStoreUrl;
    @Size(max = 1024)
    @JsonPropertyDescription("Configuration metadata store URL; overrides configurationStoreServers.")
    private String configurationMetadataStoreUrl;
    @Size(max = 1024)
    @JsonPropertyDescription("BookKeeper metadata service URI; default zk+hierarchical://<zkServers>/ledgers.")
    private String bkMetadataServiceUri;
    @JsonPropertyDescription("The cluster metadata already exists; brokers do not try to initialise it.")
    private Boolean initialized;
    @JsonPropertyDescription("Clean-up policy (sn-operator compatible); accepted, not acted on yet.")
    private String cleanUpPolicy;
    @JsonPropertyDescription("Extra DNS names of the brokers.")
    private List<String> dnsNames;
    @JsonPropertyDescription("Broker configuration.")
    private BrokerConfig config;
    @JsonPropertyDescription("TLS of the broker's own listeners (6651, 8443).")
    private TlsSpec tls;
    @JsonPropertyDescription("Pod scheduling and runtime settings.")
    private ServicePodPolicy pod;
    @PreserveUnknownFields
    @JsonPropertyDescription("Advertised listeners (sn-operator v0.14); accepted, not acted on yet.")
    private List<JsonNode> advertisedListeners;
    @PreserveUnknownFields
    @JsonPropertyDescription("Pod Service settings; accepted, not acted on yet.")
    private JsonNode networking;
    @PreserveUnknownFields
    @JsonPropertyDescription("StatefulSet update strategy (partition, revisionHistoryLimit); accepted, not acted on yet.")
    private JsonNode updateStrategy;
    @PreserveUnknownFields
    @JsonPropertyDescription("Horizontal autoscaling; accepted, not acted on yet.")
    private JsonNode autoScalingPolicy;
    @PreserveUnknownFields
    @JsonPropertyDescription("Pod of the metadata initialisation job; accepted, not acted on yet.")
    private JsonNode initJobPod;
    @PreserveUnknownFields
    @JsonPropertyDescription("Broker interceptors; accepted, not acted on yet.")
    private List<JsonNode> interceptors;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getZkServers() {
        return zkServers;
    }

    public void setZkServers(String zkServers) {
        this.zkServers = zkServers;
    }

    public String getConfigurationStoreServers() {
        return configurationStoreServers;
    }

    public void setConfigurationStoreServers(String configurationStoreServers) {
        this.configurationStoreServers = configurationStoreServers;
    }

    public String getMetadataStoreUrl() {
        return metadataStoreUrl;
    }

    public void setMetadataStoreUrl(String metadataStoreUrl) {
        this.metadataStoreUrl = metadataStoreUrl;
    }

    public String getConfigurationMetadataStoreUrl() {
        return configurationMetadataStoreUrl;
    }

    public void setConfigurationMetadataStoreUrl(String configurationMetadataStoreUrl) {
        this.configurationMetadataStoreUrl = configurationMetadataStoreUrl;
    }

    public String getBkMetadataServiceUri() {
        return bkMetadataServiceUri;
    }

    public void setBkMetadataServiceUri(String bkMetadataServiceUri) {
        this.bkMetadataServiceUri = bkMetadataServiceUri;
    }

    public Boolean getInitialized() {
        return initialized;
    }

    public void setInitialized(Boolean initialized) {
        this.initialized = initialized;
    }

    public String getCleanUpPolicy() {
        return cleanUpPolicy;
    }

    public void setCleanUpPolicy(String cleanUpPolicy) {
        this.cleanUpPolicy = cleanUpPolicy;
    }

    public List<String> getDnsNames() {
        return dnsNames;
    }

    public void setDnsNames(List<String> dnsNames) {
        this.dnsNames = dnsNames;
    }

    public BrokerConfig getConfig() {
        return config;
    }

    public void setConfig(BrokerConfig config) {
        this.config = config;
    }

    public TlsSpec getTls() {
        return tls;
    }

    public void setTls(TlsSpec tls) {
        this.tls = tls;
    }

    public ServicePodPolicy getPod() {
        return pod;
    }

    public void setPod(ServicePodPolicy pod) {
        this.pod = pod;
    }

    public List<JsonNode> getAdvertisedListeners() {
        return advertisedListeners;
    }

    public void setAdvertisedListeners(List<JsonNode> advertisedListeners) {
        this.advertisedListeners = advertisedListeners;
    }

    public JsonNode getNetworking() {
        return networking;
    }

    public void setNetworking(JsonNode networking) {
        this.networking = networking;
    }

    public JsonNode getUpdateStrategy() {
        return updateStrategy;
    }

    public void setUpdateStrategy(JsonNode updateStrategy) {
        this.updateStrategy = updateStrategy;
    }

    public JsonNode getAutoScalingPolicy() {
        return autoScalingPolicy;
    }

    public void setAutoScalingPolicy(JsonNode autoScalingPolicy) {
        this.autoScalingPolicy = autoScalingPolicy;
    }

    public JsonNode getInitJobPod() {
        return initJobPod;
    }

    public void setInitJobPod(JsonNode initJobPod) {
        this.initJobPod = initJobPod;
    }

    public List<JsonNode> getInterceptors() {
        return interceptors;
    }

    public void setInterceptors(List<JsonNode> interceptors) {
        this.interceptors = interceptors;
    }
}
