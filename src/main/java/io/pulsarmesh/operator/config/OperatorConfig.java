package io.pulsarmesh.operator.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.pulsarmesh.operator.model.common.ModelSettings;

/** Operator-wide settings ({@code pulsar.operator.*}, or {@code PULSAR_OPERATOR_*} environment variables). */
@ConfigMapping(prefix = "pulsar.operator")
public interface OperatorConfig {
    /** Image of components whose spec names none. */
    @WithDefault(ModelSettings.DEFAULT_IMAGE)
    String defaultImage();

    /**
     * Group that owns mounted volumes when a component sets no pod security context. Set it empty on OpenShift, whose
     * restricted-v2 constraint assigns a group per namespace.
     */
    @WithDefault("0")
    Optional<Long> podFsGroup();

    default ModelSettings modelSettings() {
        return new ModelSettings(defaultImage(), podFsGroup().orElse(null));
    }
}
