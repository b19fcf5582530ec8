package io.pulsarmesh.operator.api.coordinator.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.pulsarmesh.operator.api.common.v1alpha1.MtlsSpec;

/** Istio defaults the coordinator hands to its components. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CoordinatorIstio {
    @JsonPropertyDescription("Istio control-plane revision; empty means the default revision.")
    private String revision;
    @JsonPropertyDescription("Trust domain of workload identities.")
    private String trustDomain;
    @JsonPropertyDescription("Mutual TLS mode.")
    private MtlsSpec mtls;
    @Pattern("^(sidecar|ambient)$")
    @JsonPropertyDescription("Data plane of the whole cluster: sidecar (default) or ambient. A change migrates the components one at a time (status.meshMigration).")
    private String dataplaneMode;

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

    public MtlsSpec getMtls() {
        return mtls;
    }

    public void setMtls(MtlsSpec mtls) {
        this.mtls = mtls;
    }

    public String getDataplaneMode() {
        return dataplaneMode;
    }

    public void setDataplaneMode(String dataplaneMode) {
        this.dataplaneMode = dataplaneMode;
    }
}
