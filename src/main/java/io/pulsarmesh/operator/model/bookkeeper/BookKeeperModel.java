package io.pulsarmesh.operator.model.bookkeeper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
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
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.AutoRecovery;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperClusterSpec;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperConfig;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperStorage;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;
import io.pulsarmesh.operator.api.common.v1alpha1.ReclaimPolicy;
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
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.pulsarmesh.operator.model.istio.IstioPolicies;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.MeshEnrollment;

/**
 * Desired state of a BookKeeper cluster: a ConfigMap (bookkeeper.conf overrides and the start script), a headless
 * Service {@code <name>-bookie-headless}, a client Service {@code <name>-bookie}, a PodDisruptionBudget, the bookie
 * StatefulSet and, unless {@code autoRecovery.replicas <= 0}, a ConfigMap and StatefulSet of auto-recovery workers
 * {@code <name>-bookie-recovery}.
 *
 * <p><b>Identity.</b> A bookie writes a cookie (its identity plus its directories) to its disks and to the metadata
 * store; a bookie whose identity changes no longer matches its cookie and refuses to start, or, worse, is taken for a
 * new bookie while its data is unreachable (apache/bookkeeper#515, #2382). The identity is therefore never the pod IP:
 * with the default {@code UseHostNameAsBookieID} it is the pod's host name
 * {@code <name>-bookie-<i>.<name>-bookie-headless.<ns>.svc.cluster.local}, which the StatefulSet gives back to the same
 * ordinal after every restart or reschedule. The headless Service publishes not-ready addresses, so the name resolves
 * before the bookie is ready (it must, to register and to pass its readiness check). With {@code HostNamePort} the
 * start script sets {@code bookieId=<host FQDN>:3181} (BP-41) and {@code useHostNameAsBookieID=false}. The policy the
 * StatefulSet was created with is recorded in the {@link Labels#BOOKIE_ID_POLICY_ANNOTATION} annotation, and
 * {@link #validate(BookKeeperCluster, String)} refuses to change it in place.
 *
 * <p><b>Volumes.</b> Each of {@code storage.journal.numVolumes} (and ledger) volumes is a claim template
 * {@code journal-<v>} ({@code ledger-<v>}, v from 0) mounted at {@code /pulsar/data/bookkeeper/journal-<v>}, holding
 * {@code numDirsPerVolume} directories {@code dir-<d>}. Claims are retained when the custom resource is deleted or the
 * StatefulSet scaled down, unless {@code storage.reclaimPolicy: Delete}: a bookie's ledgers may be the only copy.
 * Without a claim template a volume is an emptyDir (data lost with the pod: for tests only).
 *
 * <p><b>Metadata.</b> Unless {@code initialized: true}, each bookie creates the BookKeeper metadata once
 * ({@code initnewcluster}) from its main container, guarded by {@code whatisinstanceid} so that restarts and
 * concurrent bookies are harmless; there is no init container and no Job, which would run without network under an
 * Istio sidecar.
 *
 * <p>HTTP and metrics share port 8000: with the bookie's HTTP server enabled, the Prometheus provider serves its
 * metrics through it rather than opening its own server.
 */
public final class BookKeeperModel {
    public static final int BOOKIE_PORT = 3181;
    public static final int HTTP_PORT = 8000;
    public static final String CONF_FILE = "bookkeeper.conf";
    public static final String DATA_ROOT = "/pulsar/data/bookkeeper";
    public static final String JOURNAL = "journal";
    public static final String LEDGER = "ledger";

    public static final String USE_HOST_NAME = "UseHostNameAsBookieID";
    public static final String HOST_NAME_PORT = "HostNamePort";

    static final Set<String> OWNED_KEYS = Set.of("bookiePort", "journalDirectories", "journalDirectory",
            "ledgerDirectories", "indexDirectories", "metadataServiceUri", "zkServers", "zkLedgersRootPath",
            "httpServerEnabled", "httpServerPort", "prometheusStatsHttpPort", "useHostNameAsBookieID", "bookieId",
            "advertisedAddress", "autoRecoveryDaemonEnabled");
    static final List<String> OWNED_PREFIXES = List.of();

    private BookKeeperModel() {
    }

    /** Problems the schema cannot catch; when there are any, nothing is applied. */
    public static List<SpecProblem> validate(BookKeeperCluster bk) {
        return validate(bk, null);
    }

    /**
     * As {@link #validate(BookKeeperCluster)}, and refuses a change of the bookie identity policy.
     *
     * @param existingBookieIdPolicy the {@link Labels#BOOKIE_ID_POLICY_ANNOTATION} annotation of the bookie
     *        StatefulSet in the cluster; {@code null} when there is none (a new cluster)
     */
    public static List<SpecProblem> validate(BookKeeperCluster bk, String existingBookieIdPolicy) {
        BookKeeperClusterSpec spec = bk.getSpec();
        List<SpecProblem> problems = new ArrayList<>();
        if (spec.getConfig() != null) {
            problems.addAll(ConfigFile.reservedKeys(spec.getConfig().getCustom(), "spec.config.custom", OWNED_KEYS,
                    OWNED_PREFIXES));
        }
        problems.addAll(ConfigFile.reservedKeys(spec.getConf(), "spec.conf", OWNED_KEYS, OWNED_PREFIXES));
        if (spec.getAutoRecovery() != null) {
            problems.addAll(ConfigFile.reservedKeys(spec.getAutoRecovery().getConf(), "spec.autoRecovery.conf",
                    OWNED_KEYS, OWNED_PREFIXES));
        }
        if (isBlank(spec.getZkServers()) && isBlank(spec.getMetadataServiceUri())) {
            problems.add(new SpecProblem(SpecProblem.MISSING_METADATA_STORE, "spec.zkServers",
                    "the bookies need a metadata store; set spec.zkServers (for example <zk>-zk:2181) or "
                            + "spec.metadataServiceUri"));
        }
        if (existingBookieIdPolicy != null) {
            String existing = normalizePolicy(existingBookieIdPolicy);
            String desired = bookieIdPolicy(bk);
            if (!existing.equals(desired)) {
                problems.add(new SpecProblem(SpecProblem.BOOKIE_ID_POLICY_CHANGED, "spec.config.bookieIDPolicy",
                        "the bookies run with bookie identity policy " + existing + ", not " + desired
                                + "; changing the bookie identity of a running cluster invalidates its cookies and "
                                + "loses access to its data; restore spec.config.bookieIDPolicy to " + existing));
            }
        }
        return problems;
    }

    /** Annotation on a BookKeeperCluster: ordinals of bookies decommissioned by the user, which a scale-down may remove. */
    public static final String DECOMMISSIONED_BOOKIES = "pulsarmesh.io/decommissioned-bookies";

    /**
     * Refuses a scale-down that would remove a bookie the user has not decommissioned: its ledgers may be the only
     * copy (a bookie holds ledger replicas until auto-recovery or {@code decommissionbookie} has copied them away).
     * The bookies a scale-down removes are the highest ordinals, {@code replicas} to {@code running - 1}; each must be
     * listed in {@value #DECOMMISSIONED_BOOKIES}.
     *
     * @param running the bookie StatefulSet's replicas in the cluster; {@code null} for a new cluster
     */
    public static Optional<SpecProblem> scaleDown(BookKeeperCluster bk, Integer running) {
        int desired = replicas(bk);
        if (running == null || desired >= running) {
            return Optional.empty();
        }
        Set<Integer> decommissioned = new java.util.TreeSet<>();
        Map<String, String> annotations = bk.getMetadata().getAnnotations();
        String listed = annotations != null ? annotations.get(DECOMMISSIONED_BOOKIES) : null;
        if (listed != null) {
            for (String part : listed.split(",")) {
                try {
                    decommissioned.add(Integer.parseInt(part.strip()));
                } catch (NumberFormatException e) {
                    // not an ordinal: ignored, and the bookie it meant stays
                }
            }
        }
        List<String> remaining = new ArrayList<>();
        for (int i = desired; i < running; i++) {
            if (!decommissioned.contains(i)) {
                remaining.add(Names.bookie(bk.getMetadata().getName()) + "-" + i);
            }
        }
        if (remaining.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SpecProblem(SpecProblem.BOOKIE_SCALE_DOWN_REFUSED, "spec.replicas",
                "scaling the bookies from " + running + " to " + desired + " would remove " + String.join(", ", remaining)
                        + ", whose ledgers may be the only copy; decommission each first (kubectl exec <pod> -- "
                        + "bin/bookkeeper shell decommissionbookie), then list their ordinals in the annotation "
                        + DECOMMISSIONED_BOOKIES + " (for example \"" + (running - 1) + "\") and scale down again"));
    }

    /** Accepted fields that are not acted on yet. */
    public static List<String> notActedOn(BookKeeperCluster bk) {
        BookKeeperClusterSpec spec = bk.getSpec();
        BookKeeperConfig c = spec.getConfig();
        AutoRecovery ar = spec.getAutoRecovery();
        return NotActedOn.of(spec)
                .noGateway(bk.getSpec().getIstio(), "only brokers have a gateway")
                .check("spec.config.streamStorage", c != null ? c.getStreamStorage() : null)
                .check("spec.config.rackAwareTopologyLabels", c != null ? c.getRackAwareTopologyLabels() : null)
                .check("spec.autoRecovery.autoScalingPolicy", ar != null ? ar.getAutoScalingPolicy() : null)
                .check("spec.autoRecovery.decommissionDelayTime", ar != null ? ar.getDecommissionDelayTime() : null)
                .fields();
    }

    /**
     * Every object of the cluster, in the order they are applied. Without auto-recovery the list has no auto-recovery
     * objects; deleting ones left from an earlier spec is the caller's job.
     */
    public static List<HasMetadata> desired(BookKeeperCluster bk, ModelSettings settings) {
        return desired(bk, settings, Mesh.of(bk.getSpec().getIstio()));
    }

    /** Every object of the cluster in the given mesh, in the order they are applied. */
    public static List<HasMetadata> desired(BookKeeperCluster bk, ModelSettings settings, Mesh mesh) {
        ConfigMap cm = configMap(bk);
        List<HasMetadata> objects = new ArrayList<>(List.of(cm, headlessService(bk), clientService(bk),
                podDisruptionBudget(bk), statefulSet(bk, settings, PodTemplates.hash(cm.getData()), mesh)));
        if (autoRecoveryEnabled(bk)) {
            ConfigMap arCm = autoRecoveryConfigMap(bk);
            objects.add(arCm);
            objects.add(autoRecoveryStatefulSet(bk, settings, PodTemplates.hash(arCm.getData()), mesh));
        }
        objects.addAll(istioObjects(bk, settings, mesh));
        return objects;
    }

    /**
     * Istio objects of the bookies (clients on 3181, the operator on 3181 and 8000) and, with auto-recovery, of its
     * workers (which serve only their metrics: the operator on 8000).
     */
    public static List<HasMetadata> istioObjects(BookKeeperCluster bk, ModelSettings settings, Mesh mesh) {
        String name = bk.getMetadata().getName();
        String ns = bk.getMetadata().getNamespace();
        String operator = settings.identities().operator();
        List<HasMetadata> out = new ArrayList<>(IstioPolicies.objects(bk, Names.bookie(name), labels(bk), selector(bk),
                List.of(Names.bookie(name), Names.bookieHeadless(name)),
                withScrapers(mesh, settings, List.of(IstioPolicies.peers(mesh, ns, List.of(BOOKIE_PORT)),
                        IstioPolicies.operator(mesh, operator, List.of(BOOKIE_PORT, HTTP_PORT)))),
                mesh));
        if (autoRecoveryEnabled(bk)) {
            out.addAll(IstioPolicies.objects(bk, Names.autoRecovery(name), autoRecoveryLabels(bk),
                    autoRecoverySelector(bk), List.of(),
                    withScrapers(mesh, settings, List.of(IstioPolicies.operator(mesh, operator, List.of(HTTP_PORT)))),
                    mesh));
        }
        return out;
    }

    private static List<Rule> withScrapers(Mesh mesh, ModelSettings settings, List<Rule> rules) {
        List<Rule> all = new ArrayList<>(rules);
        all.addAll(IstioPolicies.scrapers(mesh, settings.identities().metricsScrapers(), List.of(HTTP_PORT)));
        return all;
    }

    public static int replicas(BookKeeperCluster bk) {
        return bk.getSpec().getReplicas() != null ? bk.getSpec().getReplicas() : 3;
    }

    /** Auto-recovery workers: 1 unless set; 0 or less disables them. */
    public static int autoRecoveryReplicas(BookKeeperCluster bk) {
        AutoRecovery ar = bk.getSpec().getAutoRecovery();
        return ar != null && ar.getReplicas() != null ? ar.getReplicas() : 1;
    }

    public static boolean autoRecoveryEnabled(BookKeeperCluster bk) {
        return autoRecoveryReplicas(bk) > 0;
    }

    /** The bookie identity policy, empty or unset meaning {@value #USE_HOST_NAME}. */
    public static String bookieIdPolicy(BookKeeperCluster bk) {
        BookKeeperConfig c = bk.getSpec().getConfig();
        return normalizePolicy(c != null ? c.getBookieIDPolicy() : null);
    }

    static String normalizePolicy(String policy) {
        return isBlank(policy) ? USE_HOST_NAME : policy;
    }

    /** The metadata service URI: spec.metadataServiceUri, else the ZooKeeper servers' {@code /ledgers}. */
    public static String metadataServiceUri(BookKeeperCluster bk) {
        BookKeeperClusterSpec spec = bk.getSpec();
        if (!isBlank(spec.getMetadataServiceUri())) {
            return spec.getMetadataServiceUri();
        }
        if (isBlank(spec.getZkServers())) {
            return null;
        }
        return "zk+hierarchical://" + spec.getZkServers().replaceAll("\\s", "").replace(',', ';') + "/ledgers";
    }

    static Map<String, String> labels(BookKeeperCluster bk) {
        return Labels.objectLabels(Labels.BOOKIE, bk, bk.getSpec().getLabels());
    }

    public static Map<String, String> selector(BookKeeperCluster bk) {
        return Labels.selector(Labels.BOOKIE, bk.getMetadata().getName());
    }

    static Map<String, String> autoRecoveryLabels(BookKeeperCluster bk) {
        return Labels.objectLabels(Labels.AUTO_RECOVERY, bk, bk.getSpec().getLabels());
    }

    public static Map<String, String> autoRecoverySelector(BookKeeperCluster bk) {
        return Labels.selector(Labels.AUTO_RECOVERY, bk.getMetadata().getName());
    }

    static BookKeeperStorage.Volumes volumes(BookKeeperCluster bk, String kind) {
        BookKeeperStorage s = bk.getSpec().getStorage();
        BookKeeperStorage.Volumes v = s == null ? null : JOURNAL.equals(kind) ? s.getJournal() : s.getLedger();
        return v != null ? v : new BookKeeperStorage.Volumes();
    }

    static int numVolumes(BookKeeperStorage.Volumes v) {
        return v.getNumVolumes() != null ? v.getNumVolumes() : 1;
    }

    static int numDirsPerVolume(BookKeeperStorage.Volumes v) {
        return v.getNumDirsPerVolume() != null ? v.getNumDirsPerVolume() : 1;
    }

    /** Name of volume {@code v} of {@code kind} (journal or ledger): journal-0, ledger-1. */
    static String volumeName(String kind, int v) {
        return kind + "-" + v;
    }

    static String mountPath(String kind, int v) {
        return DATA_ROOT + "/" + volumeName(kind, v);
    }

    /** Directories of {@code kind}: numDirsPerVolume directories on each of numVolumes volumes. */
    public static List<String> directories(BookKeeperCluster bk, String kind) {
        BookKeeperStorage.Volumes vols = volumes(bk, kind);
        List<String> dirs = new ArrayList<>();
        for (int v = 0; v < numVolumes(vols); v++) {
            for (int d = 0; d < numDirsPerVolume(vols); d++) {
                dirs.add(mountPath(kind, v) + "/dir-" + d);
            }
        }
        return dirs;
    }

    /** bookkeeper.conf keys the operator sets for the bookies. */
    public static ConfigFile config(BookKeeperCluster bk) {
        BookKeeperClusterSpec spec = bk.getSpec();
        BookKeeperConfig c = spec.getConfig() != null ? spec.getConfig() : new BookKeeperConfig();
        ConfigFile f = new ConfigFile()
                .put("bookiePort", BOOKIE_PORT)
                .put("httpServerEnabled", "true")
                .put("httpServerPort", HTTP_PORT)
                .put("prometheusStatsHttpPort", HTTP_PORT)
                .put("statsProviderClass", "org.apache.bookkeeper.stats.prometheus.PrometheusMetricsProvider")
                .put("metadataServiceUri", metadataServiceUri(bk))
                .put("useHostNameAsBookieID", HOST_NAME_PORT.equals(bookieIdPolicy(bk)) ? "false" : "true")
                .put("journalDirectories", String.join(",", directories(bk, JOURNAL)))
                .put("ledgerDirectories", String.join(",", directories(bk, LEDGER)))
                .put("autoRecoveryDaemonEnabled", "false")
                .put("gcWaitTime", c.getGcWaitTime())
                .put("compactionRateByBytes", c.getCompactionRateByBytes())
                .put("isThrottleByBytes", c.getIsThrottleByBytes())
                .put("journalFormatVersionToWrite", c.getJournalFormatVersionToWrite())
                .put("fileInfoFormatVersionToWrite", c.getFileInfoFormatVersionToWrite())
                .put("journalMaxBackups", c.getJournalMaxBackups())
                .put("persistBookieStatusEnabled", c.getPersistBookieStatusEnabled())
                .put("useTransactionalCompaction", c.getUseTransactionalCompaction());
        f.putAll(spec.getConf());
        f.putAll(c.getCustom());
        return f;
    }

    /** bookkeeper.conf keys of the auto-recovery workers: the bookies' keys, the auditor settings, autoRecovery.conf. */
    public static ConfigFile autoRecoveryConfig(BookKeeperCluster bk) {
        AutoRecovery ar = bk.getSpec().getAutoRecovery() != null ? bk.getSpec().getAutoRecovery() : new AutoRecovery();
        ConfigFile f = config(bk)
                .put("auditorPeriodicBookieCheckInterval", ar.getBookieCheckTaskInterval())
                .put("auditorPeriodicCheckInterval", ar.getAllLedgerCheckTaskInterval())
                .put("lostBookieRecoveryDelay", ar.getLostCheckDelayTime());
        f.putAll(ar.getConf());
        return f;
    }

    static String startScript(BookKeeperCluster bk) {
        StringBuilder sb = new StringBuilder(Scripts.header());
        sb.append("conf=/pulsar/conf/").append(CONF_FILE).append('\n');
        String overrides = Scripts.OPERATOR_DIR + "/" + CONF_FILE;
        if (HOST_NAME_PORT.equals(bookieIdPolicy(bk))) {
            // The bookie id needs the host name, known only in the pod: add it to a copy of the overrides. The
            // assignment stops the script (set -e) if hostname fails; an empty name would be an identity too.
            sb.append("host=\"$(hostname -f)\"\n")
                    .append("[ -n \"$host\" ] || { echo \"no host name for the bookie id\" >&2; exit 1; }\n")
                    .append("overrides=\"$(mktemp)\"\n")
                    .append("cat ").append(overrides).append(" > \"$overrides\"\n")
                    .append("echo \"bookieId=$host:").append(BOOKIE_PORT).append("\" >> \"$overrides\"\n")
                    .append("merge_config \"$conf\" \"$overrides\"\n")
                    .append("rm -f \"$overrides\"\n");
        } else {
            sb.append("merge_config \"$conf\" ").append(overrides).append('\n');
        }
        List<String> dirs = new ArrayList<>(directories(bk, JOURNAL));
        dirs.addAll(directories(bk, LEDGER));
        sb.append("mkdir -p ").append(String.join(" ", dirs)).append('\n');
        sb.append("export BOOKIE_CONF=\"$conf\" PULSAR_BOOKKEEPER_CONF=\"$conf\"\n");
        if (!Boolean.TRUE.equals(bk.getSpec().getInitialized())) {
            // Creates the BookKeeper metadata once; whatisinstanceid succeeds as soon as it exists.
            sb.append("until bin/bookkeeper shell whatisinstanceid >/dev/null 2>&1; do\n")
                    .append("  bin/bookkeeper shell initnewcluster || sleep 5\n")
                    .append("done\n");
        }
        sb.append("exec bin/pulsar bookie\n");
        return sb.toString();
    }

    static String autoRecoveryStartScript() {
        return Scripts.header() + """
                conf=/pulsar/conf/%2$s
                merge_config "$conf" %1$s/%2$s
                export BOOKIE_CONF="$conf" PULSAR_BOOKKEEPER_CONF="$conf"
                exec bin/bookkeeper autorecovery
                """.formatted(Scripts.OPERATOR_DIR, CONF_FILE);
    }

    public static ConfigMap configMap(BookKeeperCluster bk) {
        return PodTemplates.configMap(bk, Names.bookie(bk.getMetadata().getName()), labels(bk), CONF_FILE, config(bk),
                startScript(bk), bk.getSpec().getLogConfig());
    }

    public static ConfigMap autoRecoveryConfigMap(BookKeeperCluster bk) {
        return PodTemplates.configMap(bk, Names.autoRecovery(bk.getMetadata().getName()), autoRecoveryLabels(bk),
                CONF_FILE, autoRecoveryConfig(bk),
                autoRecoveryStartScript(), bk.getSpec().getLogConfig());
    }

    static List<ServicePort> ports() {
        return List.of(Workloads.servicePort("tcp-bookie", BOOKIE_PORT), Workloads.servicePort("http-metrics", HTTP_PORT));
    }

    /** Gives every bookie its stable name, published before readiness (the bookie needs it to start). */
    public static Service headlessService(BookKeeperCluster bk) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(bk, Names.bookieHeadless(bk.getMetadata().getName()), labels(bk)))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(selector(bk)).withPorts(ports()).endSpec()
                .build();
    }

    public static Service clientService(BookKeeperCluster bk) {
        return new ServiceBuilder()
                .withMetadata(Meta.owned(bk, Names.bookie(bk.getMetadata().getName()), labels(bk)))
                .withNewSpec().withType("ClusterIP").withSelector(selector(bk)).withPorts(ports()).endSpec()
                .build();
    }

    /** At most one bookie down at a time, so that a voluntary eviction never takes out two copies of a ledger. */
    public static PodDisruptionBudget podDisruptionBudget(BookKeeperCluster bk) {
        return Workloads.podDisruptionBudget(bk, Names.bookie(bk.getMetadata().getName()), labels(bk), selector(bk));
    }

    static boolean deleteVolumes(BookKeeperCluster bk) {
        BookKeeperStorage s = bk.getSpec().getStorage();
        return s != null && ReclaimPolicy.DELETE.equals(s.getReclaimPolicy());
    }

    static List<EnvVar> env(BookKeeperCluster bk) {
        List<EnvVar> env = new ArrayList<>(PodTemplates.podIdentityEnv());
        env.add(PodTemplates.env("PULSAR_MEM", "-XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=25"));
        env.addAll(PodTemplates.logEnv(bk.getSpec().getLogConfig()));
        return env;
    }

    static Probe httpProbe(String path) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(HTTP_PORT)).endHttpGet()
                .build();
    }

    static Container container(BookKeeperCluster bk, ModelSettings settings, List<VolumeMount> mounts) {
        Probe startup = new ProbeBuilder(httpProbe("/api/v1/bookie/is_ready")).withPeriodSeconds(10)
                .withTimeoutSeconds(5).withFailureThreshold(60).build();
        Probe ready = new ProbeBuilder(httpProbe("/api/v1/bookie/is_ready")).withPeriodSeconds(10)
                .withTimeoutSeconds(5).withFailureThreshold(3).build();
        Probe live = new ProbeBuilder(httpProbe("/api/v1/bookie/state")).withInitialDelaySeconds(30)
                .withPeriodSeconds(15).withTimeoutSeconds(5).withFailureThreshold(6).build();
        return new ContainerBuilder()
                .withName(Labels.BOOKIE)
                .withImage(PodTemplates.image(bk.getSpec(), settings))
                .withImagePullPolicy(PodTemplates.pullPolicy(bk.getSpec()))
                .withCommand("bash", Scripts.OPERATOR_DIR + "/" + Scripts.START_SCRIPT)
                .withPorts(Workloads.containerPort("tcp-bookie", BOOKIE_PORT), Workloads.containerPort("http-metrics", HTTP_PORT))
                .withEnv(env(bk))
                .withResources(bk.getSpec().getPod() != null ? bk.getSpec().getPod().getResources() : null)
                .withStartupProbe(startup)
                .withReadinessProbe(ready)
                .withLivenessProbe(live)
                .withSecurityContext(PodTemplates.containerSecurity())
                .withVolumeMounts(mounts)
                .build();
    }

    public static StatefulSet statefulSet(BookKeeperCluster bk, ModelSettings settings, String configHash) {
        return statefulSet(bk, settings, configHash, Mesh.of(bk.getSpec().getIstio()));
    }

    public static StatefulSet statefulSet(BookKeeperCluster bk, ModelSettings settings, String configHash, Mesh mesh) {
        String name = bk.getMetadata().getName();
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(PodTemplates.configMount());
        List<Volume> volumes = new ArrayList<>();
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (String kind : List.of(JOURNAL, LEDGER)) {
            BookKeeperStorage.Volumes vols = volumes(bk, kind);
            for (int v = 0; v < numVolumes(vols); v++) {
                String volume = volumeName(kind, v);
                if (vols.getVolumeClaimTemplate() != null) {
                    claims.add(claim(volume, vols, selector(bk)));
                } else {
                    volumes.add(new VolumeBuilder().withName(volume).withNewEmptyDir().endEmptyDir().build());
                }
                mounts.add(new VolumeMountBuilder().withName(volume).withMountPath(mountPath(kind, v)).build());
            }
        }
        ObjectMeta meta = Meta.owned(bk, Names.bookie(name), labels(bk));
        meta.setAnnotations(new LinkedHashMap<>(Map.of(Labels.BOOKIE_ID_POLICY_ANNOTATION, bookieIdPolicy(bk))));
        PodPolicy pod = bk.getSpec().getPod();
        return new StatefulSetBuilder()
                .withMetadata(MeshEnrollment.annotate(meta, mesh))
                .withNewSpec()
                .withReplicas(replicas(bk))
                .withServiceName(Names.bookieHeadless(name))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(selector(bk)).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withMinReadySeconds(pod != null ? pod.getMinReadySeconds() : null)
                .withNewTemplate()
                .withMetadata(PodTemplates.podMeta(pod, labels(bk), configHash, mesh))
                .withSpec(PodTemplates.podSpec(pod, settings, selector(bk), Names.bookie(name),
                        container(bk, settings, mounts), volumes))
                .endTemplate()
                .withVolumeClaimTemplates(claims)
                .withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted(deleteVolumes(bk) ? "Delete" : "Retain").withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .endSpec()
                .build();
    }

    /** Claim template of one volume: the selector labels (which win) over the user's, and the user's annotations. */
    static PersistentVolumeClaim claim(String name, BookKeeperStorage.Volumes vols, Map<String, String> selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = null;
        if (vols.getMetadata() != null) {
            if (vols.getMetadata().getLabels() != null) {
                labels.putAll(vols.getMetadata().getLabels());
            }
            if (vols.getMetadata().getAnnotations() != null) {
                annotations = new LinkedHashMap<>(vols.getMetadata().getAnnotations());
            }
        }
        labels.putAll(selector);
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .withSpec(vols.getVolumeClaimTemplate()).build();
    }

    static Container autoRecoveryContainer(BookKeeperCluster bk, ModelSettings settings) {
        AutoRecovery ar = bk.getSpec().getAutoRecovery();
        String image = ar != null && !isBlank(ar.getImage()) ? ar.getImage() : PodTemplates.image(bk.getSpec(), settings);
        Probe ready = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(HTTP_PORT)).endTcpSocket()
                .withInitialDelaySeconds(10).withPeriodSeconds(10).withTimeoutSeconds(5).withFailureThreshold(3)
                .build();
        PodPolicy pod = ar != null ? ar.getPod() : null;
        return new ContainerBuilder()
                .withName("autorecovery")
                .withImage(image)
                .withImagePullPolicy(PodTemplates.pullPolicy(bk.getSpec()))
                .withCommand("bash", Scripts.OPERATOR_DIR + "/" + Scripts.START_SCRIPT)
                .withPorts(Workloads.containerPort("http-metrics", HTTP_PORT))
                .withEnv(env(bk))
                .withResources(pod != null ? pod.getResources() : null)
                .withReadinessProbe(ready)
                .withSecurityContext(PodTemplates.containerSecurity())
                .withVolumeMounts(PodTemplates.configMount())
                .build();
    }

    /** Auto-recovery workers: stateless, so no volumes and no PodDisruptionBudget. */
    public static StatefulSet autoRecoveryStatefulSet(BookKeeperCluster bk, ModelSettings settings,
            String configHash) {
        return autoRecoveryStatefulSet(bk, settings, configHash, Mesh.of(bk.getSpec().getIstio()));
    }

    public static StatefulSet autoRecoveryStatefulSet(BookKeeperCluster bk, ModelSettings settings, String configHash,
            Mesh mesh) {
        String name = bk.getMetadata().getName();
        AutoRecovery ar = bk.getSpec().getAutoRecovery();
        PodPolicy pod = ar != null ? ar.getPod() : null;
        return new StatefulSetBuilder()
                .withMetadata(Meta.owned(bk, Names.autoRecovery(name), autoRecoveryLabels(bk)))
                .withNewSpec()
                .withReplicas(autoRecoveryReplicas(bk))
                .withServiceName(Names.bookieHeadless(name))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(autoRecoverySelector(bk)).endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withMinReadySeconds(pod != null ? pod.getMinReadySeconds() : null)
                .withNewTemplate()
                .withMetadata(PodTemplates.podMeta(pod, autoRecoveryLabels(bk), configHash, mesh))
                .withSpec(PodTemplates.podSpec(pod, settings, autoRecoverySelector(bk), Names.autoRecovery(name),
                        autoRecoveryContainer(bk, settings), List.of()))
                .endTemplate()
                .endSpec()
                .build();
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
