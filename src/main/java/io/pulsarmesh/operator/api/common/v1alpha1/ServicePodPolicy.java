package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.EnvVar;

/** Pod policy of brokers and proxies: the shared one plus JVM options, Secret mounts and environment variables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServicePodPolicy extends PodPolicy {
    @JsonPropertyDescription("JVM options.")
    private JvmOptions jvmOptions;
    @JsonPropertyDescription("Secrets mounted into the main container.")
    private List<SecretRef> secretRefs;
    @JsonPropertyDescription("Environment variables of the main container.")
    private List<EnvVar> vars;

    public JvmOptions getJvmOptions() {
        return jvmOptions;
    }

    public void setJvmOptions(JvmOptions jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    public List<SecretRef> getSecretRefs() {
        return secretRefs;
    }

    public void setSecretRefs(List<SecretRef> secretRefs) {
        this.secretRefs = secretRefs;
    }

    public List<EnvVar> getVars() {
        return vars;
    }

    public void setVars(List<EnvVar> vars) {
        this.vars = vars;
    }
}
