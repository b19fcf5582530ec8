package io.pulsarmesh.operator.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Conformance tier: the generated CRDs against a real Kubernetes API server (the CRD-serving core of kube-apiserver
 * with etcd, started on loopback by the project's test tooling). It proves what the mock cannot: the CRDs are
 * accepted (structural schema, CEL cost budget), the examples and an sn-operator manifest apply unchanged with
 * server-side apply, schema defaults are filled in, CEL rules reject bad input with their messages, and the scale
 * subresource works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrdConformanceIT {
    static final Path KUBEAPI = Path.of(System.getProperty("kubeapi.dir", "../shared/tools/kubeapi"));
    static final String NS = "conformance";

    Path state;
    KubernetesClient client;

    @BeforeAll
    void startApiServer() throws Exception {
        state = Files.createTempDirectory("kubeapi");
        ProcessBuilder pb = new ProcessBuilder("bash", KUBEAPI.resolve("start.sh").toString(), state.toString())
                .redirectErrorStream(true);
        pb.environment().put("PORT", String.valueOf(freePort()));
        int etcd = freePort();
        pb.environment().put("EPORT", String.valueOf(etcd));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "API server did not start:\n" + out);
        List<String> lines = out.lines().toList();
        Path kubeconfig = Path.of(lines.get(lines.size() - 1).trim());
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString()))
                .build();
        try (var crds = Files.list(Path.of("kubernetes/crds"))) {
            for (Path crd : crds.sorted().toList()) {
                try (InputStream in = Files.newInputStream(crd)) {
                    CustomResourceDefinition def = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                    client.resource(def).fieldManager("conformance").forceConflicts().serverSideApply();
                    client.apiextensions().v1().customResourceDefinitions().withName(def.getMetadata().getName())
                            .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                                    .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                                    60, TimeUnit.SECONDS);
                }
            }
        }
    }

    @AfterAll
    void stopApiServer() throws Exception {
        if (client != null) {
            client.close();
        }
        if (state != null) {
            new ProcessBuilder("bash", KUBEAPI.resolve("stop.sh").toString(), state.toString()).inheritIO().start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    List<HasMetadata> apply(String file, String namespace) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            List<HasMetadata> items = client.load(in).items();
            return items.stream().map(i -> {
                i.getMetadata().setNamespace(namespace);
                return client.resource(i).fieldManager("conformance").forceConflicts().serverSideApply();
            }).toList();
        }
    }

    GenericKubernetesResource get(String apiVersion, String kind, String namespace, String name) {
        return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
    }

    @Test
    void examplesApplyWithDefaultsFilledIn() throws IOException {
        assertEquals(5, apply("kubernetes/examples/pulsar-cluster.yaml", "plain").size());
        assertEquals(5, apply("kubernetes/examples/pulsar-cluster-istio.yaml", "istio").size());
        GenericKubernetesResource broker = get("pulsar.streamnative.io/v1alpha1", "PulsarBroker", "istio", "private-cloud");
        assertEquals("OrdinalPrefix", at(broker, "spec", "config", "serviceURLGenerationPolicy"));
        GenericKubernetesResource zk = get("zookeeper.streamnative.io/v1alpha1", "ZooKeeperCluster", "istio", "private-cloud");
        assertEquals("strict", at(zk, "spec", "istio", "mtls", "mode"));
        assertEquals("sidecar", at(zk, "spec", "istio", "dataplaneMode"), "schema default");
    }

    @Test
    void streamNativeManifestAppliesUnchangedAndKeepsUnactedFields() throws IOException {
        apply("src/test/resources/crs/sn-quickstart-istio.yaml", "sn");
        GenericKubernetesResource broker = get("pulsar.streamnative.io/v1alpha1", "PulsarBroker", "sn", "private-cloud");
        assertNotNull(at(broker, "spec", "customization"), "customization is preserved, not pruned");
        assertNotNull(at(broker, "spec", "apiObjects", "statefulSet"), "apiObjects is preserved, not pruned");
        GenericKubernetesResource coordinator = get("k8s.streamnative.io/v1alpha1", "PulsarCoordinator", "sn",
                "private-cloud");
        assertNotNull(at(coordinator, "spec", "toolSet"), "toolSet is preserved, not pruned");
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "zookeeper.streamnative.io/v1alpha1|ZooKeeperCluster|{\"replicas\": 2}|ZooKeeper replicas must be odd",
            "zookeeper.streamnative.io/v1alpha1|ZooKeeperCluster|{\"replicas\": 11}|spec.replicas",
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"replicas\": -1}|spec.replicas",
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"istio\": {\"mtls\": {\"mode\": \"bogus\"}}}|mtls.mode must be strict, permissive or none",
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"istio\": {\"gateway\": {\"tls\": {\"mode\": \"Simple\"}}}}|gateway TLS mode simple needs certSecretName",
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"istio\": {\"gateway\": {\"tls\": {\"mode\": \"mutual\"}}}}|gateway tls.mode must be simple or passthrough",
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"istio\": {\"dataplaneMode\": \"Ambient\"}}|spec.istio.dataplaneMode",
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"tls\": {\"enabled\": true}}|tls.enabled needs certSecretName",
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"config\": {\"serviceURLGenerationPolicy\": \"Ordinal\"}}|spec.config.serviceURLGenerationPolicy",
            "pulsar.streamnative.io/v1alpha1|PulsarProxy|{\"imagePullPolicy\": \"always\"}|spec.imagePullPolicy",
            "bookkeeper.streamnative.io/v1alpha1|BookKeeperCluster|{\"storage\": {\"reclaimPolicy\": \"Keep\"}}|spec.storage.reclaimPolicy",
            "bookkeeper.streamnative.io/v1alpha1|BookKeeperCluster|{\"config\": {\"bookieIDPolicy\": \"UseIP\"}}|spec.config.bookieIDPolicy",
            "zookeeper.streamnative.io/v1alpha1|ZooKeeperCluster|{\"logConfig\": {\"level\": \"verbose\"}}|spec.logConfig.level",
    })
    void schemaRejectsBadInputWithAClearMessage(String apiVersion, String kind, String spec, String expected) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal("""
                {"apiVersion": "%s", "kind": "%s", "metadata": {"name": "bad", "namespace": "rejects"}, "spec": %s}
                """.formatted(apiVersion, kind, spec), GenericKubernetesResource.class);
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.resource(r).fieldManager("conformance").forceConflicts().serverSideApply());
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void namesTooLongForDerivedObjectsAreRejected() {
        String name = "b".repeat(46);
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal("""
                {"apiVersion": "pulsar.streamnative.io/v1alpha1", "kind": "PulsarBroker",
                 "metadata": {"name": "%s", "namespace": "rejects"}, "spec": {}}
                """.formatted(name), GenericKubernetesResource.class);
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.resource(r).fieldManager("conformance").serverSideApply());
        assertTrue(e.getMessage().contains("name must be at most 45 characters"), e.getMessage());
    }

    @Test
    void mixedCaseModesAreAcceptedAndScaleSubresourceWorks() {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal("""
                {"apiVersion": "pulsar.streamnative.io/v1alpha1", "kind": "PulsarBroker",
                 "metadata": {"name": "scaled", "namespace": "scale"},
                 "spec": {"istio": {"enabled": true, "mtls": {"mode": "STRICT"},
                          "gateway": {"tls": {"mode": "Passthrough"}}}}}
                """, GenericKubernetesResource.class);
        client.resource(r).fieldManager("conformance").serverSideApply();
        assertEquals(3, ((Number) at(get("pulsar.streamnative.io/v1alpha1", "PulsarBroker", "scale", "scaled"), "spec",
                "replicas")).intValue(), "default replicas");
        client.genericKubernetesResources("pulsar.streamnative.io/v1alpha1", "PulsarBroker").inNamespace("scale")
                .withName("scaled").scale(5);
        assertEquals(5, ((Number) at(get("pulsar.streamnative.io/v1alpha1", "PulsarBroker", "scale", "scaled"), "spec",
                "replicas")).intValue());
    }

    @SuppressWarnings("unchecked")
    static Object at(GenericKubernetesResource r, String... path) {
        Object o = r.getAdditionalProperties();
        for (String p : path) {
            if (!(o instanceof java.util.Map<?, ?> m)) {
                return null;
            }
            o = ((java.util.Map<String, Object>) m).get(p);
        }
        return o;
    }
}
