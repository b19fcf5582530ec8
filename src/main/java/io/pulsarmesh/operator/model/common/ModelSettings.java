package io.pulsarmesh.operator.model.common;

/**
 * Operator-wide inputs of the desired-state functions: what the custom resources do not say.
 *
 * @param defaultImage image of a component whose spec has none
 * @param podFsGroup group that owns mounted volumes when the spec sets no pod security context; {@code null} leaves it
 *        to the platform (OpenShift's restricted-v2 assigns one)
 */
public record ModelSettings(String defaultImage, Long podFsGroup) {
    public static final String DEFAULT_IMAGE = "apachepulsar/pulsar:4.0.5";

    public static ModelSettings defaults() {
        return new ModelSettings(DEFAULT_IMAGE, 0L);
    }
}
