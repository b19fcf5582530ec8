package io.pulsarmesh.operator.model.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
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

/**
 * Desired state of the brokers: a ConfigMap (broker.conf overrides and the start script), a headless Service that gives
 * every broker a stable DNS name (its advertised address), the client Service {@code <name>-broker}, a
 * PodDisruptionBudget and a StatefulSet without volumes (brokers keep no state of their own).
 *
 * <p>The start script initializes the cluster metadata (idempotent since Pulsar 3.0) unless {@code spec.initialized} is
 * true, in the broker container itself, so that it runs with the mesh's network. Listeners for external access,
 * protocol handlers and Istio objects are not rendered here.
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

    private BrokerModel() {
    }

    /** Problems the schema cannot catch; when there are any, nothing is applied. */
    public static List<SpecProblem> validate(PulsarBroker pb) {
        PulsarBrokerSpec spec = pb.getSpec();
        List<SpecProblem> problems = new ArrayList<>();
        if (spec.getConfig() != null) {
            problems.addAll(ConfigFile.reservedKeys(spec.getConfig().getCustom(), "spec.config.custom", OWNED_KEYS,
                    List.of()));
        }
        if (isBlank(spec.getMetadataStoreUrl()) && isBlank(spec.getZkServers())) {
            problems.add(new SpecProblem(SpecProblem.MISSING_METADATA_STORE, "spec.zkServers",
                    "no metadata store: set spec.zkServers (for example my-zk:2181) or spec.metadataStoreUrl"));
        }
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
            if (anyProtocolHandler(c.getProtocolHandlers())) {
                n.check("spec.config.protocolHandlers", c.getProtocolHandlers());
            }
            if (c.getLoadManagerType() != null && loadManagerClassName(c.getLoadManagerType()) == null) {
                n.check("spec.config.loadManagerType", c.getLoadManagerType());
            }
        }
        return n.fields();
    }

    static boolean anyProtocolHandler(ProtocolHandlers h) {
        return h != null && ((h.getKop() != null && Boolean.TRUE.equals(h.getKop().getEnabled()))
                || (h.getMop() != null && Boolean.TRUE.equals(h.getMop().getEnabled()))
                || (h.getAop() != null && Boolean.TRUE.equals(h.getAop().getEnabled())));
    }

    /** Every object of the brokers, in the order they are applied. */
    public static List<HasMetadata> desired(PulsarBroker pb, ModelSettings settings) {
        ConfigMap cm = configMap(pb);
        return List.of(cm, headlessService(pb), clientService(pb), podDisruptionBudget(pb),
                statefulSet(pb, settings, PodTemplates.hash(cm.getData())));
    }

    public static int replicas(PulsarBroker pb) {
        return pb.getSpec().getReplicas() != null ? pb.getSpec().getReplicas() : 3;
    }

    static Map<String, String> labels(PulsarBroker pb) {
        return Labels.objectLabels(Labels.BROKER, pb.getMetadata().getName(), pb.getSpec().getLabels());
    }

    public static Map<String, String> selector(PulsarBroker pb) {
        return Labels.selector(Labels.BROKER, pb.getMetadata().getName());
    }

    public static boolean tlsEnabled(PulsarBroker pb) {
        return pb.getSpec().getTls() != null && Boolean.TRUE.equals(pb.getSpec().getTls().getEnabled());
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

    static String startScript(PulsarBroker pb) {
        StringBuilder s = new StringBuilder(Scripts.header());
        s.append("""
                conf=/pulsar/conf/%2$s
                overrides=/tmp/%2$s
                cat %1$s/%2$s > "$overrides"
                echo "advertisedAddress=%3$s" >> "$overrides"
                merge_config "$conf" "$overrides"
                mkdir -p "$(dirname %4$s)"
                echo OK > %4$s
                """.formatted(Scripts.OPERATOR_DIR, CONF_FILE, advertisedAddress(pb), STATUS_FILE));
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
        return PodTemplates.configMap(pb, Names.broker(pb.getMetadata().getName()), labels(pb), CONF_FILE, config(pb),
                startScript(pb), pb.getSpec().getLogConfig());
    }

    static List<ServicePort> ports(PulsarBroker pb) {
        return PulsarServices.ports(tlsEnabled(pb));
    }

    public static Service headlessService(PulsarBroker pb) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(pb, Names.brokerHeadless(pb.getMetadata().getName()), labels(pb)))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(selector(pb)).withPorts(ports(pb)).endSpec()
                .build();
    }

    public static Service clientService(PulsarBroker pb) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(pb, Names.broker(pb.getMetadata().getName()), labels(pb)))
                .withNewSpec().withType("ClusterIP").withSelector(selector(pb)).withPorts(ports(pb)).endSpec()
                .build();
    }

    public static PodDisruptionBudget podDisruptionBudget(PulsarBroker pb) {
        return Workloads.podDisruptionBudget(pb, Names.broker(pb.getMetadata().getName()), labels(pb), selector(pb));
    }

    public static StatefulSet statefulSet(PulsarBroker pb, ModelSettings settings, String configHash) {
        String name = pb.getMetadata().getName();
        ServicePodPolicy pod = pb.getSpec().getPod();
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(PodTemplates.configMount());
        List<Volume> volumes = new ArrayList<>();
        if (tlsEnabled(pb)) {
            PulsarServices.mountCerts(pb.getSpec().getTls().getCertSecretName(), volumes, mounts);
        }
        volumes.addAll(JvmEnv.secretVolumes(pod));
        mounts.addAll(JvmEnv.secretMounts(pod));
        return new StatefulSetBuilder()
                .withMetadata(Meta.owned(pb, Names.broker(name), labels(pb)))
                .withNewSpec()
                .withReplicas(replicas(pb))
                .withServiceName(Names.brokerHeadless(name))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(selector(pb)).endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withMinReadySeconds(pod != null ? pod.getMinReadySeconds() : null)
                .withNewTemplate()
                .withMetadata(PodTemplates.podMeta(pod, labels(pb), configHash))
                .withSpec(PodTemplates.podSpec(pod, settings, selector(pb), Names.broker(name),
                        PulsarServices.container(Labels.BROKER, pb.getSpec(), pod, ports(pb), settings, mounts), volumes))
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
