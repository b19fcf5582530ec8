package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.ValidationRule;

/** TLS terminated by Pulsar itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.enabled) || !self.enabled || (has(self.certSecretName) && size(self.certSecretName) > 0)",
        message = "tls.enabled needs certSecretName (a Secret with tls.crt, tls.key and ca.crt)")
public class TlsSpec {
    @JsonPropertyDescription("Serve TLS on the TLS ports.")
    private Boolean enabled;
    @JsonPropertyDescription("Secret with tls.crt, tls.key and ca.crt.")
    private String certSecretName;
    @JsonPropertyDescription("Trust the certificate's CA.")
    private Boolean trustCertsEnabled;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getCertSecretName() {
        return certSecretName;
    }

    public void setCertSecretName(String certSecretName) {
        this.certSecretName = certSecretName;
    }

    public Boolean getTrustCertsEnabled() {
        return trustCertsEnabled;
    }

    public void setTrustCertsEnabled(Boolean trustCertsEnabled) {
        this.trustCertsEnabled = trustCertsEnabled;
    }
}
