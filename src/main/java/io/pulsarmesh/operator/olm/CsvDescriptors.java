package io.pulsarmesh.operator.olm;

import java.util.List;

/**
 * The owned custom resources as the OpenShift console presents them: a display name, a description, and descriptors
 * for the fields users set or read most. A bundle test checks that every path exists in the kind's CRD schema.
 */
public final class CsvDescriptors {
    private static final String UI = "urn:alm:descriptor:com.tectonic.ui:";
    private static final String POD_COUNT = UI + "podCount";
    private static final String TEXT = UI + "text";
    private static final String BOOLEAN = UI + "booleanSwitch";
    private static final String ADVANCED = UI + "advanced";
    private static final String RESOURCES = UI + "resourceRequirements";
    private static final String CONDITIONS = "urn:alm:descriptor:io.kubernetes.conditions";
    private static final String STATUS_TEXT = "urn:alm:descriptor:text";
    private static final String PHASE = "urn:alm:descriptor:io.kubernetes.phase";
    private static final String PHASE_REASON = "urn:alm:descriptor:io.kubernetes.phase:reason";

    /** One descriptor: a path below {@code spec} or {@code status} (dotted), and its console widgets. */
    public record Descriptor(String path, String displayName, String description, List<String> xDescriptors) {
    }

    /** An owned kind: {@code kind} and {@code plural.group} identify it; the rest is what the console shows. */
    public record Owned(String kind, String displayName, String description, List<Descriptor> spec,
            List<Descriptor> status) {
    }

    private static Descriptor d(String path, String name, String description, String... x) {
        return new Descriptor(path, name, description, List.of(x));
    }

    private static List<Descriptor> meshSpec() {
        return List.of(
                d("istio.enabled", "Istio", "Put the component in the Istio mesh.", BOOLEAN),
                d("istio.mtls.mode", "mTLS mode", "strict, permissive or none; inherited from the coordinator when unset.",
                        UI + "select:strict", UI + "select:permissive", UI + "select:none"),
                d("istio.dataplaneMode", "Data plane", "sidecar or ambient; written by the coordinator during a migration.",
                        UI + "select:sidecar", UI + "select:ambient", ADVANCED));
    }

    private static List<Descriptor> componentSpec(String what) {
        List<Descriptor> common = List.of(
                d("replicas", "Replicas", "Number of " + what + ".", POD_COUNT),
                d("image", "Image", "Pulsar image; the operator's default when unset.", TEXT),
                d("pod.resources", "Resources", "CPU and memory of each pod.", RESOURCES));
        return concat(common, meshSpec());
    }

    private static List<Descriptor> componentStatus() {
        return List.of(
                d("conditions", "Conditions", "Ready and the reasons it is not.", CONDITIONS),
                d("readyReplicas", "Ready replicas", "Pods that are ready.", POD_COUNT),
                d("replicas", "Replicas", "Pods of the workload.", POD_COUNT));
    }

    private static List<Descriptor> concat(List<Descriptor> a, List<Descriptor> b) {
        java.util.ArrayList<Descriptor> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** The five kinds, in the order the console lists them (the coordinator first). */
    public static final List<Owned> OWNED = List.of(
            new Owned("PulsarCoordinator", "Pulsar Coordinator",
                    "A Pulsar cluster as a whole: mesh defaults for its components, and the sidecar to ambient"
                            + " migration.",
                    List.of(d("image", "Image", "Pulsar image of the cluster.", TEXT),
                            d("istio.dataplaneMode", "Data plane",
                                    "sidecar or ambient: changing it migrates the components one at a time.",
                                    UI + "select:sidecar", UI + "select:ambient"),
                            d("istio.mtls.mode", "mTLS mode", "Default mTLS mode of the components.",
                                    UI + "select:strict", UI + "select:permissive", UI + "select:none"),
                            d("istio.revision", "Istio revision", "Istio revision the components' sidecars use.", TEXT,
                                    ADVANCED),
                            d("istio.trustDomain", "Trust domain", "Istio trust domain of the mesh.", TEXT, ADVANCED)),
                    List.of(d("conditions", "Conditions", "Ready and the reasons it is not.", CONDITIONS),
                            d("readyComponents", "Ready components", "Components that report Ready.", STATUS_TEXT),
                            d("meshMigration.phase", "Mesh migration", "Phase of the data plane migration.", PHASE),
                            d("meshMigration.component", "Migrating component", "Component being moved.",
                                    STATUS_TEXT),
                            d("meshMigration.message", "Migration message", "What the migration waits for.",
                                    PHASE_REASON))),
            new Owned("ZooKeeperCluster", "ZooKeeper Cluster",
                    "The ZooKeeper ensemble that stores Pulsar's metadata.",
                    concat(componentSpec("ZooKeeper servers (odd)"),
                            List.of(d("persistence.reclaimPolicy", "Volume reclaim", "Keep or delete volumes when the"
                                    + " cluster is deleted.", UI + "select:Retain", UI + "select:Delete"))),
                    concat(componentStatus(), List.of(d("internalServiceEndpoint", "Service endpoint",
                            "Client address of the ensemble.", STATUS_TEXT)))),
            new Owned("BookKeeperCluster", "BookKeeper Cluster",
                    "The bookies that store Pulsar's messages, and their auto-recovery.",
                    concat(componentSpec("bookies"),
                            List.of(d("zkServers", "ZooKeeper servers", "ZooKeeper connect string.", TEXT),
                                    d("autoRecovery.replicas", "Auto-recovery replicas",
                                            "Auto-recovery pods; 0 turns it off.", POD_COUNT))),
                    concat(componentStatus(), List.of(d("autoRecoveryReadyReplicas", "Auto-recovery ready",
                            "Auto-recovery pods that are ready.", POD_COUNT)))),
            new Owned("PulsarBroker", "Pulsar Broker",
                    "Pulsar brokers, with the optional Istio ingress gateway and protocol handlers (Kafka, MQTT, AMQP).",
                    concat(componentSpec("brokers"),
                            List.of(d("zkServers", "ZooKeeper servers", "ZooKeeper connect string.", TEXT),
                                    d("istio.gateway.advertisedDomain", "Advertised domain",
                                            "Domain of the external hosts behind the ingress gateway.", TEXT))),
                    concat(componentStatus(), List.of(
                            d("serviceEndpoints.cluster.pulsarServiceURL", "Pulsar service URL",
                                    "Address of the brokers inside the cluster.", STATUS_TEXT),
                            d("serviceEndpoints.external.pulsarServiceURL", "External Pulsar URL",
                                    "Address of the brokers through the ingress gateway.", STATUS_TEXT)))),
            new Owned("PulsarProxy", "Pulsar Proxy", "Pulsar proxies in front of the brokers.",
                    concat(componentSpec("proxies"),
                            List.of(d("brokerAddress", "Broker address", "Brokers the proxies forward to.", TEXT))),
                    componentStatus()));

    private CsvDescriptors() {
    }
}
