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

/** Desired state of the proxies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PulsarProxySpec extends ComponentSpec {
    @SpecReplicas
    @Default("3")
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Proxies.")
    private Integer replicas;
    @Size(max = 253)
    @JsonPropertyDescription("Broker Service the proxy forwards to, for example private-cloud-broker (a Service name or host).")
    private String brokerAddress;
    @Size(max = 1024)
    @JsonPropertyDescription("ZooKeeper connect string of the configuration store; accepted, the proxy discovers brokers through brokerAddress.")
    private String configurationStoreServers;
    @Size(max = 253)
    @JsonPropertyDescription("Functions worker host; default: brokerAddress.")
    private String functionsWorkerAddress;
    @JsonPropertyDescription("Serve WebSocket.")
    private Boolean webSocketServiceEnabled;
    @JsonPropertyDescription("DNS names clients use for the proxy.")
    private List<String> dnsNames;
    @JsonPropertyDescription("Secret with the proxy's TLS certificate.")
    private String certSecretName;
    @PreserveUnknownFields
    @JsonPropertyDescription("cert-manager issuer; accepted, not acted on yet.")
    private JsonNode issuerRef;
    @JsonPropertyDescription("Proxy configuration.")
    private ProxyConfig config;
    @JsonPropertyDescription("Pod scheduling and runtime settings.")
    private ServicePodPolicy pod;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getBrokerAddress() {
        return brokerAddress;
    }

    public void setBrokerAddress(String brokerAddress) {
        this.brokerAddress = brokerAddress;
    }

    public String getConfigurationStoreServers() {
        return configurationStoreServers;
    }

    public void setConfigurationStoreServers(String configurationStoreServers) {
        this.configurationStoreServers = configurationStoreServers;
    }

    public String getFunctionsWorkerAddress() {
        return functionsWorkerAddress;
    }

    public void setFunctionsWorkerAddress(String functionsWorkerAddress) {
        this.functionsWorkerAddress = functionsWorkerAddress;
    }

    public Boolean getWebSocketServiceEnabled() {
        return webSocketServiceEnabled;
    }

    public void setWebSocketServiceEnabled(Boolean webSocketServiceEnabled) {
        this.webSocketServiceEnabled = webSocketServiceEnabled;
    }

    public List<String> getDnsNames() {
        return dnsNames;
    }

    public void setDnsNames(List<String> dnsNames) {
        this.dnsNames = dnsNames;
    }

    public String getCertSecretName() {
        return certSecretName;
    }

    public void setCertSecretName(String certSecretName) {
        this.certSecretName = certSecretName;
    }

    public JsonNode getIssuerRef() {
        return issuerRef;
    }

    public void setIssuerRef(JsonNode issuerRef) {
        this.issuerRef = issuerRef;
    }

    public ProxyConfig getConfig() {
        return config;
    }

    public void setConfig(ProxyConfig config) {
        this.config = config;
    }

    public ServicePodPolicy getPod() {
        return pod;
    }

    public void setPod(ServicePodPolicy pod) {
        this.pod = pod;
    }
}
