package io.pulsarmesh.operator.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Every kustomization under {@code kubernetes/} renders with {@code kubectl kustomize}, and what it renders installs
 * the operator as it says: the default install and the cluster-wide overlay watch all namespaces with one
 * ClusterRoleBinding; the namespace-scoped overlay watches a list of namespaces, holds its role only there and may
 * read the ztunnel DaemonSet and nothing else in istio-system.
 *
 * <p>Needs {@code kubectl} (with kustomize v5) on the PATH; without it the tests are skipped, except when
 * {@code CI=true}, where they fail.
 */
class KustomizeTest {
    static final Path KUBERNETES = Path.of("kubernetes");
    static final String OPERATOR = "pulsar-mesh-operator";
    static final String LEADER_ELECTION = OPERATOR + "-leader-election";
    static final String OPERATOR_NS = "pulsar-mesh-operator";
    static final String NAMESPACES_ENV = "QUARKUS_OPERATOR_SDK_NAMESPACES";
    static final String ZTUNNEL_ENV = "PULSAR_OPERATOR_MIGRATION_ZTUNNEL";

    static final Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable)
            .findFirst().orElse(null);
    static final String MISSING = "kubectl is not on the PATH: the kustomize tests need it (kubectl with kustomize v5)";
    final KubernetesSerialization serialization = new KubernetesSerialization();

    @BeforeAll
    static void sayWhyWhenSkipped() {
        if (kubectl == null && !"true".equals(System.getenv("CI"))) {
            System.err.println("kustomize tests skipped: " + MISSING);
        }
    }

    @BeforeEach
    void needKubectl() {
        if (kubectl == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(MISSING + "; CI=true requires them to run");
            }
            Assumptions.abort(MISSING);
        }
    }

    /** {@code kubectl kustomize DIR}: it must succeed without a word on standard error. */
    static String kustomize(Path dir) throws IOException, InterruptedException {
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " finished");
            String stderr = Files.readString(err);
            assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ": " + stderr);
            assertEquals("", stderr.strip(), "kubectl kustomize " + dir + " renders cleanly");
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Rendered once per folder: each takes kubectl about half a second. */
    static final Map<String, String> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    List<HasMetadata> render(String dir) throws IOException, InterruptedException {
        String yaml = RENDERED.get(dir);
        if (yaml == null) {
            yaml = kustomize(KUBERNETES.resolve(dir));
            RENDERED.put(dir, yaml);
        }
        List<HasMetadata> objects = parse(yaml);
        assertFalse(objects.isEmpty(), dir + " renders objects");
        return objects;
    }

    List<HasMetadata> parse(String yaml) {
        Object parsed = serialization.unmarshal(yaml);
        @SuppressWarnings("unchecked")
        List<HasMetadata> objects = parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
        return objects;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind, String name) {
        List<T> found = all(objects, kind).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), kind.getSimpleName() + " " + name);
        return found.get(0);
    }

    static Container operator(List<HasMetadata> objects) {
        return one(objects, Deployment.class, OPERATOR).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static String env(Container c, String name) {
        List<EnvVar> found = c.getEnv().stream().filter(e -> name.equals(e.getName())).toList();
        assertEquals(1, found.size(), "env " + name);
        return found.get(0).getValue();
    }

    static boolean isOperator(Subject s) {
        return "ServiceAccount".equals(s.getKind()) && OPERATOR.equals(s.getName()) && OPERATOR_NS.equals(s.getNamespace());
    }

    static List<PolicyRule> installedRules() throws IOException {
        return RbacTest.role().getRules();
    }

    @Test
    void everyKustomizationRendersCleanly() throws IOException, InterruptedException {
        Set<String> dirs;
        try (Stream<Path> s = Files.walk(KUBERNETES)) {
            dirs = s.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .map(p -> KUBERNETES.relativize(p.getParent()).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertTrue(dirs.containsAll(Set.of("", "install", "monitoring", "overlays/cluster-wide",
                "overlays/namespace-scoped")), "kustomizations: " + dirs);
        for (String dir : dirs) {
            render(dir);
        }
    }

    @Test
    void defaultInstallHasTheCrdsAndWatchesAllNamespaces() throws IOException, InterruptedException {
        List<HasMetadata> objects = render("");
        assertEquals(Set.of("pulsarcoordinators.k8s.streamnative.io", "zookeeperclusters.zookeeper.streamnative.io",
                "bookkeeperclusters.bookkeeper.streamnative.io", "pulsarbrokers.pulsar.streamnative.io",
                "pulsarproxies.pulsar.streamnative.io"),
                all(objects, CustomResourceDefinition.class).stream().map(c -> c.getMetadata().getName())
                        .collect(Collectors.toSet()));
        assertWatchesAllNamespaces(objects);
    }

    /** The cluster-wide overlay is the default install without the CRDs, object for object. */
    @Test
    void clusterWideOverlayIsTheDefaultInstallWithoutCrds() throws IOException, InterruptedException {
        List<HasMetadata> overlay = render("overlays/cluster-wide");
        assertTrue(all(overlay, CustomResourceDefinition.class).isEmpty(), "CRDs are applied on their own");
        assertEquals(render("").stream().filter(o -> !(o instanceof CustomResourceDefinition)).toList(), overlay);
        assertWatchesAllNamespaces(overlay);
    }

    void assertWatchesAllNamespaces(List<HasMetadata> objects) throws IOException {
        assertEquals("JOSDK_ALL_NAMESPACES", env(operator(objects), NAMESPACES_ENV));
        ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class, OPERATOR);
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertEquals(OPERATOR, binding.getRoleRef().getName());
        assertTrue(binding.getSubjects().stream().allMatch(KustomizeTest::isOperator), "bound to the operator only");
        assertEquals(installedRules(), one(objects, ClusterRole.class, OPERATOR).getRules());
        assertEquals(List.of(LEADER_ELECTION), all(objects, Role.class).stream().map(r -> r.getMetadata().getName())
                .toList(), "only the leader election Role");
        assertEquals(List.of(LEADER_ELECTION), all(objects, RoleBinding.class).stream()
                .map(r -> r.getMetadata().getName()).toList());
        assertOperatorSetUp(objects);
    }

    /** Every variant: one namespace for the operator, its images, and what JOSDK_WATCH_CURRENT relies on. */
    static void assertOperatorSetUp(List<HasMetadata> objects) {
        one(objects, Namespace.class, OPERATOR_NS);
        for (HasMetadata o : objects) {
            boolean clusterScoped = o instanceof Namespace || o instanceof CustomResourceDefinition
                    || o instanceof ClusterRole || o instanceof ClusterRoleBinding;
            if (!clusterScoped && !(o instanceof Role) && !(o instanceof RoleBinding)) {
                assertEquals(OPERATOR_NS, o.getMetadata().getNamespace(), o.getKind() + " " + o.getMetadata().getName());
            }
        }
        Container c = operator(objects);
        String image = System.getProperty("operator.image");
        assertNotNull(image, "the pom's operator.image, passed by surefire: run the tests through Maven");
        assertEquals(image, c.getImage());
        assertEquals(System.getProperty("pulsar.image"), env(c, "RELATED_IMAGE_PULSAR"));
        EnvVar ns = c.getEnv().stream().filter(e -> "KUBERNETES_NAMESPACE".equals(e.getName())).findFirst().orElseThrow();
        assertEquals("metadata.namespace", ns.getValueFrom().getFieldRef().getFieldPath());
        // Two replicas, one leader: the Lease in the operator's namespace, each replica named by its pod.
        io.fabric8.kubernetes.api.model.apps.Deployment d = all(objects,
                io.fabric8.kubernetes.api.model.apps.Deployment.class).get(0);
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        EnvVar pod = c.getEnv().stream().filter(e -> "POD_NAME".equals(e.getName())).findFirst().orElseThrow();
        assertEquals("metadata.name", pod.getValueFrom().getFieldRef().getFieldPath());
        Role lease = one(objects, Role.class, LEADER_ELECTION);
        assertEquals(OPERATOR_NS, lease.getMetadata().getNamespace());
        assertEquals(1, lease.getRules().size());
        assertEquals(List.of("coordination.k8s.io"), lease.getRules().get(0).getApiGroups());
        assertEquals(List.of("leases"), lease.getRules().get(0).getResources());
        assertEquals(List.of("get", "create", "update", "patch"), lease.getRules().get(0).getVerbs());
        RoleBinding leaseBinding = one(objects, RoleBinding.class, LEADER_ELECTION);
        assertEquals(OPERATOR_NS, leaseBinding.getMetadata().getNamespace());
        assertEquals(LEADER_ELECTION, leaseBinding.getRoleRef().getName());
        assertTrue(leaseBinding.getSubjects().stream().allMatch(KustomizeTest::isOperator));
    }

    @Test
    void namespaceScopedOverlayHoldsItsRoleOnlyInTheWatchedNamespaces() throws IOException, InterruptedException {
        List<HasMetadata> objects = render("overlays/namespace-scoped");
        assertTrue(all(objects, CustomResourceDefinition.class).isEmpty(), "CRDs are applied on their own");
        assertTrue(all(objects, ClusterRoleBinding.class).isEmpty(), "no rights across the cluster");
        // The ClusterRole is only the definition the RoleBindings grant; it is the installed one, not widened.
        assertEquals(List.of(OPERATOR), all(objects, ClusterRole.class).stream().map(r -> r.getMetadata().getName()).toList());
        assertEquals(installedRules(), one(objects, ClusterRole.class, OPERATOR).getRules());

        Set<String> watched = Set.of(env(operator(objects), NAMESPACES_ENV).split(","));
        assertFalse(watched.contains("JOSDK_ALL_NAMESPACES") || watched.contains(""), "a list of namespaces: " + watched);
        Map<String, List<RoleBinding>> byNamespace = all(objects, RoleBinding.class).stream()
                .filter(b -> "ClusterRole".equals(b.getRoleRef().getKind()))
                .collect(Collectors.groupingBy(b -> b.getMetadata().getNamespace()));
        assertEquals(watched, byNamespace.keySet(), "a RoleBinding of the operator's role in each watched namespace, no other");
        for (List<RoleBinding> bindings : byNamespace.values()) {
            assertEquals(1, bindings.size());
            RoleBinding b = bindings.get(0);
            assertEquals(OPERATOR, b.getRoleRef().getName());
            assertEquals(1, b.getSubjects().size());
            assertTrue(isOperator(b.getSubjects().get(0)), "bound to the operator's ServiceAccount");
        }
        assertOperatorSetUp(objects);
    }

    @Test
    void namespaceScopedOverlayMayReadTheZtunnelDaemonSetAndTheIngressGatewayOnly() throws IOException, InterruptedException {
        List<HasMetadata> objects = render("overlays/namespace-scoped");
        String[] ztunnel = env(operator(objects), ZTUNNEL_ENV).split("/");
        assertEquals(List.of("istio-system", "ztunnel"), Arrays.asList(ztunnel), "the operator's default");

        Role role = one(objects, Role.class, OPERATOR + "-ztunnel");
        assertEquals(ztunnel[0], role.getMetadata().getNamespace());
        assertEquals(2, role.getRules().size());
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of("apps"), rule.getApiGroups());
        assertEquals(List.of("daemonsets"), rule.getResources());
        assertEquals(List.of(ztunnel[1]), rule.getResourceNames());
        assertEquals(List.of("get"), rule.getVerbs());
        // The brokers' check of the ingress gateway: its pods and Services listed, nothing read one by one, no Secret.
        PolicyRule gateway = role.getRules().get(1);
        assertEquals(List.of(""), gateway.getApiGroups());
        assertEquals(List.of("pods", "services"), gateway.getResources());
        assertEquals(List.of("list"), gateway.getVerbs());
        assertEquals(2, all(objects, Role.class).size(), "no other Role than the ztunnel read and the leader election");

        RoleBinding binding = one(objects, RoleBinding.class, OPERATOR + "-ztunnel");
        assertEquals(ztunnel[0], binding.getMetadata().getNamespace());
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertTrue(binding.getSubjects().stream().allMatch(KustomizeTest::isOperator));
    }

    /**
     * The ztunnel Role follows the operator's setting: a copy of the overlay whose Deployment names another ztunnel
     * grants reading that one.
     */
    @Test
    void ztunnelRoleFollowsTheOperatorsSetting(@TempDir Path tmp) throws IOException, InterruptedException {
        Path overlay = KUBERNETES.resolve("overlays/namespace-scoped");
        // kustomize takes other folders only by relative paths.
        String install = tmp.toAbsolutePath().relativize(KUBERNETES.resolve("install").toAbsolutePath()) + "/";
        try (Stream<Path> files = Files.list(overlay)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f).replace("../../install/", install);
                if (f.getFileName().toString().equals("operator-env.yaml")) {
                    assertTrue(text.contains("value: istio-system/ztunnel"), "operator-env.yaml sets the ztunnel");
                    text = text.replace("value: istio-system/ztunnel", "value: mesh/ztunnel-1");
                }
                Files.writeString(tmp.resolve(f.getFileName()), text);
            }
        }
        List<HasMetadata> objects = parse(kustomize(tmp));
        assertEquals("mesh/ztunnel-1", env(operator(objects), ZTUNNEL_ENV));
        Role role = one(objects, Role.class, OPERATOR + "-ztunnel");
        assertEquals("mesh", role.getMetadata().getNamespace());
        assertEquals(List.of("ztunnel-1"), role.getRules().get(0).getResourceNames());
        assertEquals("mesh", one(objects, RoleBinding.class, OPERATOR + "-ztunnel").getMetadata().getNamespace());
    }

    @Test
    void monitoringRendersForTheOperatorsNamespace() throws IOException, InterruptedException {
        List<HasMetadata> objects = render("monitoring");
        assertEquals(Set.of("PodMonitor", "PrometheusRule"),
                objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet()));
        for (HasMetadata o : objects) {
            assertTrue(o instanceof GenericKubernetesResource, o.getKind());
            assertEquals(OPERATOR_NS, o.getMetadata().getNamespace(), o.getKind());
        }
    }
}
