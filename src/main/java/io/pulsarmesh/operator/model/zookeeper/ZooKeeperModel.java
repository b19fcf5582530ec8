package io.pulsarmesh.operator.model.zookeeper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulsarmesh.operator.api.common.v1alpha1.ReclaimPolicy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterSpec;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperConfig;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperPersistence;
import io.pulsarmesh.operator.model.common.ConfigFile;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Meta;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.NotActedOn;
import io.pulsarmesh.operator.model.common.PodTemplates;
import io.pulsarmesh.operator.model.common.Scripts;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.common.Workloads;
import io.pulsarmesh.operator.model.istio.IstioPolicies;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.MeshEnrollment;
import io.fabric8.istio.api.api.security.v1beta1.Rule;

/**
 * Desired state of a ZooKeeper ensemble: a ConfigMap (zookeeper.conf overrides and the start script), a headless
 * Service that gives every server a stable DNS name (published before readiness, so the quorum can form), a client
 * Service {@code <name>-zk}, a PodDisruptionBudget and a StatefulSet.
 *
 * <p>The server list is rendered from {@code replicas}; {@code quorumListenOnAllIPs=true} keeps the quorum working
 * behind an Istio sidecar (which forwards inbound traffic to the pod IP or localhost).
 */
public final class ZooKeeperModel {
    public static final int CLIENT_PORT = 2181;
    public static final int QUORUM_PORT = 2888;
    public static final int ELECTION_PORT = 3888;
    public static final int METRICS_PORT = 8000;
    public static final int ADMIN_PORT = 9990;
    public static final String CONF_FILE = "zookeeper.conf";
    public static final String DATA_DIR = "/pulsar/data/zookeeper";
    public static final String DATA_LOG_DIR = "/pulsar/data-log/zookeeper";

    static final Set<String> OWNED_KEYS = Set.of("clientPort", "dataDir", "dataLogDir", "admin.serverPort",
            "admin.enableServer", "metricsProvider.httpPort", "quorumListenOnAllIPs", "standaloneEnabled",
            "reconfigEnabled", "secureClientPort");
    static final List<String> OWNED_PREFIXES = List.of("server.");

    private ZooKeeperModel() {
    }

    /** Problems the schema cannot catch; when there are any, nothing is applied. */
    public static List<SpecProblem> validate(ZooKeeperCluster zk) {
        ZooKeeperClusterSpec spec = zk.getSpec();
        List<SpecProblem> problems = new ArrayList<>();
        if (spec.getConfig() != null) {
            problems.addAll(ConfigFile.reservedKeys(spec.getConfig().getCustom(), "spec.config.custom", OWNED_KEYS,
                    OWNED_PREFIXES));
        }
        problems.addAll(ConfigFile.reservedKeys(spec.getConf(), "spec.conf", OWNED_KEYS, OWNED_PREFIXES));
        return problems;
    }

    /** Accepted fields that are not acted on yet. */
    public static List<String> notActedOn(ZooKeeperCluster zk) {
        return NotActedOn.of(zk.getSpec())
                .noGateway(zk.getSpec().getIstio(), "only brokers have a gateway")
                .check("spec.networking", zk.getSpec().getNetworking())
                .check("spec.advancedOptions", zk.getSpec().getAdvancedOptions())
                .fields();
    }

    /** Every object of the ensemble, in the order they are applied. */
    public static List<HasMetadata> desired(ZooKeeperCluster zk, ModelSettings settings) {
        return desired(zk, settings, Mesh.of(zk.getSpec().getIstio()));
    }

    /** Every object of the ensemble in the given mesh, in the order they are applied. */
    public static List<HasMetadata> desired(ZooKeeperCluster zk, ModelSettings settings, Mesh mesh) {
        ConfigMap cm = configMap(zk);
        List<HasMetadata> out = new ArrayList<>(List.of(cm, headlessService(zk), clientService(zk),
                podDisruptionBudget(zk), statefulSet(zk, settings, PodTemplates.hash(cm.getData()), mesh)));
        out.addAll(istioObjects(zk, settings, mesh));
        return out;
    }

    /**
     * PeerAuthentication, DestinationRules and AuthorizationPolicy. The policy admits clients on 2181, the servers
     * themselves (their service account) on the quorum and election ports, and the operator on the client, metrics
     * and admin ports.
     */
    public static List<HasMetadata> istioObjects(ZooKeeperCluster zk, ModelSettings settings, Mesh mesh) {
        String name = zk.getMetadata().getName();
        String ns = zk.getMetadata().getNamespace();
        String account = PodTemplates.serviceAccount(zk.getSpec().getPod());
        List<Rule> rules = new ArrayList<>(List.of(
                IstioPolicies.peers(mesh, ns, List.of(CLIENT_PORT)),
                IstioPolicies.rule(List.of(mesh.principal(ns, account)), List.of(), List.of(QUORUM_PORT, ELECTION_PORT)),
                IstioPolicies.operator(mesh, settings.identities().operator(),
                        List.of(CLIENT_PORT, METRICS_PORT, ADMIN_PORT))));
        rules.addAll(IstioPolicies.scrapers(mesh, settings.identities().metricsScrapers(), List.of(METRICS_PORT)));
        return IstioPolicies.objects(zk, Names.zk(name), labels(zk), selector(zk),
                List.of(Names.zk(name), Names.zkHeadless(name)), rules, mesh);
    }

    public static int replicas(ZooKeeperCluster zk) {
        return zk.getSpec().getReplicas() != null ? zk.getSpec().getReplicas() : 3;
    }

    /** host:port list of all servers, for clients that want the ensemble rather than the Service. */
    public static String connectString(ZooKeeperCluster zk) {
        return Names.zk(zk.getMetadata().getName()) + ":" + CLIENT_PORT;
    }

    static Map<String, String> labels(ZooKeeperCluster zk) {
        return Labels.objectLabels(Labels.ZOOKEEPER, zk, zk.getSpec().getLabels());
    }

    public static Map<String, String> selector(ZooKeeperCluster zk) {
        return Labels.selector(Labels.ZOOKEEPER, zk.getMetadata().getName());
    }

    /** zookeeper.conf keys the operator sets. */
    public static ConfigFile config(ZooKeeperCluster zk) {
        String name = zk.getMetadata().getName();
        String ns = zk.getMetadata().getNamespace();
        ZooKeeperConfig c = zk.getSpec().getConfig() != null ? zk.getSpec().getConfig() : new ZooKeeperConfig();
        ConfigFile f = new ConfigFile()
                .put("tickTime", c.getTickTime() != null ? c.getTickTime() : 2000)
                .put("initLimit", c.getInitLimit() != null ? c.getInitLimit() : 10)
                .put("syncLimit", c.getSyncLimit() != null ? c.getSyncLimit() : 5)
                .put("snapCount", c.getSnapCount())
                .put("maxClientCnxns", c.getMaxClientCnxns() != null ? c.getMaxClientCnxns() : 0)
                .put("globalOutstandingLimit", c.getGlobalOutstandingLimit())
                .put("serverCnxnFactory", c.getServerCnxnFactory())
                .put("clientPort", CLIENT_PORT)
                .put("dataDir", DATA_DIR)
                .put("dataLogDir", hasDataLogVolume(zk) ? DATA_LOG_DIR : DATA_DIR)
                .put("admin.enableServer", "true")
                .put("admin.serverPort", ADMIN_PORT)
                .put("metricsProvider.className", "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider")
                .put("metricsProvider.httpPort", METRICS_PORT)
                .put("quorumListenOnAllIPs", "true")
                .put("reconfigEnabled", "false")
                .put("standaloneEnabled", replicas(zk) == 1 ? "true" : "false")
                .put("autopurge.snapRetainCount", 3)
                .put("autopurge.purgeInterval", 1);
        String sts = Names.zk(name);
        String headless = Names.zkHeadless(name);
        for (int i = 0; i < replicas(zk); i++) {
            f.put("server." + (i + 1), Names.podFqdn(sts, i, headless, ns) + ":" + QUORUM_PORT + ":" + ELECTION_PORT
                    + ";" + CLIENT_PORT);
        }
        f.putAll(zk.getSpec().getConf());
        f.putAll(c.getCustom());
        return f;
    }

    static String startScript() {
        return Scripts.header() + """
                conf=/pulsar/conf/zookeeper.conf
                merge_config "$conf" %1$s/%2$s
                mkdir -p %3$s "$(grep '^dataLogDir=' "$conf" | tail -n1 | cut -d= -f2)"
                echo $((ordinal + 1)) > %3$s/myid
                export PULSAR_ZK_CONF="$conf"
                exec bin/pulsar zookeeper
                """.formatted(Scripts.OPERATOR_DIR, CONF_FILE, DATA_DIR);
    }

    public static ConfigMap configMap(ZooKeeperCluster zk) {
        return PodTemplates.configMap(zk, Names.zk(zk.getMetadata().getName()), labels(zk), CONF_FILE, config(zk),
                startScript(), zk.getSpec().getLogConfig());
    }

    static List<ServicePort> ports(boolean headless) {
        List<ServicePort> ports = new ArrayList<>();
        ports.add(Workloads.servicePort("tcp-client", CLIENT_PORT));
        if (headless) {
            ports.add(Workloads.servicePort("tcp-quorum", QUORUM_PORT));
            ports.add(Workloads.servicePort("tcp-election", ELECTION_PORT));
        }
        ports.add(Workloads.servicePort("http-metrics", METRICS_PORT));
        ports.add(Workloads.servicePort("http-admin", ADMIN_PORT));
        return ports;
    }

    public static Service headlessService(ZooKeeperCluster zk) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(zk, Names.zkHeadless(zk.getMetadata().getName()), labels(zk)))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(selector(zk)).withPorts(ports(true)).endSpec()
                .build();
    }

    public static Service clientService(ZooKeeperCluster zk) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(zk, Names.zk(zk.getMetadata().getName()), labels(zk)))
                .withNewSpec().withType("ClusterIP").withSelector(selector(zk)).withPorts(ports(false)).endSpec()
                .build();
    }

    /** At most one server down at a time: with 3 servers the quorum (2) survives a voluntary eviction. */
    public static PodDisruptionBudget podDisruptionBudget(ZooKeeperCluster zk) {
        return Workloads.podDisruptionBudget(zk, Names.zk(zk.getMetadata().getName()), labels(zk), selector(zk));
    }

    static boolean hasDataLogVolume(ZooKeeperCluster zk) {
        ZooKeeperPersistence p = zk.getSpec().getPersistence();
        return p != null && p.getDataLog() != null;
    }

    static boolean deleteVolumes(ZooKeeperCluster zk) {
        ZooKeeperPersistence p = zk.getSpec().getPersistence();
        return p != null && ReclaimPolicy.DELETE.equals(p.getReclaimPolicy());
    }

    static Container container(ZooKeeperCluster zk, ModelSettings settings, List<VolumeMount> mounts) {
        List<ContainerPort> ports = List.of(
                Workloads.containerPort("tcp-client", CLIENT_PORT), Workloads.containerPort("tcp-quorum", QUORUM_PORT),
                Workloads.containerPort("tcp-election", ELECTION_PORT), Workloads.containerPort("http-metrics", METRICS_PORT),
                Workloads.containerPort("http-admin", ADMIN_PORT));
        Probe ready = new ProbeBuilder().withNewExec()
                .withCommand("bash", "-c", "echo srvr | nc -w 2 127.0.0.1 " + CLIENT_PORT + " | grep -q '^Mode:'")
                .endExec().withInitialDelaySeconds(5).withPeriodSeconds(10).withTimeoutSeconds(5)
                .withFailureThreshold(3).build();
        Probe live = new ProbeBuilder().withNewHttpGet().withPath("/commands/ruok").withPort(new IntOrString(ADMIN_PORT))
                .endHttpGet().withInitialDelaySeconds(30).withPeriodSeconds(15).withTimeoutSeconds(5)
                .withFailureThreshold(6).build();
        List<io.fabric8.kubernetes.api.model.EnvVar> env = new ArrayList<>(PodTemplates.podIdentityEnv());
        env.add(PodTemplates.env("PULSAR_MEM", "-XX:InitialRAMPercentage=40 -XX:MaxRAMPercentage=40"));
        env.addAll(PodTemplates.logEnv(zk.getSpec().getLogConfig()));
        return new ContainerBuilder()
                .withName(Labels.ZOOKEEPER)
                .withImage(PodTemplates.image(zk.getSpec(), settings))
                .withImagePullPolicy(PodTemplates.pullPolicy(zk.getSpec()))
                .withCommand("bash", Scripts.OPERATOR_DIR + "/" + Scripts.START_SCRIPT)
                .withPorts(ports)
                .withEnv(env)
                .withResources(zk.getSpec().getPod() != null ? zk.getSpec().getPod().getResources() : null)
                .withReadinessProbe(ready)
                .withLivenessProbe(live)
                .withSecurityContext(PodTemplates.containerSecurity())
                .withVolumeMounts(mounts)
                .build();
    }

    public static StatefulSet statefulSet(ZooKeeperCluster zk, ModelSettings settings, String configHash) {
        return statefulSet(zk, settings, configHash, Mesh.of(zk.getSpec().getIstio()));
    }

    public static StatefulSet statefulSet(ZooKeeperCluster zk, ModelSettings settings, String configHash, Mesh mesh) {
        String name = zk.getMetadata().getName();
        ZooKeeperPersistence persistence = zk.getSpec().getPersistence();
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(PodTemplates.configMount());
        List<Volume> volumes = new ArrayList<>();
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        if (persistence != null && persistence.getData() != null) {
            claims.add(claim("data", persistence.getData(), selector(zk)));
        } else {
            volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
        }
        mounts.add(new VolumeMountBuilder().withName("data").withMountPath("/pulsar/data").build());
        if (hasDataLogVolume(zk)) {
            claims.add(claim("datalog", persistence.getDataLog(), selector(zk)));
            mounts.add(new VolumeMountBuilder().withName("datalog").withMountPath("/pulsar/data-log").build());
        }
        return new StatefulSetBuilder()
                .withMetadata(MeshEnrollment.annotate(Meta.owned(zk, Names.zk(name), labels(zk)), mesh))
                .withNewSpec()
                .withReplicas(replicas(zk))
                .withServiceName(Names.zkHeadless(name))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(selector(zk)).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withMinReadySeconds(zk.getSpec().getPod() != null ? zk.getSpec().getPod().getMinReadySeconds() : null)
                .withNewTemplate()
                .withMetadata(PodTemplates.podMeta(zk.getSpec().getPod(), labels(zk), configHash, mesh))
                .withSpec(PodTemplates.podSpec(zk.getSpec().getPod(), settings, selector(zk), Names.zk(name),
                        container(zk, settings, mounts), volumes))
                .endTemplate()
                .withVolumeClaimTemplates(claims)
                .withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted(deleteVolumes(zk) ? "Delete" : "Retain").withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .endSpec()
                .build();
    }

    static PersistentVolumeClaim claim(String name, io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec spec,
            Map<String, String> labels) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withSpec(spec).build();
    }
}
