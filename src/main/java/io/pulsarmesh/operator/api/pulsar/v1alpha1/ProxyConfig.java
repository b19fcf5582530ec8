package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
    private Map<String, Object> kopProxy;
    @PreserveUnknownFields
    @JsonPropertyDescription("Authentication; accepted, not acted on yet.")
    private Map<String, Object> authentication;
    @PreserveUnknownFields
    @JsonPropertyDescription("Authorization; accepted, not acted on yet.")
    private Map<String, Object> authorization;
    @PreserveUnknownFields
    @JsonPropertyDescription("Client authentication; accepted, not acted on yet.")
    private Map<String, Object> clientAuth;
    @PreserveUnknownFields
    @JsonPropertyDescription("Prometheus plugin; accepted, not acted on yet.")
    private Map<String, Object> prometheusPlugin;
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

    public Map<String, Object> getKopProxy() {
        return kopProxy;
    }

    public void setKopProxy(Map<String, Object> kopProxy) {
        this.kopProxy = kopProxy;
    }

    public Map<String, Object> getAuthentication() {
        return authentication;
    }

    public void setAuthentication(Map<String, Object> authentication) {
        this.authentication = authentication;
    }

    public Map<String, Object> getAuthorization() {
        return authorization;
    }

    public void setAuthorization(Map<String, Object> authorization) {
        this.authorization = authorization;
    }

    public Map<String, Object> getClientAuth() {
        return clientAuth;
    }

    public void setClientAuth(Map<String, Object> clientAuth) {
        this.clientAuth = clientAuth;
    }

    public Map<String, Object> getPrometheusPlugin() {
        return prometheusPlugin;
    }

    public void setPrometheusPlugin(Map<String, Object> prometheusPlugin) {
        this.prometheusPlugin = prometheusPlugin;
    }

    public Map<String, String> getCustom() {
        return custom;
    }

    public void setCustom(Map<String, String> custom) {
        this.custom = custom;
    }
}
