package io.pulsarmesh.operator.api.common.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** A Secret mounted into the pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
    @Required
    @JsonPropertyDescription("Name of the Secret in the custom resource's namespace.")
    private String secretName;
    @Required
    @io.fabric8.generator.annotation.Pattern("^/.*")
    @JsonPropertyDescription("Absolute path the Secret is mounted at (read-only).")
    private String mountPath;

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public String getMountPath() {
        return mountPath;
    }

    public void setMountPath(String mountPath) {
        this.mountPath = mountPath;
    }
}
