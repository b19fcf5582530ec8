package io.pulsarmesh.operator.olm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata;

/**
 * Writes the OLM bundle (registry+v1): {@code manifests/} with the ClusterServiceVersion and the five CRDs,
 * {@code metadata/annotations.yaml} and {@code bundle.Dockerfile}.
 *
 * <p>Everything comes from sources that other checks keep honest, so nothing in the bundle is written by hand:
 * <ul>
 * <li>the CRDs from the API classes, with the generator the build uses;</li>
 * <li>the Deployment, the service account and the permissions from {@code kubernetes/install/} (whose ClusterRole
 * {@code RbacTest} checks against the controllers);</li>
 * <li>{@code alm-examples} from {@code kubernetes/examples/};</li>
 * <li>the version, images, channels and upgrade graph from Maven properties ({@code olm-bundle.properties}, filtered
 * by the build);</li>
 * <li>names, descriptions, install modes and catalogue fields from {@link OperatorCsvMetadata} and
 * {@link CsvDescriptors};</li>
 * <li>the icon from {@code src/main/kubernetes/icon.svg}.</li>
 * </ul>
 * The build runs {@link #main} in the {@code package} phase (into {@code target/olm-bundle}); {@code BundleDriftTest}
 * fails when the committed {@code olm-bundle/} differs, and rewrites it with {@code -Dbundle.update=true}.
 */
public final class BundleGenerator {
    public static final String CSV_FILE = OperatorCsvMetadata.PACKAGE + ".clusterserviceversion.yaml";
    static final Path DEPLOYMENT = Path.of("kubernetes/install/deployment.yaml");
    static final Path SERVICE_ACCOUNT = Path.of("kubernetes/install/service-account.yaml");
    static final Path RBAC = Path.of("kubernetes/install/rbac.yaml");
    static final Path EXAMPLE = Path.of("kubernetes/examples/pulsar-cluster-istio.yaml");
    static final Path ICON = Path.of("src/main/kubernetes/icon.svg");
    /** The annotation OLM sets on the operator's pod template with the OperatorGroup's target namespaces. */
    static final String TARGET_NAMESPACES_ANNOTATION = "olm.targetNamespaces";
    /** The operator's watched namespaces (comma-separated; empty or unset: all). */
    static final String WATCH_NAMESPACES_ENV = "QUARKUS_OPERATOR_SDK_NAMESPACES";
    static final String RELATED_IMAGE_PREFIX = "RELATED_IMAGE_";
    static final String POD_FS_GROUP_ENV = "PULSAR_OPERATOR_POD_FS_GROUP";
    static final String MEDIA_TYPE = "registry+v1";

    static final List<Class<? extends HasMetadata>> KINDS = List.of(PulsarCoordinator.class, ZooKeeperCluster.class,
            BookKeeperCluster.class, PulsarBroker.class, PulsarProxy.class);

    /** The Maven properties of the bundle. */
    public record Settings(String version, String operatorImage, String pulsarImage, List<String> channels,
            String defaultChannel, String replaces, String skipRange) {

        public static Settings fromBuild() {
            Properties p = new Properties();
            try (InputStream in = BundleGenerator.class.getResourceAsStream("/olm-bundle.properties")) {
                if (in == null) {
                    throw new IllegalStateException("olm-bundle.properties is not on the test classpath");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String key : p.stringPropertyNames()) {
                if (p.getProperty(key).contains("${")) {
                    throw new IllegalStateException("olm-bundle.properties was not filtered: " + key);
                }
            }
            return new Settings(p.getProperty("version"), p.getProperty("operator.image"), p.getProperty("pulsar.image"),
                    List.of(p.getProperty("channels").split(",")), p.getProperty("default.channel"),
                    p.getProperty("replaces", ""), p.getProperty("skip.range", ""));
        }

        public String csvName() {
            return OperatorCsvMetadata.PACKAGE + ".v" + version;
        }
    }

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path project;
    private final Settings settings;

    public BundleGenerator(Path project, Settings settings) {
        this.project = project;
        this.settings = settings;
    }

    /** {@code main(outputDir)}: run by the build from the project directory. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/olm-bundle");
        new BundleGenerator(Path.of(""), Settings.fromBuild()).generate(out);
        System.out.println("OLM bundle written to " + out);
    }

    /** Writes the bundle into {@code out} (created if needed; files of a previous bundle there are replaced). */
    public void generate(Path out) throws IOException {
        Path manifests = out.resolve("manifests");
        Path metadata = out.resolve("metadata");
        deleteTree(manifests);
        deleteTree(metadata);
        Files.createDirectories(manifests);
        Files.createDirectories(metadata);

        List<Map<String, Object>> crds = writeCrds(manifests);
        Files.writeString(manifests.resolve(CSV_FILE), yaml(csv(crds)));
        Map<String, String> annotations = bundleAnnotations();
        Map<String, Object> annotationsDoc = new LinkedHashMap<>();
        annotationsDoc.put("annotations", annotations);
        Files.writeString(metadata.resolve("annotations.yaml"), yaml(annotationsDoc));
        Files.writeString(out.resolve("bundle.Dockerfile"), dockerfile(annotations));
    }

    // ---- CRDs ----

    private List<Map<String, Object>> writeCrds(Path manifests) throws IOException {
        Path tmp = Files.createTempDirectory("olm-crds");
        try {
            new CRDGenerator().inOutputDir(tmp.toFile()).forCRDVersions("v1")
                    .customResourceClasses(KINDS.toArray(Class[]::new)).generate();
            List<Map<String, Object>> crds = new ArrayList<>();
            for (Class<? extends HasMetadata> kind : KINDS) {
                String plural = HasMetadata.getPlural(kind);
                String group = HasMetadata.getGroup(kind);
                Path generated = tmp.resolve(plural + "." + group + "-v1.yml");
                String text = Files.readString(generated);
                Files.writeString(manifests.resolve(crdFileName(group, plural)), text);
                crds.add(read(text).get(0));
            }
            return crds;
        } finally {
            deleteTree(tmp);
        }
    }

    public static String crdFileName(String group, String plural) {
        return group + "_" + plural + ".yaml";
    }

    // ---- the ClusterServiceVersion ----

    Map<String, Object> csv(List<Map<String, Object>> crds) throws IOException {
        CSVMetadata meta = OperatorCsvMetadata.class.getAnnotation(CSVMetadata.class);
        Map<String, Object> deployment = read(Files.readString(project.resolve(DEPLOYMENT))).get(0);
        String serviceAccount = name(read(Files.readString(project.resolve(SERVICE_ACCOUNT))).get(0));

        Map<String, Object> csv = new LinkedHashMap<>();
        csv.put("apiVersion", "operators.coreos.com/v1alpha1");
        csv.put("kind", "ClusterServiceVersion");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", settings.csvName());
        metadata.put("annotations", csvAnnotations(meta));
        metadata.put("labels", new TreeMap<>(Map.of("operatorframework.io/arch.amd64", "supported",
                "operatorframework.io/os.linux", "supported")));
        csv.put("metadata", metadata);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("displayName", meta.displayName());
        spec.put("description", meta.description());
        spec.put("version", settings.version());
        if (!settings.replaces().isBlank()) {
            spec.put("replaces", settings.replaces());
        }
        spec.put("minKubeVersion", meta.minKubeVersion());
        spec.put("maturity", meta.maturity());
        spec.put("keywords", List.of(meta.keywords()));
        spec.put("maintainers", Stream.of(meta.maintainers()).map(m -> ordered("name", m.name(), "email", m.email()))
                .toList());
        spec.put("provider", ordered("name", meta.provider().name(), "url", meta.provider().url()));
        spec.put("links", Stream.of(meta.links()).map(l -> ordered("name", l.name(), "url", l.url())).toList());
        spec.put("icon", List.of(ordered("base64data",
                Base64.getEncoder().encodeToString(Files.readAllBytes(project.resolve(ICON))), "mediatype",
                "image/svg+xml")));
        spec.put("installModes", Stream.of(meta.installModes())
                .map(m -> ordered("type", m.type(), "supported", m.supported())).toList());
        spec.put("customresourcedefinitions", Map.of("owned", owned(crds)));
        spec.put("install", install(deployment, serviceAccount));
        spec.put("relatedImages", relatedImages(deployment));
        csv.put("spec", spec);
        return csv;
    }

    private Map<String, Object> csvAnnotations(CSVMetadata meta) throws IOException {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alm-examples", JSON.writeValueAsString(almExamples()));
        a.put("capabilities", meta.annotations().capabilities());
        a.put("categories", meta.annotations().categories());
        a.put("containerImage", settings.operatorImage());
        a.put("description", firstSentence(meta.description()));
        a.put("repository", meta.annotations().repository());
        if (!settings.skipRange().isBlank()) {
            a.put("olm.skipRange", settings.skipRange());
        }
        for (CSVMetadata.Annotations.Annotation other : meta.annotations().others()) {
            a.put(other.name(), other.value());
        }
        return a;
    }

    static String firstSentence(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        int end = flat.indexOf(". ");
        return end < 0 ? flat : flat.substring(0, end + 1);
    }

    /** The custom resources of the Istio example, without namespaces: the console's starting point per kind. */
    List<Map<String, Object>> almExamples() throws IOException {
        List<String> kinds = KINDS.stream().map(HasMetadata::getKind).toList();
        List<Map<String, Object>> examples = new ArrayList<>();
        for (Map<String, Object> doc : read(Files.readString(project.resolve(EXAMPLE)))) {
            if (kinds.contains(doc.get("kind"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> md = new LinkedHashMap<>((Map<String, Object>) doc.get("metadata"));
                md.remove("namespace");
                Map<String, Object> example = new LinkedHashMap<>(doc);
                example.put("metadata", md);
                examples.add(example);
            }
        }
        examples.sort(java.util.Comparator.comparingInt(e -> kinds.indexOf(e.get("kind"))));
        return examples;
    }

    private List<Map<String, Object>> owned(List<Map<String, Object>> crds) {
        List<Map<String, Object>> owned = new ArrayList<>();
        for (CsvDescriptors.Owned o : CsvDescriptors.OWNED) {
            Map<String, Object> crd = crds.stream().filter(c -> o.kind().equals(path(c, "spec", "names", "kind")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no CRD for " + o.kind()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name(crd));
            entry.put("version", storageVersion(crd));
            entry.put("kind", o.kind());
            entry.put("displayName", o.displayName());
            entry.put("description", o.description());
            entry.put("specDescriptors", descriptors(o.spec()));
            entry.put("statusDescriptors", descriptors(o.status()));
            owned.add(entry);
        }
        return owned;
    }

    @SuppressWarnings("unchecked")
    static String storageVersion(Map<String, Object> crd) {
        for (Map<String, Object> v : (List<Map<String, Object>>) path(crd, "spec", "versions")) {
            if (Boolean.TRUE.equals(v.get("storage"))) {
                return (String) v.get("name");
            }
        }
        throw new IllegalStateException("no storage version in " + name(crd));
    }

    private static List<Map<String, Object>> descriptors(List<CsvDescriptors.Descriptor> ds) {
        return ds.stream().map(d -> ordered("path", d.path(), "displayName", d.displayName(), "description",
                d.description(), "x-descriptors", d.xDescriptors())).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> install(Map<String, Object> deployment, String serviceAccount) throws IOException {
        List<Map<String, Object>> rules = null;
        List<Map<String, Object>> ownNamespace = new java.util.ArrayList<>();
        for (Map<String, Object> doc : read(Files.readString(project.resolve(RBAC)))) {
            if ("ClusterRole".equals(doc.get("kind"))) {
                rules = (List<Map<String, Object>>) doc.get("rules");
            } else if ("Role".equals(doc.get("kind"))) {
                // The leader election Lease, in the operator's own namespace.
                ownNamespace.addAll((List<Map<String, Object>>) doc.get("rules"));
            }
        }
        if (rules == null) {
            throw new IllegalStateException(RBAC + " has no ClusterRole");
        }
        Map<String, Object> deploymentSpec = forOlm((Map<String, Object>) deployment.get("spec"));
        Map<String, Object> md = (Map<String, Object>) deployment.get("metadata");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", md.get("name"));
        d.put("label", md.get("labels"));
        d.put("spec", deploymentSpec);
        // OLM grants `permissions` in the OperatorGroup's target namespaces (cluster-wide in AllNamespaces mode) and
        // `clusterPermissions` everywhere. Only the read of ztunnel, outside the watched namespaces, is cluster-wide.
        List<Map<String, Object>> namespaced = new java.util.ArrayList<>(
                rules.stream().filter(r -> !outsideWatchedNamespaces(r)).toList());
        namespaced.addAll(ownNamespace);
        List<Map<String, Object>> clusterWide = rules.stream().filter(BundleGenerator::outsideWatchedNamespaces).toList();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterPermissions", List.of(ordered("serviceAccountName", serviceAccount, "rules", clusterWide)));
        spec.put("permissions", List.of(ordered("serviceAccountName", serviceAccount, "rules", namespaced)));
        spec.put("deployments", List.of(d));
        return ordered("strategy", "deployment", "spec", spec);
    }

    /** Rules for objects the operator reads outside the namespaces it watches: the ztunnel DaemonSet of a migration. */
    @SuppressWarnings("unchecked")
    static boolean outsideWatchedNamespaces(Map<String, Object> rule) {
        return ((List<String>) rule.get("apiGroups")).equals(List.of("apps"))
                && ((List<String>) rule.get("resources")).equals(List.of("daemonsets"));
    }

    /**
     * The install Deployment with the operator watching the OperatorGroup's target namespaces: OLM writes them on the
     * pod template (an empty value in AllNamespaces mode, which the operator reads as all namespaces). Components get
     * no fixed volume group: OpenShift's restricted-v2 assigns one per namespace and refuses others.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> forOlm(Map<String, Object> deploymentSpec) {
        Map<String, Object> spec = deepCopy(deploymentSpec);
        Map<String, Object> podSpec = (Map<String, Object>) path(spec, "template", "spec");
        for (Map<String, Object> c : (List<Map<String, Object>>) podSpec.get("containers")) {
            List<Map<String, Object>> env = new ArrayList<>((List<Map<String, Object>>) c.getOrDefault("env", List.of()));
            env.removeIf(e -> WATCH_NAMESPACES_ENV.equals(e.get("name")) || POD_FS_GROUP_ENV.equals(e.get("name")));
            env.add(0, ordered("name", WATCH_NAMESPACES_ENV, "valueFrom", Map.of("fieldRef",
                    Map.of("fieldPath", "metadata.annotations['" + TARGET_NAMESPACES_ANNOTATION + "']"))));
            env.add(ordered("name", POD_FS_GROUP_ENV, "value", "none"));
            c.put("env", env);
        }
        return spec;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> relatedImages(Map<String, Object> deployment) {
        Map<String, String> images = new LinkedHashMap<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) path(deployment, "spec", "template", "spec",
                "containers")) {
            images.put(OperatorCsvMetadata.PACKAGE, (String) c.get("image"));
            for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
                String n = (String) e.get("name");
                if (n.startsWith(RELATED_IMAGE_PREFIX) && e.get("value") != null) {
                    images.put(n.substring(RELATED_IMAGE_PREFIX.length()).toLowerCase(java.util.Locale.ROOT)
                            .replace('_', '-'), (String) e.get("value"));
                }
            }
        }
        return images.entrySet().stream().map(e -> ordered("name", e.getKey(), "image", e.getValue())).toList();
    }

    // ---- bundle metadata ----

    Map<String, String> bundleAnnotations() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("operators.operatorframework.io.bundle.mediatype.v1", MEDIA_TYPE);
        a.put("operators.operatorframework.io.bundle.manifests.v1", "manifests/");
        a.put("operators.operatorframework.io.bundle.metadata.v1", "metadata/");
        a.put("operators.operatorframework.io.bundle.package.v1", OperatorCsvMetadata.PACKAGE);
        a.put("operators.operatorframework.io.bundle.channels.v1", String.join(",", settings.channels()));
        a.put("operators.operatorframework.io.bundle.channel.default.v1", settings.defaultChannel());
        a.put("com.redhat.openshift.versions", "v4.14");
        return a;
    }

    static String dockerfile(Map<String, String> annotations) {
        StringBuilder b = new StringBuilder();
        b.append("# OLM bundle image (registry+v1). Generated by the build: do not edit.\n");
        b.append("FROM scratch\n\n");
        annotations.forEach((k, v) -> b.append("LABEL ").append(k).append('=').append(v).append('\n'));
        b.append("\nCOPY manifests /manifests/\n");
        b.append("COPY metadata /metadata/\n");
        return b.toString();
    }

    // ---- helpers ----

    static List<Map<String, Object>> read(String yaml) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (var it = YAML.readerFor(Map.class).<Map<String, Object>> readValues(yaml)) {
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    static String yaml(Object o) throws JsonProcessingException {
        return YAML.writeValueAsString(o);
    }

    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> m, String... keys) {
        Object cur = m;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = ((Map<String, Object>) map).get(k);
        }
        return cur;
    }

    static String name(Map<String, Object> doc) {
        return (String) path(doc, "metadata", "name");
    }

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> m) {
        return JSON.convertValue(m, LinkedHashMap.class);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
