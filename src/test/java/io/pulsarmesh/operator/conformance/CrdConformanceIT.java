package io.pulsarmesh.operator.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;

/**
 * Conformance tier: the generated CRDs against a real Kubernetes API server ({@link ConformanceCluster}). It proves
 * what the mock cannot: the CRDs are accepted (structural schema, CEL cost budget; applied before the first test), the
 * examples and an sn-operator manifest apply unchanged with server-side apply, schema defaults are filled in, CEL
 * rules reject bad input with their messages, and the scale subresource works. Everything is applied dry-run except
 * the one object the scale subresource needs, which is deleted afterwards.
 */
@ExtendWith(ConformanceCluster.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrdConformanceIT {
    ConformanceCluster cluster;
    KubernetesClient client;
    String ns;

    @BeforeAll
    void connect(ConformanceCluster cluster) {
        if (cluster != null) { // null: no server, every test is skipped
            this.cluster = cluster;
            this.client = cluster.client;
            this.ns = cluster.namespace;
        }
    }

    /** Dry-run applies every document of {@code file} in the test namespace; returns them as the server would store them. */
    List<GenericKubernetesResource> applyDryRun(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return client.load(in).items().stream().map(i -> {
                GenericKubernetesResource r = generic(i);
                r.getMetadata().setNamespace(ns);
                return cluster.apply(r, true);
            }).toList();
        }
    }

    GenericKubernetesResource generic(HasMetadata item) {
        return item instanceof GenericKubernetesResource g ? g
                : client.getKubernetesSerialization().convertValue(item, GenericKubernetesResource.class);
    }

    static GenericKubernetesResource find(List<GenericKubernetesResource> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.getKind()) && name.equals(o.getMetadata().getName()))
                .findFirst().orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + objects));
    }

    GenericKubernetesResource resource(String json) {
        return client.getKubernetesSerialization().unmarshal(json, GenericKubernetesResource.class);
    }

    @Test
    void everyCustomResourceKindIsServed() {
        for (Class<? extends HasMetadata> type : List.of(PulsarCoordinator.class, ZooKeeperCluster.class,
                BookKeeperCluster.class, PulsarBroker.class, PulsarProxy.class)) {
            assertTrue(client.supports(HasMetadata.getApiVersion(type), HasMetadata.getKind(type)),
                    HasMetadata.getApiVersion(type) + " " + HasMetadata.getKind(type) + " is served");
        }
    }

    @Test
    void examplesApplyWithDefaultsFilledIn() throws IOException {
        assertEquals(5, applyDryRun("kubernetes/examples/pulsar-cluster.yaml").size());
        List<GenericKubernetesResource> istio = applyDryRun("kubernetes/examples/pulsar-cluster-istio.yaml");
        assertEquals(5, istio.size());
        GenericKubernetesResource broker = find(istio, "PulsarBroker", "private-cloud");
        assertEquals("OrdinalPrefix", at(broker, "spec", "config", "serviceURLGenerationPolicy"));
        GenericKubernetesResource zk = find(istio, "ZooKeeperCluster", "private-cloud");
        assertEquals("strict", at(zk, "spec", "istio", "mtls", "mode"));
        assertEquals("istio-generatedid", at(broker, "spec", "istio", "gateway", "key"), "schema default");
        // No default: an unset data plane is inherited from the coordinator.
        assertNull(at(zk, "spec", "istio", "dataplaneMode"));
    }

    @Test
    void streamNativeManifestAppliesUnchangedAndKeepsUnactedFields() throws IOException {
        List<GenericKubernetesResource> applied = applyDryRun("src/test/resources/crs/sn-quickstart-istio.yaml");
        GenericKubernetesResource broker = find(applied, "PulsarBroker", "private-cloud");
        assertNotNull(at(broker, "spec", "customization"), "customization is preserved, not pruned");
        assertNotNull(at(broker, "spec", "apiObjects", "statefulSet"), "apiObjects is preserved, not pruned");
        GenericKubernetesResource coordinator = find(applied, "PulsarCoordinator", "private-cloud");
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
            "pulsar.streamnative.io/v1alpha1|PulsarBroker|{\"istio\": {\"authRules\": [{}]}}|an empty rule would admit all traffic",
            "zookeeper.streamnative.io/v1alpha1|ZooKeeperCluster|{\"istio\": {\"authRules\": [{\"fromSource\": [{}], \"toOperation\": [{\"ports\": [\"2181\"]}]}]}}|an empty source would admit any peer",
    })
    void schemaRejectsBadInputWithAClearMessage(String apiVersion, String kind, String spec, String expected) {
        GenericKubernetesResource r = resource("""
                {"apiVersion": "%s", "kind": "%s", "metadata": {"name": "bad", "namespace": "%s"}, "spec": %s}
                """.formatted(apiVersion, kind, ns, spec));
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> cluster.apply(r, true));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void namesTooLongForDerivedObjectsAreRejected() {
        GenericKubernetesResource r = resource("""
                {"apiVersion": "pulsar.streamnative.io/v1alpha1", "kind": "PulsarBroker",
                 "metadata": {"name": "%s", "namespace": "%s"}, "spec": {}}
                """.formatted("b".repeat(46), ns));
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> cluster.apply(r, true));
        assertTrue(e.getMessage().contains("name must be at most 45 characters"), e.getMessage());
        r.getMetadata().setName("b".repeat(45));
        assertEquals("b".repeat(45), cluster.apply(r, true).getMetadata().getName(), "45 characters are accepted");
    }

    @Test
    void mixedCaseModesAreAcceptedAndScaleSubresourceWorks() {
        GenericKubernetesResource r = resource("""
                {"apiVersion": "pulsar.streamnative.io/v1alpha1", "kind": "PulsarBroker",
                 "metadata": {"name": "scaled", "namespace": "%s"},
                 "spec": {"istio": {"enabled": true, "mtls": {"mode": "STRICT"},
                          "gateway": {"tls": {"mode": "Passthrough"}}}}}
                """.formatted(ns));
        var broker = client.genericKubernetesResources("pulsar.streamnative.io/v1alpha1", "PulsarBroker").inNamespace(ns)
                .withName("scaled");
        try {
            assertEquals(3, ((Number) at(cluster.apply(r, false), "spec", "replicas")).intValue(), "default replicas");
            broker.scale(5);
            assertEquals(5, ((Number) at(broker.get(), "spec", "replicas")).intValue());
        } finally {
            broker.delete();
        }
    }

    @SuppressWarnings("unchecked")
    static Object at(GenericKubernetesResource r, String... path) {
        Object o = r.getAdditionalProperties();
        for (String p : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = ((Map<String, Object>) m).get(p);
        }
        return o;
    }
}
