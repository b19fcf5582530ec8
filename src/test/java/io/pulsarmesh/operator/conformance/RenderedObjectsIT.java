package io.pulsarmesh.operator.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.render.Renderer;

/**
 * Conformance tier: every object the operator would create for the examples (what {@code render} prints, from the
 * same functions) is accepted by a real API server ({@link ConformanceCluster}) — server-side applied dry-run, so
 * nothing is stored. Kinds the server does not serve are counted and skipped: a server that serves only CRDs checks
 * the Istio objects against Istio's own CRD schemas and CEL rules (when those CRDs are installed), a full cluster
 * checks the built-in kinds too.
 */
@ExtendWith(ConformanceCluster.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenderedObjectsIT {
    static final Path EXAMPLES = Path.of("kubernetes", "examples");
    static final String ISTIO_NETWORKING = "networking.istio.io";

    ConformanceCluster cluster; // null: no server, every test is skipped

    @BeforeAll
    void connect(ConformanceCluster cluster) {
        this.cluster = cluster;
    }

    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** How many of the objects counted by {@code "apiVersion kind"} belong to API group {@code group}. */
    static int inGroup(Map<String, Integer> counts, String group) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(group + "/")).mapToInt(Map.Entry::getValue)
                .sum();
    }

    @Test
    void everyRenderedObjectOfTheExamplesIsAccepted() throws IOException {
        Map<String, Integer> applied = new TreeMap<>();
        Map<String, Integer> notServed = new TreeMap<>();
        Map<String, Boolean> served = new HashMap<>();
        List<String> rejected = new ArrayList<>();
        List<Path> files = exampleFiles();
        assertFalse(files.isEmpty(), "examples in " + EXAMPLES);
        for (Path file : files) {
            for (Render.Loaded loaded : Render.load(file, cluster.namespace)) {
                HasMetadata cr = loaded.resource();
                // The operator renders from the stored resource: in the test namespace, with the uid that owner
                // references must carry (the API server rejects an owner reference without one).
                cr.getMetadata().setNamespace(cluster.namespace);
                cr.getMetadata().setUid(UUID.randomUUID().toString());
                assertEquals(List.of(), Renderer.validate(cr), loaded.origin());
                for (HasMetadata object : Renderer.desired(cr, ModelSettings.defaults())) {
                    object.getMetadata().setNamespace(cluster.namespace);
                    String kind = object.getApiVersion() + " " + object.getKind();
                    if (!served.computeIfAbsent(kind, k -> cluster.client.supports(object.getApiVersion(),
                            object.getKind()))) {
                        notServed.merge(kind, 1, Integer::sum);
                        continue;
                    }
                    try {
                        cluster.apply(object, true);
                        applied.merge(kind, 1, Integer::sum);
                    } catch (KubernetesClientException e) {
                        rejected.add(loaded.origin() + " -> " + kind + " " + object.getMetadata().getName() + ": "
                                + message(e));
                    }
                }
            }
        }
        System.err.println("conformance tier: rendered objects of " + EXAMPLES + " applied (dry run): " + applied
                + "; skipped as not served: " + notServed);
        assertTrue(rejected.isEmpty(), "rejected by the API server:\n" + String.join("\n", rejected));
        int appliedIstio = inGroup(applied, ISTIO_NETWORKING);
        int renderedIstio = appliedIstio + inGroup(notServed, ISTIO_NETWORKING); // none was rejected
        if (renderedIstio > 0 && cluster.client.getApiResources(ISTIO_NETWORKING + "/v1") != null) {
            assertTrue(appliedIstio > 0, "the server serves " + ISTIO_NETWORKING + "/v1 and render produced "
                    + renderedIstio + " objects of that group, but none was applied; not served: " + notServed);
        }
    }

    /**
     * Proves that Istio's CRD schema and CEL rules are enforced, so the test above would reject a bad Istio object.
     * Skipped where Istio's CRDs are not installed, unless the tier is required (as in CI, which installs them).
     */
    @Test
    void istioVirtualServicesAreValidatedByTheServer() {
        String apiVersion = ISTIO_NETWORKING + "/v1";
        String notServed = apiVersion + " VirtualService is not served: install Istio's CRDs, for example with"
                + " CONFORMANCE_PREINSTALL";
        if (ConformanceCluster.required()) {
            assertTrue(cluster.client.supports(apiVersion, "VirtualService"), notServed + " (CONFORMANCE_REQUIRED=true)");
        }
        assumeTrue(cluster.client.supports(apiVersion, "VirtualService"), notServed);
        GenericKubernetesResource valid = virtualService("conformance-valid", "5s");
        GenericKubernetesResource accepted = cluster.apply(valid, true);
        assertEquals("conformance-valid", accepted.getMetadata().getName());
        assertEquals(cluster.namespace, accepted.getMetadata().getNamespace());

        GenericKubernetesResource invalid = virtualService("conformance-invalid", "0s");
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> cluster.apply(invalid, true));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("must be a valid duration greater than 1ms"), e.getMessage());
    }

    GenericKubernetesResource virtualService(String name, String timeout) {
        return cluster.client.getKubernetesSerialization().unmarshal("""
                {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": {"hosts": ["pulsar.example.com"],
                          "http": [{"timeout": "%s", "route": [{"destination": {"host": "private-cloud-broker"}}]}]}}
                """.formatted(name, cluster.namespace, timeout), GenericKubernetesResource.class);
    }

    static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
