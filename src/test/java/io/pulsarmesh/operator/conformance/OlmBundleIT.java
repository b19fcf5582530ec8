package io.pulsarmesh.operator.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulsarmesh.operator.olm.BundleGenerator;

/**
 * Conformance tier: the bundle's ClusterServiceVersion passes OLM's own CSV schema on a real API server (OLM's
 * ClusterServiceVersion CRD installed, as {@code .ci/run} does through {@code CONFORMANCE_PREINSTALL}), and its
 * {@code alm-examples} pass the operator's CRDs. Server-side apply, dry run: nothing is stored.
 */
@ExtendWith(ConformanceCluster.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OlmBundleIT {
    static final Path CSV = Path.of("olm-bundle", "manifests", BundleGenerator.CSV_FILE);
    static final String OLM = "operators.coreos.com/v1alpha1";

    ConformanceCluster cluster;

    @BeforeAll
    void connect(ConformanceCluster cluster) {
        this.cluster = cluster;
    }

    boolean olmServed() {
        String notServed = OLM + " ClusterServiceVersion is not served: install OLM's CRD, for example with"
                + " CONFORMANCE_PREINSTALL";
        boolean served = cluster.client.supports(OLM, "ClusterServiceVersion");
        if (ConformanceCluster.required()) {
            assertTrue(served, notServed + " (CONFORMANCE_REQUIRED=true)");
        }
        assumeTrue(served, notServed);
        return served;
    }

    GenericKubernetesResource csv() throws IOException {
        GenericKubernetesResource csv = cluster.client.getKubernetesSerialization().unmarshal(Files.readString(CSV),
                GenericKubernetesResource.class);
        csv.getMetadata().setNamespace(cluster.namespace);
        return csv;
    }

    @Test
    void clusterServiceVersionPassesOlmsSchema() throws IOException {
        olmServed();
        GenericKubernetesResource csv = csv();
        GenericKubernetesResource accepted = cluster.apply(csv, true);
        assertEquals(csv.getMetadata().getName(), accepted.getMetadata().getName());
        // The server kept every part of the spec: nothing was pruned as unknown to OLM's schema.
        assertEquals(csv.getAdditionalProperties().get("spec"), accepted.getAdditionalProperties().get("spec"),
                "OLM's schema pruned or defaulted part of the CSV's spec");
        System.err.println("conformance tier: " + CSV + " accepted by OLM's ClusterServiceVersion schema");
    }

    /** Proves the schema is enforced, so the test above would reject a malformed CSV. */
    @Test
    @SuppressWarnings("unchecked")
    void aMalformedClusterServiceVersionIsRejected() throws IOException {
        olmServed();
        GenericKubernetesResource csv = csv();
        Map<String, Object> spec = (Map<String, Object>) csv.getAdditionalProperties().get("spec");
        spec.remove("displayName"); // required by OLM's schema
        ((List<Map<String, Object>>) spec.get("installModes")).get(0).remove("supported"); // required too
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> cluster.apply(csv, true));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("spec.displayName") && e.getMessage().contains("supported"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void almExamplesAreAcceptedByTheOperatorsCrds() throws IOException {
        GenericKubernetesResource csv = csv();
        Map<String, Object> annotations = csv.getMetadata().getAnnotations().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        List<Map<String, Object>> examples = new ObjectMapper().readValue((String) annotations.get("alm-examples"),
                List.class);
        assertFalse(examples.isEmpty());
        for (Map<String, Object> example : examples) {
            GenericKubernetesResource cr = cluster.client.getKubernetesSerialization().convertValue(example,
                    GenericKubernetesResource.class);
            cr.getMetadata().setNamespace(cluster.namespace);
            GenericKubernetesResource accepted = cluster.apply(cr, true);
            assertEquals(cr.getKind(), accepted.getKind());
        }
        System.err.println("conformance tier: " + examples.size() + " alm-examples accepted (dry run)");
    }
}
