package io.pulsarmesh.operator.olm;

import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Annotations;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.InstallMode;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Link;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Maintainer;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Provider;

/**
 * What the OLM ClusterServiceVersion says about the operator that no manifest says: names, description, install modes
 * and catalogue fields. The bundle generator of the build reads this annotation; the version, the images, the
 * permissions, the Deployment and the CRDs come from Maven properties and the generated manifests instead, so they
 * cannot disagree with what {@code kubectl apply -k} installs.
 *
 * <p>Install modes: {@code AllNamespaces} (one operator for the cluster, the usual choice), {@code OwnNamespace} and
 * {@code SingleNamespace} (the operator watches the one namespace of its OperatorGroup). {@code MultiNamespace} is not
 * offered: OLM discourages OperatorGroups with several target namespaces, and OLM v1 does not install them.
 */
@CSVMetadata(
        bundleName = OperatorCsvMetadata.PACKAGE,
        displayName = "Pulsar Mesh Operator",
        description = OperatorCsvMetadata.DESCRIPTION,
        keywords = { "pulsar", "apache pulsar", "messaging", "streaming", "zookeeper", "bookkeeper", "istio",
                "service mesh", "ambient" },
        maturity = "alpha",
        minKubeVersion = "1.27.0",
        provider = @Provider(name = "pulsar-mesh-operator project", url = "https://github.com/pulsarmesh/pulsar-mesh-operator"),
        maintainers = @Maintainer(name = "pulsar-mesh-operator maintainers", email = "maintainers@pulsarmesh.io"),
        links = {
                @Link(name = "Source code", url = "https://github.com/pulsarmesh/pulsar-mesh-operator"),
                @Link(name = "Documentation", url = "https://github.com/pulsarmesh/pulsar-mesh-operator#readme"),
                @Link(name = "Apache Pulsar", url = "https://pulsar.apache.org") },
        installModes = {
                @InstallMode(type = "OwnNamespace", supported = true),
                @InstallMode(type = "SingleNamespace", supported = true),
                @InstallMode(type = "MultiNamespace", supported = false),
                @InstallMode(type = "AllNamespaces", supported = true) },
        annotations = @Annotations(
                repository = "https://github.com/pulsarmesh/pulsar-mesh-operator",
                capabilities = "Seamless Upgrades",
                categories = "Streaming & Messaging,Networking",
                others = {
                        @Annotations.Annotation(name = "support", value = "pulsar-mesh-operator project"),
                        @Annotations.Annotation(name = "operatorframework.io/suggested-namespace", value = "pulsar-mesh-operator"),
                        // OpenShift infrastructure features (what the console filters on). Disconnected needs images
                        // by digest, which a release sets in the Maven properties (olm-bundle/README.md).
                        @Annotations.Annotation(name = "features.operators.openshift.io/disconnected", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/fips-compliant", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/proxy-aware", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/tls-profiles", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/token-auth-aws", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/token-auth-azure", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/token-auth-gcp", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/cnf", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/cni", value = "false"),
                        @Annotations.Annotation(name = "features.operators.openshift.io/csi", value = "false") }))
public final class OperatorCsvMetadata {
    /** The OLM package, and the prefix of every CSV name ({@code pulsar-mesh-operator.v0.1.0}). */
    public static final String PACKAGE = "pulsar-mesh-operator";

    static final String DESCRIPTION = """
            Runs Apache Pulsar (ZooKeeper, BookKeeper, brokers and proxies) inside an Istio service mesh and keeps it \
            healthy.

            **Custom resources.** PulsarCoordinator, ZooKeeperCluster, BookKeeperCluster, PulsarBroker and PulsarProxy, \
            API-compatible with StreamNative's operator: existing manifests apply unchanged. Each component becomes \
            StatefulSets, Services, ConfigMaps and PodDisruptionBudgets. Volumes are never deleted unless asked for.

            **Service mesh.** `spec.istio` puts a component in the mesh: PeerAuthentication, DestinationRules and an \
            AuthorizationPolicy per component, and for brokers an ingress Gateway, VirtualServices and per-broker \
            ServiceEntries for Pulsar, Kafka, MQTT, AMQP and HTTPS. STRICT mTLS is applied only once the pods have \
            joined the mesh.

            **Sidecar or ambient.** The coordinator's `spec.istio.dataplaneMode` moves a running cluster from \
            sidecars to ambient, one component at a time, each verified before the next, and back again. The \
            migration is recorded in the coordinator's status and survives operator restarts.

            **Observability.** Prometheus metrics on reconciles, components and the migration; Kubernetes Events for \
            every meaningful transition.

            **Prerequisites.** Istio 1.22 or later for the mesh features (ambient needs Istio's ambient profile with \
            ztunnel). The operator runs without Istio and reports meshed components as `IstioNotInstalled`.
            """;

    private OperatorCsvMetadata() {
    }
}
