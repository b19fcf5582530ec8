package io.pulsarmesh.operator.model.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulsarmesh.operator.api.common.v1alpha1.ServicePodPolicy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.BrokerConfig;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.ProtocolHandlers;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBrokerSpec;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBrokerStatus;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.JvmEnv;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Meta;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.NotActedOn;
import io.pulsarmesh.operator.model.common.PodTemplates;
import io.pulsarmesh.operator.model.common.PulsarServices;
import io.pulsarmesh.operator.model.common.Scripts;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.common.Workloads;
import io.pulsarmesh.operator.model.istio.IstioPolicies;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.MeshEnrollment;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;

/**
 * Desired state of the brokers: a ConfigMap (broker.conf overrides and the start script), a headless Service that gives
 * every broker a stable DNS name (its advertised address), the client Service {@code <name>-broker}, a
 * PodDisruptionBudget and a StatefulSet without volumes (brokers keep no state of their own).
 *
 * <p>The start script initializes the cluster metadata (idempotent since Pulsar 3.0) unless {@code spec.initialized} is
 * true, in the broker container itself, so that it runs with the mesh's network. Protocol handlers and their ports
 * come from {@link BrokerProtocols}; in the mesh, the Istio policies and, with a gateway, the external listeners and
 * routing objects from {@link BrokerGateway}.
 */
public final class BrokerModel {
    public static final int PULSAR_PORT = PulsarServices.PULSAR_PORT;
    public static final int PULSAR_TLS_PORT = PulsarServices.PULSAR_TLS_PORT;
    public static final int WEB_PORT = PulsarServices.WEB_PORT;
    public static final int WEB_TLS_PORT = PulsarServices.WEB_TLS_PORT;
    public static final String CONF_FILE = "broker.conf";
    public static final String STATUS_FILE = "/pulsar/logs/status";
    public static final String CERTS_DIR = PulsarServices.CERTS_DIR;
    public static final String CERTS_VOLUME = PulsarServices.CERTS_VOLUME;

    static final String EXTENSIBLE_LOAD_MANAGER = "org.apache.pulsar.broker.loadbalance.extensions.ExtensibleLoadManagerImpl";
    static final String MODULAR_LOAD_MANAGER = "org.apache.pulsar.broker.loadbalance.impl.ModularLoadManagerImpl";

    static final Set<String> OWNED_KEYS = Set.of("clusterName", "metadataStoreUrl", "configurationMetadataStoreUrl",
            "zookeeperServers", "configurationStoreServers", "bookkeeperMetadataServiceUri", "brokerServicePort",
            "brokerServicePortTls", "webServicePort", "webServicePortTls", "advertisedAddress", "advertisedListeners",
            "internalListenerName", "bindAddress", "bindAddresses", "statusFilePath", "tlsCertificateFilePath",
            "tlsKeyFilePath", "tlsTrustCertsFilePath");
    static final Set<String> OWNED_WITH_HANDLERS = owned();

    private static Set<String> owned() {
        Set<String> all = new java.util.HashSet<>(OWNED_KEYS);
        all.addAll(BrokerProtocols.OWNED_KEYS);
        return Set.copyOf(all);
    }

    private BrokerModel() {
    }

    /** Problems the schema cannot catch; when there are any, nothing is applied. */
    public static List<SpecProblem> validate(PulsarBroker pb) {
        return validate(pb, Mesh.of(pb.getSpec().getIstio()));
    }

    /** Problems the schema cannot catch, in the given mesh; when there are any, nothing is applied. */
    public static List<SpecProblem> validate(PulsarBroker pb, Mesh mesh) {
        PulsarBrokerSpec spec = pb.getSpec();
        List<SpecProblem> problems = new ArrayList<>();
        if (spec.getConfig() != null) {
            problems.addAll(ConfigFile.reservedKeys(spec.getConfig().getCustom(), "spec.config.custom", OWNED_WITH_HANDLERS,
                    List.of()));
        }
        if (isBlank(spec.getMetadataStoreUrl()) && isBlank(spec.getZkServers())) {
            problems.add(new SpecProblem(SpecProblem.MISSING_METADATA_STORE, "spec.zkServers",
                    "no metadata store: set spec.zkServers (for example my-zk:2181) or spec.metadataStoreUrl"));
        }
        problems.addAll(BrokerGateway.validateKafkaTls(pb));
        problems.addAll(BrokerGateway.validate(pb, mesh));
        return problems;
    }

    /** Accepted fields that are not acted on yet. */
    public static List<String> notActedOn(PulsarBroker pb) {
        PulsarBrokerSpec spec = pb.getSpec();
        NotActedOn n = NotActedOn.of(spec)
                .check("spec.advertisedListeners", spec.getAdvertisedListeners())
                .check("spec.networking", spec.getNetworking())
                .check("spec.updateStrategy", spec.getUpdateStrategy())
                .check("spec.autoScalingPolicy", spec.getAutoScalingPolicy())
                .check("spec.initJobPod", spec.getInitJobPod())
                .check("spec.interceptors", spec.getInterceptors())
                .check("spec.cleanUpPolicy", spec.getCleanUpPolicy());
        BrokerConfig c = spec.getConfig();
        if (c != null) {
            n.check("spec.config.authentication", c.getAuthentication())
                    .check("spec.config.authorization", c.getAuthorization())
                    .check("spec.config.clientAuth", c.getClientAuth())
                    .check("spec.config.function", c.getFunction())
                    .check("spec.config.tieredStorageConfig", c.getTieredStorageConfig())
                    .check("spec.config.placementPolicy", c.getPlacementPolicy());
            if (c.getProtocolHandlers() != null) {
                ProtocolHandlers h = c.getProtocolHandlers();
                if (BrokerProtocols.kafka(pb) && h.getKop().getTls() != null) {
                    n.check("spec.config.protocolHandlers.kop.tls.trustCertsEnabled", h.getKop().getTls().getTrustCertsEnabled());
                }
                BrokerGateway.Plan plan = BrokerGateway.plan(pb, Mesh.of(spec.getIstio()));
                if (plan != null && plan.passthrough() && (BrokerProtocols.mqtt(pb) || BrokerProtocols.amqp(pb))) {
                    n.check("MQTT and AMQP through a passthrough gateway (use gateway.tls.mode simple)", Boolean.TRUE);
                }
            }
            IstioGateway gw = Mesh.of(spec.getIstio()).gateway();
            if (gw != null && gw.getTls() != null) {
                n.check("spec.istio.gateway.tls.subjectAltNames", gw.getTls().getSubjectAltNames())
                        .check("spec.istio.gateway.tls.trustCertsEnabled", gw.getTls().getTrustCertsEnabled());
            }
            if (gw != null && gw.getRoute() != null) {
                n.check("spec.istio.gateway.route.useWildcardDNS", gw.getRoute().getUseWildcardDNS())
                        .check("spec.istio.gateway.route.topologyAware", gw.getRoute().getTopologyAware());
            }
            if (c.getLoadManagerType() != null && loadManagerClassName(c.getLoadManagerType()) == null) {
                n.check("spec.config.loadManagerType", c.getLoadManagerType());
            }
        }
        return n.fields();
    }

    /** Every object of the brokers, in the order they are applied. */
    public static List<HasMetadata> desired(PulsarBroker pb, ModelSettings settings) {
        return desired(pb, settings, Mesh.of(pb.getSpec().getIstio()));
    }

    /** Every object of the brokers in the given mesh, in the order they are applied. */
    public static List<HasMetadata> desired(PulsarBroker pb, ModelSettings settings, Mesh mesh) {
        ConfigMap cm = configMap(pb, mesh);
        List<HasMetadata> out = new ArrayList<>(List.of(cm, headlessService(pb, mesh), clientService(pb, mesh),
                podDisruptionBudget(pb), statefulSet(pb, settings, PodTemplates.hash(cm.getData()), mesh)));
        out.addAll(istioObjects(pb, settings, mesh));
        return out;
    }

    /**
     * Istio objects of the brokers: mTLS and an AuthorizationPolicy admitting clients on the client ports, the operator
     * on every port and the ingress gateways on the external listeners; with a gateway, its Gateway, VirtualServices
     * and ServiceEntries ({@link BrokerGateway}).
     */
    public static List<HasMetadata> istioObjects(PulsarBroker pb, ModelSettings settings, Mesh mesh) {
        if (!mesh.enabled()) {
            return List.of();
        }
        String name = pb.getMetadata().getName();
        String ns = pb.getMetadata().getNamespace();
        BrokerGateway.Plan plan = BrokerGateway.plan(pb, mesh);
        List<Integer> all = ports(pb, plan).stream().map(ServicePort::getPort).toList();
        List<Rule> rules = new ArrayList<>();
        rules.add(IstioPolicies.peers(mesh, ns, BrokerProtocols.clientPorts(pb)));
        rules.add(IstioPolicies.operator(mesh, settings.identities().operator(), all));
        rules.addAll(IstioPolicies.scrapers(mesh, settings.identities().metricsScrapers(), List.of(WEB_PORT)));
        if (plan != null) {
            List<String> gateways = settings.identities().ingressGateways().stream()
                    .map(id -> IstioPolicies.principal(mesh, id)).toList();
            rules.add(IstioPolicies.rule(gateways, List.of(), gatewayBackendPorts(pb, plan)));
        }
        List<HasMetadata> out = new ArrayList<>(IstioPolicies.objects(pb, Names.broker(name), labels(pb), selector(pb),
                List.of(Names.broker(name), Names.brokerHeadless(name)), rules, mesh));
        if (plan != null) {
            out.addAll(BrokerGateway.objects(pb, plan, labels(pb),
                    BrokerGateway.gatewayNamespaces(settings.identities().ingressGateways())));
        }
        return out;
    }

    /** Broker ports the ingress gateway forwards to. */
    static List<Integer> gatewayBackendPorts(PulsarBroker pb, BrokerGateway.Plan plan) {
        List<Integer> ports = new ArrayList<>();
        if (plan.passthrough()) {
            ports.add(WEB_TLS_PORT);
            ports.add(BrokerProtocols.PULSAR_EXTERNAL_TLS_PORT);
            if (BrokerProtocols.kafka(pb)) {
                ports.add(BrokerProtocols.KAFKA_EXTERNAL_TLS_PORT);
            }
        } else {
            ports.add(WEB_PORT);
            ports.add(BrokerProtocols.PULSAR_EXTERNAL_PORT);
            if (BrokerProtocols.kafka(pb)) {
                ports.add(BrokerProtocols.KAFKA_EXTERNAL_PORT);
            }
            if (BrokerProtocols.mqtt(pb)) {
                ports.add(BrokerProtocols.mqttBackendPort(pb));
            }
            if (BrokerProtocols.amqp(pb)) {
                ports.add(BrokerProtocols.amqpProxyPort(pb));
            }
        }
        return ports;
    }

    public static int replicas(PulsarBroker pb) {
        return pb.getSpec().getReplicas() != null ? pb.getSpec().getReplicas() : 3;
    }

    static Map<String, String> labels(PulsarBroker pb) {
        return Labels.objectLabels(Labels.BROKER, pb, pb.getSpec().getLabels());
    }

    public static Map<String, String> selector(PulsarBroker pb) {
        return Labels.selector(Labels.BROKER, pb.getMetadata().getName());
    }

    /**
     * Whether the brokers terminate TLS themselves: {@code spec.tls.enabled}, or a passthrough gateway that names the
     * brokers' certificate in {@code gateway.tls.certSecretName} (a Secret in the brokers' namespace, as in
     * sn-operator's passthrough manifests).
     */
    public static boolean tlsEnabled(PulsarBroker pb) {
        return (pb.getSpec().getTls() != null && Boolean.TRUE.equals(pb.getSpec().getTls().getEnabled()))
                || passthroughSecret(pb) != null;
    }

    /** The Secret with the brokers' certificate: {@code spec.tls.certSecretName}, else the passthrough gateway's. */
    public static String tlsSecret(PulsarBroker pb) {
        if (pb.getSpec().getTls() != null && Boolean.TRUE.equals(pb.getSpec().getTls().getEnabled())) {
            return pb.getSpec().getTls().getCertSecretName();
        }
        return passthroughSecret(pb);
    }

    private static String passthroughSecret(PulsarBroker pb) {
        BrokerGateway.Plan plan = BrokerGateway.plan(pb, Mesh.of(pb.getSpec().getIstio()));
        return plan != null && plan.passthrough() && !isBlank(plan.credentialName()) ? plan.credentialName() : null;
    }

    static BrokerConfig brokerConfig(PulsarBroker pb) {
        return pb.getSpec().getConfig() != null ? pb.getSpec().getConfig() : new BrokerConfig();
    }

    public static String clusterName(PulsarBroker pb) {
        String c = brokerConfig(pb).getClusterName();
        return !isBlank(c) ? c : pb.getMetadata().getName();
    }

    /** {@code spec.metadataStoreUrl}, else {@code zk:<zkServers>}. */
    public static String metadataStoreUrl(PulsarBroker pb) {
        PulsarBrokerSpec spec = pb.getSpec();
        return !isBlank(spec.getMetadataStoreUrl()) ? spec.getMetadataStoreUrl() : "zk:" + spec.getZkServers();
    }

    /** {@code spec.configurationMetadataStoreUrl}, else {@code zk:<configurationStoreServers>}, else the metadata store. */
    public static String configurationMetadataStoreUrl(PulsarBroker pb) {
        PulsarBrokerSpec spec = pb.getSpec();
        if (!isBlank(spec.getConfigurationMetadataStoreUrl())) {
            return spec.getConfigurationMetadataStoreUrl();
        }
        if (!isBlank(spec.getConfigurationStoreServers())) {
            return "zk:" + spec.getConfigurationStoreServers();
        }
        return metadataStoreUrl(pb);
    }

    /**
     * {@code spec.bkMetadataServiceUri}, else the ledgers of the ZooKeeper ensemble ({@code zkServers}, or the
     * {@code zk:} metadata store), else the generic metadata store driver.
     */
    public static String bookkeeperMetadataServiceUri(PulsarBroker pb) {
        PulsarBrokerSpec spec = pb.getSpec();
        if (!isBlank(spec.getBkMetadataServiceUri())) {
            return spec.getBkMetadataServiceUri();
        }
        String zk = null;
        if (!isBlank(spec.getZkServers())) {
            zk = spec.getZkServers();
        } else if (spec.getMetadataStoreUrl() != null && spec.getMetadataStoreUrl().startsWith("zk:")) {
            zk = spec.getMetadataStoreUrl().substring("zk:".length());
        }
        if (zk != null) {
            return "zk+hierarchical://" + zk.replace(',', ';') + "/ledgers";
        }
        return "metadata-store:" + metadataStoreUrl(pb);
    }

    /** Class name of a {@code loadManagerType}: extensible, shared / modular, or a class name; else {@code null}. */
    public static String loadManagerClassName(String type) {
        if (type == null || type.isBlank()) {
            return null;
        }
        return switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "extensible" -> EXTENSIBLE_LOAD_MANAGER;
            case "shared", "modular" -> MODULAR_LOAD_MANAGER;
            default -> type.contains(".") ? type.trim() : null;
        };
    }

    /** Fully qualified name of the client Service. */
    static String serviceFqdn(PulsarBroker pb) {
        return Names.serviceFqdn(Names.broker(pb.getMetadata().getName()), pb.getMetadata().getNamespace());
    }

    /** Where clients inside the Kubernetes cluster reach the brokers. */
    public static PulsarBrokerStatus.Endpoint clusterServiceUrls(PulsarBroker pb) {
        String host = serviceFqdn(pb);
        return new PulsarBrokerStatus.Endpoint("pulsar://" + host + ":" + PULSAR_PORT,
                "http://" + host + ":" + WEB_PORT);
    }

    /** broker.conf keys the operator sets; advertisedAddress is added by the start script (it is per pod). */
    public static ConfigFile config(PulsarBroker pb) {
        return config(pb, Mesh.of(pb.getSpec().getIstio()));
    }

    public static ConfigFile config(PulsarBroker pb, Mesh mesh) {
        BrokerConfig c = brokerConfig(pb);
        ConfigFile f = new ConfigFile()
                .put("clusterName", clusterName(pb))
                .put("metadataStoreUrl", metadataStoreUrl(pb))
                .put("configurationMetadataStoreUrl", configurationMetadataStoreUrl(pb))
                .put("bookkeeperMetadataServiceUri", bookkeeperMetadataServiceUri(pb))
                .put("brokerServicePort", PULSAR_PORT)
                .put("webServicePort", WEB_PORT)
                .put("statusFilePath", STATUS_FILE)
                .put("transactionCoordinatorEnabled", c.getTransactionEnabled())
                .put("webSocketServiceEnabled", c.getWebSocketServiceEnabled())
                .put("loadManagerClassName", loadManagerClassName(c.getLoadManagerType()));
        if (tlsEnabled(pb)) {
            PulsarServices.putTlsFiles(f.put("brokerServicePortTls", PULSAR_TLS_PORT).put("webServicePortTls", WEB_TLS_PORT));
        }
        BrokerProtocols.putConfig(f, pb, BrokerGateway.plan(pb, mesh));
        f.putAll(c.getCustom());
        return f;
    }

    /** The shell expression of this pod's advertised address. */
    static String advertisedAddress(PulsarBroker pb) {
        if (Boolean.TRUE.equals(brokerConfig(pb).getUsePodIPAsAdvertisedAddress())) {
            return "${POD_IP}";
        }
        return "${HOSTNAME}." + Names.brokerHeadless(pb.getMetadata().getName()) + "."
                + pb.getMetadata().getNamespace() + ".svc.cluster.local";
    }

    static String initializeCommand(PulsarBroker pb) {
        String host = serviceFqdn(pb);
        StringBuilder cmd = new StringBuilder("PULSAR_MEM=\"-Xmx128m\" bin/pulsar initialize-cluster-metadata")
                .append(" \\\n    --cluster ").append(quote(clusterName(pb)))
                .append(" \\\n    --metadata-store ").append(quote(metadataStoreUrl(pb)))
                .append(" \\\n    --configuration-metadata-store ").append(quote(configurationMetadataStoreUrl(pb)))
                .append(" \\\n    --existing-bk-metadata-service-uri ").append(quote(bookkeeperMetadataServiceUri(pb)))
                .append(" \\\n    --web-service-url ").append(quote("http://" + host + ":" + WEB_PORT))
                .append(" \\\n    --broker-service-url ").append(quote("pulsar://" + host + ":" + PULSAR_PORT));
        if (tlsEnabled(pb)) {
            cmd.append(" \\\n    --web-service-url-tls ").append(quote("https://" + host + ":" + WEB_TLS_PORT))
                    .append(" \\\n    --broker-service-url-tls ")
                    .append(quote("pulsar+ssl://" + host + ":" + PULSAR_TLS_PORT));
        }
        return cmd.toString();
    }

    static String startScript(PulsarBroker pb, Mesh mesh) {
        BrokerGateway.Plan plan = BrokerGateway.plan(pb, mesh);
        StringBuilder s = new StringBuilder(Scripts.header());
        s.append("""
                conf=/pulsar/conf/%2$s
                overrides=/tmp/%2$s
                cat %1$s/%2$s > "$overrides"
                """.formatted(Scripts.OPERATOR_DIR, CONF_FILE));
        String external = null;
        if (plan != null) {
            // ${ordinal} (the pod's own) is set by the script header.
            s.append("external_host=\"").append(BrokerGateway.hostExpression(pb, plan)).append("\"\n");
            external = "${external_host}";
        }
        for (String line : BrokerProtocols.perPodConfig(pb, plan, advertisedAddress(pb), external)) {
            s.append("echo \"").append(line).append("\" >> \"$overrides\"\n");
        }
        s.append("""
                merge_config "$conf" "$overrides"
                mkdir -p "$(dirname %1$s)"
                echo OK > %1$s
                """.formatted(STATUS_FILE));
        if (!Boolean.TRUE.equals(pb.getSpec().getInitialized())) {
            s.append("until ").append(initializeCommand(pb)).append("\ndo\n  sleep 5\ndone\n");
        }
        s.append("""
                export PULSAR_BROKER_CONF="$conf"
                exec bin/pulsar broker
                """);
        return s.toString();
    }

    public static ConfigMap configMap(PulsarBroker pb) {
        return configMap(pb, Mesh.of(pb.getSpec().getIstio()));
    }

    public static ConfigMap configMap(PulsarBroker pb, Mesh mesh) {
        return PodTemplates.configMap(pb, Names.broker(pb.getMetadata().getName()), labels(pb), CONF_FILE,
                config(pb, mesh), startScript(pb, mesh), pb.getSpec().getLogConfig());
    }

    static List<ServicePort> ports(PulsarBroker pb, BrokerGateway.Plan plan) {
        return BrokerProtocols.servicePorts(pb, plan);
    }

    public static Service headlessService(PulsarBroker pb) {
        return headlessService(pb, Mesh.of(pb.getSpec().getIstio()));
    }

    public static Service headlessService(PulsarBroker pb, Mesh mesh) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(pb, Names.brokerHeadless(pb.getMetadata().getName()), labels(pb)))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(selector(pb)).withPorts(ports(pb, BrokerGateway.plan(pb, mesh))).endSpec()
                .build();
    }

    public static Service clientService(PulsarBroker pb) {
        return clientService(pb, Mesh.of(pb.getSpec().getIstio()));
    }

    public static Service clientService(PulsarBroker pb, Mesh mesh) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(pb, Names.broker(pb.getMetadata().getName()), labels(pb)))
                .withNewSpec().withType("ClusterIP").withSelector(selector(pb))
                .withPorts(ports(pb, BrokerGateway.plan(pb, mesh))).endSpec()
                .build();
    }

    public static PodDisruptionBudget podDisruptionBudget(PulsarBroker pb) {
        return Workloads.podDisruptionBudget(pb, Names.broker(pb.getMetadata().getName()), labels(pb), selector(pb));
    }

    public static StatefulSet statefulSet(PulsarBroker pb, ModelSettings settings, String configHash) {
        return statefulSet(pb, settings, configHash, Mesh.of(pb.getSpec().getIstio()));
    }

    public static StatefulSet statefulSet(PulsarBroker pb, ModelSettings settings, String configHash, Mesh mesh) {
        String name = pb.getMetadata().getName();
        ServicePodPolicy pod = pb.getSpec().getPod();
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(PodTemplates.configMount());
        List<Volume> volumes = new ArrayList<>();
        if (tlsEnabled(pb)) {
            PulsarServices.mountCerts(tlsSecret(pb), volumes, mounts);
        }
        if (BrokerProtocols.kafkaTls(pb)) {
            var kopTls = BrokerProtocols.handlers(pb).getKop().getTls();
            volumes.add(new VolumeBuilder().withName(BrokerProtocols.KAFKA_CERTS_VOLUME).withNewSecret()
                    .withSecretName(kopTls.getCertSecretName()).endSecret().build());
            mounts.add(new VolumeMountBuilder().withName(BrokerProtocols.KAFKA_CERTS_VOLUME)
                    .withMountPath(BrokerProtocols.KAFKA_CERTS_DIR).withReadOnly(true).build());
        }
        volumes.addAll(JvmEnv.secretVolumes(pod));
        mounts.addAll(JvmEnv.secretMounts(pod));
        Container container = PulsarServices.container(Labels.BROKER, pb.getSpec(), pod,
                ports(pb, BrokerGateway.plan(pb, mesh)), settings, mounts);
        if (BrokerProtocols.kafkaTls(pb)) {
            var ref = BrokerProtocols.handlers(pb).getKop().getTls().getPasswordSecretRef();
            container.getEnv().add(0, new EnvVarBuilder().withName(BrokerProtocols.KAFKA_KEYSTORE_PASSWORD_ENV)
                    .withNewValueFrom().withNewSecretKeyRef().withName(ref.getName()).withKey(ref.getKey())
                    .endSecretKeyRef().endValueFrom().build());
        }
        return new StatefulSetBuilder()
                .withMetadata(MeshEnrollment.annotate(Meta.owned(pb, Names.broker(name), labels(pb)), mesh))
                .withNewSpec()
                .withReplicas(replicas(pb))
                .withServiceName(Names.brokerHeadless(name))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(selector(pb)).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withMinReadySeconds(pod != null ? pod.getMinReadySeconds() : null)
                .withNewTemplate()
                .withMetadata(PodTemplates.podMeta(pod, labels(pb), configHash, mesh))
                .withSpec(PodTemplates.podSpec(pod, settings, selector(pb), Names.broker(name), container, volumes))
                .endTemplate()
                .endSpec()
                .build();
    }

    /** A single-quoted shell word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
