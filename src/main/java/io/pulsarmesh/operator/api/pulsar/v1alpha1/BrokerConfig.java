package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Typed broker settings; anything else goes in custom. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BrokerConfig {
    @Size(max = 63)
    @Pattern("^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$")
    @JsonPropertyDescription("Pulsar cluster name; default: the custom resource's name.")
    private String clusterName;
    @Size(max = 253)
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @JsonPropertyDescription("Root DNS domain of the external host names, for example pulsar.example.com.")
    private String advertisedDomain;
    @Default("NameUIDPrefix")
    @Pattern("^(NameUIDPrefix|OrdinalPrefix|FQDN)$")
    @JsonPropertyDescription("How per-broker external host names are built: NameUIDPrefix, OrdinalPrefix (pb<i>-<domain>) or FQDN.")
    private String serviceURLGenerationPolicy;
    @JsonPropertyDescription("Advertise the pod IP instead of its host name.")
    private Boolean usePodIPAsAdvertisedAddress;
    @JsonPropertyDescription("Enable transactions.")
    private Boolean transactionEnabled;
    @JsonPropertyDescription("Serve WebSocket on the web port.")
    private Boolean webSocketServiceEnabled;
    @JsonPropertyDescription("Load manager: a class name, or extensible / shared for the bundled ones.")
    private String loadManagerType;
    @JsonPropertyDescription("Placement policy; accepted, not acted on yet.")
    private String placementPolicy;
    @JsonPropertyDescription("Kafka, MQTT and AMQP protocol handlers.")
    private ProtocolHandlers protocolHandlers;
    @PreserveUnknownFields
    @JsonPropertyDescription("Authentication (jwt, apiKey, mtls); accepted, not acted on yet.")
    private JsonNode authentication;
    @PreserveUnknownFields
    @JsonPropertyDescription("Authorization; accepted, not acted on yet.")
    private JsonNode authorization;
    @PreserveUnknownFields
    @JsonPropertyDescription("Client authentication; accepted, not acted on yet.")
    private JsonNode clientAuth;
    @PreserveUnknownFields
    @JsonPropertyDescription("Functions worker; accepted, not acted on yet.")
    private JsonNode function;
    @PreserveUnknownFields
    @JsonPropertyDescription("Tiered storage; accepted, not acted on yet.")
    private JsonNode tieredStorageConfig;
    @JsonPropertyDescription("Any other broker.conf keys. Keys the operator owns (ports, metadata stores, listeners) are refused.")
    private Map<String, String> custom;

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public String getAdvertisedDomain() {
        return advertisedDomain;
    }

    public void setAdvertisedDomain(String advertisedDomain) {
        this.advertisedDomain = advertisedDomain;
    }

    public String getServiceURLGenerationPolicy() {
        return serviceURLGenerationPolicy;
    }

    public void setServiceURLGenerationPolicy(String serviceURLGenerationPolicy) {
        this.serviceURLGenerationPolicy = serviceURLGenerationPolicy;
    }

    public Boolean getUsePodIPAsAdvertisedAddress() {
        return usePodIPAsAdvertisedAddress;
    }

    public void setUsePodIPAsAdvertisedAddress(Boolean usePodIPAsAdvertisedAddress) {
        this.usePodIPAsAdvertisedAddress = usePodIPAsAdvertisedAddress;
    }

    public Boolean getTransactionEnabled() {
        return transactionEnabled;
    }

    public void setTransactionEnabled(Boolean transactionEnabled) {
        this.transactionEnabled = transactionEnabled;
    }

    public Boolean getWebSocketServiceEnabled() {
        return webSocketServiceEnabled;
    }

    public void setWebSocketServiceEnabled(Boolean webSocketServiceEnabled) {
        this.webSocketServiceEnabled = webSocketServiceEnabled;
    }

    public String getLoadManagerType() {
        return loadManagerType;
    }

    public void setLoadManagerType(String loadManagerType) {
        this.loadManagerType = loadManagerType;
    }

    public String getPlacementPolicy() {
        return placementPolicy;
    }

    public void setPlacementPolicy(String placementPolicy) {
        this.placementPolicy = placementPolicy;
    }

    public ProtocolHandlers getProtocolHandlers() {
        return protocolHandlers;
    }

    public void setProtocolHandlers(ProtocolHandlers protocolHandlers) {
        this.protocolHandlers = protocolHandlers;
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

    public JsonNode getFunction() {
        return function;
    }

    public void setFunction(JsonNode function) {
        this.function = function;
    }

    public JsonNode getTieredStorageConfig() {
        return tieredStorageConfig;
    }

    public void setTieredStorageConfig(JsonNode tieredStorageConfig) {
        this.tieredStorageConfig = tieredStorageConfig;
    }

    public Map<String, String> getCustom() {
        return custom;
    }

    public void setCustom(Map<String, String> custom) {
        this.custom = custom;
    }
}
