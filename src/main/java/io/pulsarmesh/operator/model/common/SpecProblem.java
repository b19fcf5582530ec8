package io.pulsarmesh.operator.model.common;

/**
 * A spec the CRD schema accepted but the operator cannot act on safely. When a custom resource has any, the operator
 * changes nothing in the cluster for it and reports {@code Ready=False} with {@link #reason()}.
 *
 * @param reason stable CamelCase reason, used for the condition and the Warning Event
 * @param field the offending field, as a path (spec.config.custom.clientPort)
 * @param message what is wrong and how to fix it
 */
public record SpecProblem(String reason, String field, String message) {
    public static final String RESERVED_CONFIG_KEY = "ReservedConfigKey";
    public static final String MISSING_METADATA_STORE = "MissingMetadataStore";
    public static final String MISSING_BROKER_ADDRESS = "MissingBrokerAddress";
    public static final String BOOKIE_ID_POLICY_CHANGED = "BookieIdPolicyChangeRefused";
    public static final String BOOKIE_SCALE_DOWN_REFUSED = "BookieScaleDownRefused";

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
