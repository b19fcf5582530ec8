package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** External access to brokers through an Istio ingress gateway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IstioGateway {
    @JsonPropertyDescription("Labels of the ingress gateway pods; default istio: ingressgateway.")
    private Map<String, String> selector;
    @JsonPropertyDescription("Create a Gateway (true, the default), or bind to the existing ones in gateways.")
    private Boolean create;
    @JsonPropertyDescription("Existing Gateways (namespace/name) to bind to when create is false.")
    private List<String> gateways;
    @JsonPropertyDescription("TLS at the gateway.")
    private GatewayTls tls;
    @Size(max = 253)
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @JsonPropertyDescription("Domain of the external hosts when several gateways are listed.")
    private String advertisedDomain;
    @Default("istio-generatedid")
    @JsonPropertyDescription("Identifies the gateway and its objects in a list of gateways.")
    private String key;
    @Size(max = 63)
    @Pattern("^[a-z0-9]([a-z0-9_]*[a-z0-9])?$")
    @JsonPropertyDescription("Pulsar listener name of this gateway.")
    private String listenerName;
    @JsonPropertyDescription("Routing of hosts to brokers.")
    private GatewayRoute route;

    public Map<String, String> getSelector() {
        return selector;
    }

    public void setSelector(Map<String, String> selector) {
        this.selector = selector;
    }

    public Boolean getCreate() {
        return create;
    }

    public void setCreate(Boolean create) {
        this.create = create;
    }

    public List<String> getGateways() {
        return gateways;
    }

    public void setGateways(List<String> gateways) {
        this.gateways = gateways;
    }

    public GatewayTls getTls() {
        return tls;
    }

    public void setTls(GatewayTls tls) {
        this.tls = tls;
    }

    public String getAdvertisedDomain() {
        return advertisedDomain;
    }

    public void setAdvertisedDomain(String advertisedDomain) {
        this.advertisedDomain = advertisedDomain;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getListenerName() {
        return listenerName;
    }

    public void setListenerName(String listenerName) {
        this.listenerName = listenerName;
    }

    public GatewayRoute getRoute() {
        return route;
    }

    public void setRoute(GatewayRoute route) {
        this.route = route;
    }
}
