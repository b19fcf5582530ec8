package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** TLS at the ingress gateway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode.lowerAscii() != 'simple' || (has(self.certSecretName) && size(self.certSecretName) > 0)",
        message = "gateway TLS mode simple needs certSecretName (the Secret the gateway terminates TLS with)")
public class GatewayTls {
    @Size(max = 20)
    @ValidationRule(value = "self.lowerAscii() in ['simple', 'passthrough']",
            message = "gateway tls.mode must be simple or passthrough (any case)")
    @JsonPropertyDescription("simple: the gateway terminates TLS; passthrough: the broker does (any case).")
    private String mode;
    @Size(max = 253)
    @JsonPropertyDescription("Secret with the certificate: in the gateway's namespace for simple, in the broker's for passthrough.")
    private String certSecretName;
    @JsonPropertyDescription("Subject alternative names the certificate covers.")
    private List<String> subjectAltNames;
    @JsonPropertyDescription("Whether clients trust the certificate's CA.")
    private Boolean trustCertsEnabled;

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getCertSecretName() {
        return certSecretName;
    }

    public void setCertSecretName(String certSecretName) {
        this.certSecretName = certSecretName;
    }

    public List<String> getSubjectAltNames() {
        return subjectAltNames;
    }

    public void setSubjectAltNames(List<String> subjectAltNames) {
        this.subjectAltNames = subjectAltNames;
    }

    public Boolean getTrustCertsEnabled() {
        return trustCertsEnabled;
    }

    public void setTrustCertsEnabled(Boolean trustCertsEnabled) {
        this.trustCertsEnabled = trustCertsEnabled;
    }
}
