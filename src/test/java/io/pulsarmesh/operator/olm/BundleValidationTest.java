package io.pulsarmesh.operator.olm;

import static io.pulsarmesh.operator.olm.BundleGenerator.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What OLM's bundle, CSV and OperatorHub validators require of the committed bundle beyond the CSV's schema (which the
 * conformance tier checks on a real API server): the files a registry+v1 bundle needs, consistent names and versions,
 * every owned CRD shipped, {@code alm-examples} that parse and match the owned kinds, descriptors that point at real
 * schema fields, the install permissions and images of {@code kubernetes/install}, and a pod template that runs under
 * OpenShift's {@code restricted-v2} constraint.
 */
class BundleValidationTest {
    static final Path BUNDLE = Path.of("olm-bundle");
    static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-.]+)?$");
    /** OperatorHub's capability levels and categories. */
    static final Set<String> CAPABILITIES = Set.of("Basic Install", "Seamless Upgrades", "Full Lifecycle",
            "Deep Insights", "Auto Pilot");
    static final Set<String> CATEGORIES = Set.of("AI/Machine Learning", "Application Runtime", "Big Data",
            "Cloud Provider", "Database", "Developer Tools", "Drivers and plugins", "Integration & Delivery",
            "Logging & Tracing", "Modernization & Migration", "Monitoring", "Networking", "OpenShift Optional",
            "Security", "Storage", "Streaming & Messaging");
    static final Set<String> INSTALL_MODES = Set.of("OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces");

    static Map<String, Object> csv;
    static Map<String, Map<String, Object>> crdsByName = new java.util.TreeMap<>();
    static Map<String, String> bundleAnnotations;
    static BundleGenerator.Settings settings;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        settings = BundleGenerator.Settings.fromBuild();
        Path manifests = BUNDLE.resolve("manifests");
        assertTrue(Files.isDirectory(manifests), "olm-bundle/manifests is missing; " + BundleDriftTest.UPDATE);
        List<Map<String, Object>> csvs = new ArrayList<>();
        try (Stream<Path> s = Files.list(manifests)) {
            for (Path p : s.sorted().toList()) {
                for (Map<String, Object> doc : BundleGenerator.read(Files.readString(p))) {
                    switch ((String) doc.get("kind")) {
                        case "ClusterServiceVersion" -> csvs.add(doc);
                        case "CustomResourceDefinition" -> crdsByName.put(BundleGenerator.name(doc), doc);
                        default -> fail("unexpected kind in the bundle: " + doc.get("kind") + " in " + p);
                    }
                }
            }
        }
        assertEquals(1, csvs.size(), "exactly one ClusterServiceVersion");
        csv = csvs.get(0);
        bundleAnnotations = (Map<String, String>) BundleGenerator
                .read(Files.readString(BUNDLE.resolve("metadata/annotations.yaml"))).get(0).get("annotations");
    }

    @SuppressWarnings("unchecked")
    static <T> T at(String... keys) {
        return (T) path(csv, keys);
    }

    @Test
    void namesAndVersionsAreConsistent() {
        String version = at("spec", "version");
        assertTrue(SEMVER.matcher(version).matches(), "spec.version is semver: " + version);
        assertEquals(settings.version(), version, "the version of the Maven property operator.version");
        assertEquals(OperatorCsvMetadata.PACKAGE + ".v" + version, at("metadata", "name"));
        assertNull(at("metadata", "namespace"), "a bundle's CSV has no namespace");
        String replaces = at("spec", "replaces");
        if (replaces != null) {
            assertTrue(replaces.startsWith(OperatorCsvMetadata.PACKAGE + ".v")
                    && SEMVER.matcher(replaces.substring(OperatorCsvMetadata.PACKAGE.length() + 2)).matches(),
                    "replaces names a CSV of this package: " + replaces);
            assertFalse(replaces.equals(at("metadata", "name")), "a CSV does not replace itself");
        }
        String minKube = at("spec", "minKubeVersion");
        assertTrue(SEMVER.matcher(minKube).matches(), "minKubeVersion is semver: " + minKube);
    }

    @Test
    void bundleMetadataDescribesTheRegistryV1Package() throws IOException {
        assertEquals("registry+v1", bundleAnnotations.get("operators.operatorframework.io.bundle.mediatype.v1"));
        assertEquals("manifests/", bundleAnnotations.get("operators.operatorframework.io.bundle.manifests.v1"));
        assertEquals("metadata/", bundleAnnotations.get("operators.operatorframework.io.bundle.metadata.v1"));
        assertEquals(OperatorCsvMetadata.PACKAGE, bundleAnnotations.get("operators.operatorframework.io.bundle.package.v1"));
        List<String> channels = List.of(bundleAnnotations.get("operators.operatorframework.io.bundle.channels.v1").split(","));
        assertFalse(channels.isEmpty());
        assertTrue(channels.contains(bundleAnnotations.get("operators.operatorframework.io.bundle.channel.default.v1")),
                "the default channel is one of the channels");
        // bundle.Dockerfile carries the same labels, and copies both folders.
        String dockerfile = Files.readString(BUNDLE.resolve("bundle.Dockerfile"));
        for (var e : bundleAnnotations.entrySet()) {
            assertTrue(dockerfile.contains("LABEL " + e.getKey() + "=" + e.getValue() + "\n"), "label " + e.getKey());
        }
        assertTrue(dockerfile.contains("COPY manifests /manifests/") && dockerfile.contains("COPY metadata /metadata/"));
    }

    @Test
    void everyOwnedCrdIsShippedAndEveryShippedCrdIsOwned() {
        List<Map<String, Object>> owned = at("spec", "customresourcedefinitions", "owned");
        Set<String> ownedNames = new HashSet<>();
        for (Map<String, Object> o : owned) {
            String name = (String) o.get("name");
            assertTrue(ownedNames.add(name), "owned once: " + name);
            Map<String, Object> crd = crdsByName.get(name);
            assertNotNull(crd, "owned CRD " + name + " is in manifests/");
            assertEquals(path(crd, "spec", "names", "kind"), o.get("kind"), "kind of " + name);
            assertTrue(servedVersions(crd).contains((String) o.get("version")), "version served by " + name);
            assertEquals(name, path(crd, "spec", "names", "plural") + "." + path(crd, "spec", "group"));
            for (String field : List.of("displayName", "description")) {
                assertTrue(o.get(field) instanceof String s && !s.isBlank(), field + " of " + name);
            }
        }
        assertEquals(crdsByName.keySet(), ownedNames, "the CSV owns exactly the CRDs of the bundle");
        assertEquals(5, ownedNames.size());
    }

    @SuppressWarnings("unchecked")
    static List<String> servedVersions(Map<String, Object> crd) {
        return ((List<Map<String, Object>>) path(crd, "spec", "versions")).stream()
                .filter(v -> Boolean.TRUE.equals(v.get("served"))).map(v -> (String) v.get("name")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void almExamplesParseAndCoverEveryOwnedKind() throws IOException {
        String json = at("metadata", "annotations", "alm-examples");
        List<Map<String, Object>> examples = new ObjectMapper().readValue(json, List.class);
        List<Map<String, Object>> owned = at("spec", "customresourcedefinitions", "owned");
        Set<String> covered = new HashSet<>();
        for (Map<String, Object> ex : examples) {
            String apiVersion = (String) ex.get("apiVersion");
            String kind = (String) ex.get("kind");
            Map<String, Object> match = owned.stream().filter(o -> kind.equals(o.get("kind"))
                    && apiVersion.equals(((String) o.get("name")).substring(((String) o.get("name")).indexOf('.') + 1)
                            + "/" + o.get("version")))
                    .findFirst().orElse(null);
            assertNotNull(match, "example " + apiVersion + " " + kind + " is an owned kind and version");
            assertNotNull(path(ex, "metadata", "name"), "example has a name");
            assertNull(path(ex, "metadata", "namespace"), "examples are applied in the namespace the user picks");
            assertTrue(ex.get("spec") instanceof Map, "example has a spec");
            covered.add(kind);
        }
        assertEquals(owned.stream().map(o -> (String) o.get("kind")).collect(java.util.stream.Collectors.toSet()),
                covered, "an example per owned kind");
    }

    @Test
    @SuppressWarnings("unchecked")
    void descriptorsPointAtFieldsOfTheSchema() {
        List<Map<String, Object>> owned = at("spec", "customresourcedefinitions", "owned");
        int checked = 0;
        for (Map<String, Object> o : owned) {
            Map<String, Object> crd = crdsByName.get(o.get("name"));
            Map<String, Object> schema = (Map<String, Object>) ((List<Map<String, Object>>) path(crd, "spec", "versions"))
                    .stream().filter(v -> o.get("version").equals(v.get("name"))).findFirst().orElseThrow()
                    .get("schema");
            for (String part : List.of("spec", "status")) {
                List<Map<String, Object>> ds = (List<Map<String, Object>>) o.get(part + "Descriptors");
                assertFalse(ds == null || ds.isEmpty(), part + " descriptors of " + o.get("kind"));
                Set<String> paths = new HashSet<>();
                for (Map<String, Object> d : ds) {
                    String p = (String) d.get("path");
                    assertTrue(paths.add(p), "descriptor path listed once: " + p);
                    assertTrue(schemaHas(schema, part + "." + p), o.get("kind") + " has " + part + "." + p);
                    for (String x : (List<String>) d.get("x-descriptors")) {
                        assertTrue(x.startsWith("urn:alm:descriptor:"), "x-descriptor " + x);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 20, "descriptors checked: " + checked);
    }

    @SuppressWarnings("unchecked")
    static boolean schemaHas(Map<String, Object> schema, String dotted) {
        Map<String, Object> node = (Map<String, Object>) schema.get("openAPIV3Schema");
        for (String key : dotted.split("\\.")) {
            Map<String, Object> props = node == null ? null : (Map<String, Object>) node.get("properties");
            node = props == null ? null : (Map<String, Object>) props.get(key);
            if (node == null) {
                return false;
            }
        }
        return true;
    }

    @Test
    void schemaLookupFindsMissingPaths() {
        Map<String, Object> crd = crdsByName.get("pulsarbrokers.pulsar.streamnative.io");
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = (Map<String, Object>) ((List<Map<String, Object>>) path(crd, "spec", "versions"))
                .get(0).get("schema");
        assertTrue(schemaHas(schema, "spec.istio.gateway.advertisedDomain"));
        assertFalse(schemaHas(schema, "spec.istio.gateway.noSuchField"));
        assertFalse(schemaHas(schema, "status.nothing"));
    }

    @Test
    void installModesAreAllDeclaredAndAllNamespacesIsSupported() {
        List<Map<String, Object>> modes = at("spec", "installModes");
        assertEquals(INSTALL_MODES, modes.stream().map(m -> (String) m.get("type"))
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(4, modes.size());
        assertTrue(modes.stream().anyMatch(m -> "AllNamespaces".equals(m.get("type")) && Boolean.TRUE.equals(m.get("supported"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void permissionsAreTheInstalledClusterRole() throws IOException {
        List<Map<String, Object>> cluster = at("spec", "install", "spec", "clusterPermissions");
        List<Map<String, Object>> namespaced = at("spec", "install", "spec", "permissions");
        assertEquals("deployment", at("spec", "install", "strategy"));
        assertEquals(1, cluster.size());
        assertEquals(1, namespaced.size());
        List<Map<String, Object>> installed = null;
        List<Map<String, Object>> leaderElection = new ArrayList<>();
        for (Map<String, Object> doc : BundleGenerator.read(Files.readString(BundleGenerator.RBAC))) {
            if ("ClusterRole".equals(doc.get("kind"))) {
                installed = new ArrayList<>((List<Map<String, Object>>) doc.get("rules"));
            } else if ("Role".equals(doc.get("kind"))) {
                leaderElection.addAll((List<Map<String, Object>>) doc.get("rules"));
            }
        }
        // The leader election Lease is granted in the operator's own namespace (a Role there, `permissions` in OLM).
        assertEquals(1, leaderElection.size(), leaderElection.toString());
        assertEquals(List.of("coordination.k8s.io"), leaderElection.get(0).get("apiGroups"));
        assertEquals(List.of("leases"), leaderElection.get(0).get("resources"));
        assertTrue(((List<Map<String, Object>>) namespaced.get(0).get("rules")).containsAll(leaderElection));
        installed.addAll(leaderElection);
        List<Map<String, Object>> clusterRules = (List<Map<String, Object>>) cluster.get(0).get("rules");
        List<Map<String, Object>> namespacedRules = (List<Map<String, Object>>) namespaced.get(0).get("rules");
        List<Map<String, Object>> union = new ArrayList<>(namespacedRules);
        union.addAll(clusterRules);
        assertEquals(new HashSet<>(installed), new HashSet<>(union), "together, the rules of kubernetes/install/rbac.yaml");
        assertEquals(installed.size(), union.size(), "each rule once");
        // Only reading ztunnel, outside the watched namespaces, is granted cluster-wide; nothing there is written.
        for (Map<String, Object> rule : clusterRules) {
            assertEquals(List.of("get"), rule.get("verbs"), "cluster-wide rules only read: " + rule);
        }
        List<Map<String, Object>> deployments = at("spec", "install", "spec", "deployments");
        assertEquals(1, deployments.size());
        Object account = path(deployments.get(0), "spec", "template", "spec", "serviceAccountName");
        assertEquals(cluster.get(0).get("serviceAccountName"), account,
                "the Deployment runs as the service account the permissions are granted to");
        assertEquals(namespaced.get(0).get("serviceAccountName"), account);
        for (Map<String, Object> rule : union) {
            for (String key : List.of("apiGroups", "resources", "verbs")) {
                assertFalse(((List<String>) rule.get(key)).contains("*"), "no wildcard " + key + " in " + rule);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyImageIsRelatedAndComesFromTheBuild() {
        Map<String, Object> deployment = ((List<Map<String, Object>>) at("spec", "install", "spec", "deployments")).get(0);
        List<Map<String, Object>> containers = (List<Map<String, Object>>) path(deployment, "spec", "template", "spec",
                "containers");
        Set<String> related = new HashSet<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) at("spec", "relatedImages")) {
            related.add((String) r.get("image"));
            assertTrue(((String) r.get("name")).matches("[a-z0-9-]+"), "related image name " + r.get("name"));
        }
        Set<String> used = new HashSet<>();
        for (Map<String, Object> c : containers) {
            used.add((String) c.get("image"));
            for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
                if (((String) e.get("name")).startsWith(BundleGenerator.RELATED_IMAGE_PREFIX)) {
                    used.add((String) e.get("value"));
                }
            }
        }
        assertEquals(used, related, "relatedImages lists exactly the images the operator runs and deploys");
        assertEquals(Set.of(settings.operatorImage(), settings.pulsarImage()), related,
                "the images of the Maven properties operator.image and pulsar.image");
        assertEquals(settings.operatorImage(), at("metadata", "annotations", "containerImage"));
        assertEquals(io.pulsarmesh.operator.model.common.ModelSettings.DEFAULT_IMAGE, settings.pulsarImage(),
                "the operator's built-in default image is the pulsar.image property");
    }

    @Test
    @SuppressWarnings("unchecked")
    void operatorWatchesTheOperatorGroupsNamespaces() {
        Map<String, Object> deployment = ((List<Map<String, Object>>) at("spec", "install", "spec", "deployments")).get(0);
        Map<String, Object> container = ((List<Map<String, Object>>) path(deployment, "spec", "template", "spec",
                "containers")).get(0);
        Map<String, Object> env = ((List<Map<String, Object>>) container.get("env")).stream()
                .filter(e -> BundleGenerator.WATCH_NAMESPACES_ENV.equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals("metadata.annotations['olm.targetNamespaces']", path(env, "valueFrom", "fieldRef", "fieldPath"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void componentsGetNoFixedVolumeGroup() {
        Map<String, Object> deployment = ((List<Map<String, Object>>) at("spec", "install", "spec", "deployments")).get(0);
        Map<String, Object> container = ((List<Map<String, Object>>) path(deployment, "spec", "template", "spec",
                "containers")).get(0);
        Map<String, Object> env = ((List<Map<String, Object>>) container.get("env")).stream()
                .filter(e -> BundleGenerator.POD_FS_GROUP_ENV.equals(e.get("name"))).findFirst().orElseThrow();
        assertNull(io.pulsarmesh.operator.config.OperatorConfig.fsGroup(java.util.Optional.of((String) env.get("value"))),
                "restricted-v2 assigns the volume group of operand pods");
    }

    @Test
    @SuppressWarnings("unchecked")
    void podTemplateRunsUnderRestrictedV2() {
        Map<String, Object> deployment = ((List<Map<String, Object>>) at("spec", "install", "spec", "deployments")).get(0);
        Map<String, Object> pod = (Map<String, Object>) path(deployment, "spec", "template", "spec");
        Map<String, Object> podSc = (Map<String, Object>) pod.getOrDefault("securityContext", Map.of());
        for (String fixed : List.of("runAsUser", "runAsGroup", "fsGroup", "supplementalGroups")) {
            assertNull(podSc.get(fixed), "restricted-v2 assigns " + fixed + " from the namespace's range");
        }
        assertEquals(Boolean.TRUE, podSc.get("runAsNonRoot"));
        assertEquals("RuntimeDefault", path(podSc, "seccompProfile", "type"));
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            assertFalse(Boolean.TRUE.equals(pod.get(host)), host);
        }
        for (Map<String, Object> v : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
            assertNull(v.get("hostPath"), "no hostPath volume");
        }
        for (Map<String, Object> c : (List<Map<String, Object>>) pod.get("containers")) {
            Map<String, Object> sc = (Map<String, Object>) c.get("securityContext");
            assertNotNull(sc, "container security context");
            assertEquals(Boolean.FALSE, sc.get("allowPrivilegeEscalation"));
            assertFalse(Boolean.TRUE.equals(sc.get("privileged")));
            assertNull(sc.get("runAsUser"));
            assertEquals(List.of("ALL"), path(sc, "capabilities", "drop"));
            assertNull(path(sc, "capabilities", "add"), "no added capabilities");
        }
    }

    @Test
    void catalogueFieldsAreValid() {
        assertTrue(CAPABILITIES.contains(at("metadata", "annotations", "capabilities")));
        for (String category : ((String) at("metadata", "annotations", "categories")).split(",")) {
            assertTrue(CATEGORIES.contains(category.strip()), "OperatorHub category " + category);
        }
        for (String field : List.of("displayName", "description", "maturity")) {
            assertTrue(at("spec", field) instanceof String s && !s.isBlank(), "spec." + field);
        }
        assertFalse(((List<?>) at("spec", "keywords")).isEmpty());
        assertFalse(((List<?>) at("spec", "maintainers")).isEmpty());
        assertFalse(((List<?>) at("spec", "links")).isEmpty());
        assertNotNull(at("spec", "provider", "name"));
        List<Map<String, Object>> icons = at("spec", "icon");
        assertEquals(1, icons.size());
        byte[] icon = Base64.getDecoder().decode((String) icons.get(0).get("base64data"));
        assertTrue(new String(icon, java.nio.charset.StandardCharsets.UTF_8).contains("<svg"), "the icon is an SVG");
        assertEquals("image/svg+xml", icons.get(0).get("mediatype"));
        String containerImage = at("metadata", "annotations", "containerImage");
        assertTrue(containerImage.contains(":") && !containerImage.endsWith(":latest"), "a pinned operator image");
    }
}
