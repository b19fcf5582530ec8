package io.pulsarmesh.operator.api.common.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Mutual TLS between the component's pods and their peers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MtlsSpec {
    @Size(max = 20)
    @ValidationRule(value = "self.lowerAscii() in ['strict', 'permissive', 'none']",
            message = "mtls.mode must be strict, permissive or none (any case)")
    @JsonPropertyDescription("strict (only mTLS), permissive (mTLS and plain text) or none (the operator leaves mTLS to the namespace or mesh policy: no PeerAuthentication, no DestinationRule); any case. Unset: the coordinator's mode, else strict.")
    private String mode;

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }
}
