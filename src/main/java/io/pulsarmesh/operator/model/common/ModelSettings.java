package io.pulsarmesh.operator.model.common;

import java.util.List;

/**
 * Operator-wide inputs of the desired-state functions: what the custom resources do not say.
 *
 * @param defaultImage image of a component whose spec has none
 * @param podFsGroup group that owns mounted volumes when the spec sets no pod security context; {@code null} leaves it
 *        to the platform (OpenShift's restricted-v2 assigns one)
 * @param identities mesh identities the Istio authorization policies admit besides the cluster's own components
 */
public record ModelSettings(String defaultImage, Long podFsGroup, MeshIdentities identities) {
    public static final String DEFAULT_IMAGE = "apachepulsar/pulsar:4.0.5";

    public ModelSettings(String defaultImage, Long podFsGroup) {
        this(defaultImage, podFsGroup, MeshIdentities.defaults());
    }

    public static ModelSettings defaults() {
        return new ModelSettings(DEFAULT_IMAGE, 0L);
    }

    public ModelSettings withImage(String image) {
        return new ModelSettings(image, podFsGroup, identities);
    }

    /**
     * Service accounts, as {@code namespace/name}, of the workloads outside the Pulsar cluster that must reach it.
     *
     * @param operator the operator itself (leader checks, admin calls, readiness)
     * @param ingressGateways the ingress gateways that forward external clients to the brokers
     * @param metricsScrapers scrapers admitted on the components' metrics ports (Prometheus in the mesh); Istio's
     *        metrics merging needs none
     */
    public record MeshIdentities(String operator, List<String> ingressGateways, List<String> metricsScrapers) {
        public MeshIdentities(String operator, List<String> ingressGateways) {
            this(operator, ingressGateways, List.of());
        }

        public static final String DEFAULT_OPERATOR = "pulsar-mesh-operator/pulsar-mesh-operator";
        public static final String DEFAULT_INGRESS_GATEWAY = "istio-system/istio-ingressgateway-service-account";

        public static MeshIdentities defaults() {
            return new MeshIdentities(DEFAULT_OPERATOR, List.of(DEFAULT_INGRESS_GATEWAY));
        }
    }
}
