package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** Typed proxy settings; anything else goes in custom. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProxyConfig {
    @JsonPropertyDescription("Pulsar cluster name; default: the custom resource's name.")
    private String clusterName;
    @JsonPropertyDescription("Advertise the pod IP instead of its host name.")
    private Boolean usePodIPAsAdvertisedAddress;
    @JsonPropertyDescription("TLS of the proxy's listeners.")
    private TlsSpec tls;
    @PreserveUnknownFields
    @JsonPropertyDescription("Kafka proxy; accepted, not acted on yet.")
    private JsonNode kopProxy;
    @PreserveUnknownFields
    @JsonPropertyDescription("Authentication; accepted, not acted on yet.")
    private JsonNode authentication;
    @PreserveUnknownFields
    @JsonPropertyDescription("Authorization; accepted, not acted on yet.")
    private JsonNode authorization;
    @PreserveUnknownFields
    @JsonPropertyDescription("Client authentication; accepted, not acted on yet.")
    private JsonNode clientAuth;
    @PreserveUnknownFields
    @JsonPropertyDescription("Prometheus plugin; accepted, not acted on yet.")
    private JsonNode prometheusPlugin;
    @JsonPropertyDescription("Any other proxy.conf keys. Keys the operator owns (ports, broker URLs) are refused.")
    private Map<String, String> custom;

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public Boolean getUsePodIPAsAdvertisedAddress() {
        return usePodIPAsAdvertisedAddress;
    }

    public void setUsePodIPAsAdvertisedAddress(Boolean usePodIPAsAdvertisedAddress) {
        this.usePodIPAsAdvertisedAddress = usePodIPAsAdvertisedAddress;
    }

    public TlsSpec getTls() {
        return tls;
    }

    public void setTls(TlsSpec tls) {
        this.tls = tls;
    }

    public JsonNode getKopProxy() {
        return kopProxy;
    }

    public void setKopProxy(JsonNode kopProxy) {
        this.kopProxy = kopProxy;
    }

    public JsonNode getAuthentication() {
        return authentication;
    }

    public void setAuthentication(JsonNode authentication) {
        this.authentication = authentication;
    }

    public JsonNode getAuthorization() {
        return authorization;
    }

    public void setAuthorization(JsonNode authorization) {
        this.authorization = authorization;
    }

    public JsonNode getClientAuth() {
        return clientAuth;
    }

    public void setClientAuth(JsonNode clientAuth) {
        this.clientAuth = clientAuth;
    }

    public JsonNode getPrometheusPlugin() {
        return prometheusPlugin;
    }

    public void setPrometheusPlugin(JsonNode prometheusPlugin) {
        this.prometheusPlugin = prometheusPlugin;
    }

    public Map<String, String> getCustom() {
        return custom;
    }

    public void setCustom(Map<String, String> custom) {
        this.custom = custom;
    }
}
