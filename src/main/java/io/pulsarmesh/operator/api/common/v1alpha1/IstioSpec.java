package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Istio service mesh settings of a component. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IstioSpec {
    @JsonPropertyDescription("Put the component's pods in the mesh.")
    private Boolean enabled;
    @JsonPropertyDescription("Mutual TLS mode.")
    private MtlsSpec mtls;
    @JsonPropertyDescription("Istio control-plane revision that injects sidecars; default: the coordinator's, else default.")
    private String revision;
    @JsonPropertyDescription("Trust domain of workload identities (<trustDomain>/ns/<ns>/sa/<sa>); default cluster.local.")
    private String trustDomain;
    @Pattern("^(sidecar|ambient)$")
    @JsonPropertyDescription("Data plane: sidecar (an Envoy per pod) or ambient (node-level ztunnel). Unset: sidecar. A coordinator writes it when its migration reaches the component.")
    private String dataplaneMode;
    @Size(max = 64)
    @JsonPropertyDescription("Extra ALLOW rules of the AuthorizationPolicy.")
    private List<AuthRule> authRules;
    @JsonPropertyDescription("Ingress gateway for external clients (brokers).")
    private IstioGateway gateway;
    @Size(max = 8)
    @JsonPropertyDescription("Several ingress gateways (at most 8); when not empty, gateway is ignored.")
    private List<IstioGateway> gateways;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public MtlsSpec getMtls() {
        return mtls;
    }

    public void setMtls(MtlsSpec mtls) {
        this.mtls = mtls;
    }

    public String getRevision() {
        return revision;
    }

    public void setRevision(String revision) {
        this.revision = revision;
    }

    public String getTrustDomain() {
        return trustDomain;
    }

    public void setTrustDomain(String trustDomain) {
        this.trustDomain = trustDomain;
    }

    public String getDataplaneMode() {
        return dataplaneMode;
    }

    public void setDataplaneMode(String dataplaneMode) {
        this.dataplaneMode = dataplaneMode;
    }

    public List<AuthRule> getAuthRules() {
        return authRules;
    }

    public void setAuthRules(List<AuthRule> authRules) {
        this.authRules = authRules;
    }

    public IstioGateway getGateway() {
        return gateway;
    }

    public void setGateway(IstioGateway gateway) {
        this.gateway = gateway;
    }

    public List<IstioGateway> getGateways() {
        return gateways;
    }

    public void setGateways(List<IstioGateway> gateways) {
        this.gateways = gateways;
    }
}
