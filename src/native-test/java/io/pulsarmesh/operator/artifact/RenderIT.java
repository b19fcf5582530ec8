package io.pulsarmesh.operator.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

/**
 * The packaged artifact's {@code render} command (no Quarkus boot, no cluster) on every example: it must print
 * exactly the objects the model computes in this JVM, with the expected kinds, counts and names, and report bad input
 * with its field and exit code 1. On the native
 * executable this proves that the custom resources deserialize and that every Kubernetes and Istio model class
 * serializes with all its fields (a class missing from the reflection configuration prints fewer fields or fails).
 */
@QuarkusMainIntegrationTest
class RenderIT {
    private static final Map<Path, List<JsonNode>> RENDERED = new HashMap<>();

    static List<Path> examples() {
        return Manifests.examples();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleRendersWhatTheModelComputes(Path example, QuarkusMainLauncher launcher) {
        List<JsonNode> docs = render(example, launcher);
        assertEquals(Manifests.parse(Manifests.renderHere("-f", example.toString())), docs,
                "the artifact prints what the model computes for " + example);

        List<JsonNode> resources = Manifests.read(example);
        boolean meshed = false;
        for (JsonNode cr : resources) {
            String name = cr.path("metadata").path("name").asText();
            meshed |= cr.path("spec").path("istio").path("enabled").asBoolean();
            switch (cr.path("kind").asText()) {
                case "ZooKeeperCluster" -> assertTrue(Manifests.names(docs, "StatefulSet").contains(name + "-zk"));
                case "BookKeeperCluster" -> assertTrue(Manifests.names(docs, "StatefulSet")
                        .containsAll(Set.of(name + "-bookie", name + "-bookie-recovery")));
                case "PulsarBroker" -> assertTrue(Manifests.names(docs, "StatefulSet").contains(name + "-broker"));
                case "PulsarProxy" -> assertTrue(Manifests.names(docs, "Deployment").contains(name + "-proxy"));
                default -> {
                }
            }
        }
        Map<String, Integer> counts = Manifests.kindCounts(docs);
        for (String kind : Manifests.ISTIO_KINDS) {
            assertEquals(meshed, counts.containsKey(kind), example + ": " + kind + " in " + counts);
        }
        for (JsonNode d : docs) {
            assertEquals("pulsar", d.path("metadata").path("namespace").asText(), Manifests.keys(List.of(d)).toString());
            assertEquals("pulsar-mesh-operator",
                    d.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText());
        }
    }

    @Test
    void theClusterWithoutIstioIsItsWorkloadsAndNothingOfTheMesh(QuarkusMainLauncher launcher) {
        List<JsonNode> docs = render(Manifests.PLAIN_EXAMPLE, launcher);
        assertEquals(new TreeMap<>(Map.of("ConfigMap", 5, "Deployment", 1, "PodDisruptionBudget", 4, "Service", 7,
                "StatefulSet", 4)), Manifests.kindCounts(docs));
        assertEquals(Set.of("private-cloud-zk", "private-cloud-bookie", "private-cloud-bookie-recovery",
                "private-cloud-broker"), Manifests.names(docs, "StatefulSet"));
        assertEquals(Set.of("private-cloud-zk", "private-cloud-zk-headless", "private-cloud-bookie",
                "private-cloud-bookie-headless", "private-cloud-broker", "private-cloud-broker-headless",
                "private-cloud-proxy"), Manifests.names(docs, "Service"));
        for (JsonNode d : docs) {
            JsonNode template = d.path("spec").path("template");
            if (!template.isMissingNode()) {
                assertEquals("false", template.path("metadata").path("labels").path("sidecar.istio.io/inject").asText(),
                        "out of the mesh: " + Manifests.keys(List.of(d)));
            }
        }
    }

    @Test
    void theIstioClusterGetsItsPoliciesAndGatewayRoutes(QuarkusMainLauncher launcher) {
        List<JsonNode> docs = render(Manifests.ISTIO_EXAMPLE, launcher);
        assertEquals(44, docs.size());
        Map<String, Integer> counts = Manifests.kindCounts(docs);
        assertEquals(Map.of("PeerAuthentication", 5, "AuthorizationPolicy", 5, "DestinationRule", 7, "Gateway", 1,
                "VirtualService", 3, "ServiceEntry", 2),
                Map.of("PeerAuthentication", counts.get("PeerAuthentication"), "AuthorizationPolicy",
                        counts.get("AuthorizationPolicy"), "DestinationRule", counts.get("DestinationRule"), "Gateway",
                        counts.get("Gateway"), "VirtualService", counts.get("VirtualService"), "ServiceEntry",
                        counts.get("ServiceEntry")));
        assertEquals(Set.of("private-cloud-broker-gateway"), Manifests.names(docs, "Gateway"));
        assertEquals(Set.of("private-cloud-broker", "private-cloud-broker-0", "private-cloud-broker-1"),
                Manifests.names(docs, "VirtualService"));
        assertEquals(Set.of("private-cloud-broker-0", "private-cloud-broker-1"), Manifests.names(docs, "ServiceEntry"));
        assertEquals(Set.of("private-cloud-zk", "private-cloud-bookie", "private-cloud-bookie-recovery",
                "private-cloud-broker", "private-cloud-proxy"), Manifests.names(docs, "PeerAuthentication"));

        JsonNode zkPolicy = doc(docs, "PeerAuthentication", "private-cloud-zk");
        assertEquals("STRICT", zkPolicy.path("spec").path("mtls").path("mode").asText());
        JsonNode route = doc(docs, "VirtualService", "private-cloud-broker");
        assertEquals("pulsar.example.com", route.path("spec").path("hosts").path(0).asText());
        assertEquals(6651, route.path("spec").path("tcp").path(0).path("match").path(0).path("port").asInt());
        assertEquals("private-cloud-broker.pulsar.svc.cluster.local",
                route.path("spec").path("tcp").path(0).path("route").path(0).path("destination").path("host").asText());
        JsonNode gateway = doc(docs, "Gateway", "private-cloud-broker-gateway");
        assertTrue(gateway.path("spec").toString().contains("pb1-pulsar.example.com"), gateway.toString());
        JsonNode broker = doc(docs, "StatefulSet", "private-cloud-broker");
        assertEquals("true",
                broker.path("spec").path("template").path("metadata").path("labels").path("sidecar.istio.io/inject").asText());
    }

    @Test
    void badInputIsReportedWithItsFieldAndExitCode1(QuarkusMainLauncher launcher, @TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: pulsar.streamnative.io/v1alpha1
                kind: PulsarBroker
                metadata:
                  name: b
                spec:
                  replicas: three
                """);
        LaunchResult result = launcher.launch("render", "-f", bad.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.getOutput().isBlank(), result.getOutput());
        String error = result.getErrorOutput();
        assertTrue(error.contains("bad.yaml (document 1): spec.replicas:"), error);
        assertFalse(error.contains("\tat "), "no stack trace: " + error);
    }

    /**
     * The objects the artifact prints for one example. All examples are rendered by one launch of
     * {@code render -f kubernetes/examples}, split by the {@code # Source: FILE Kind/name} line before each object.
     */
    static List<JsonNode> render(Path example, QuarkusMainLauncher launcher) {
        synchronized (RENDERED) {
            if (RENDERED.isEmpty()) {
                LaunchResult result = launcher.launch("render", "-f", Manifests.EXAMPLES.toString());
                assertEquals(0, result.exitCode(), result.getErrorOutput());
                RENDERED.putAll(bySource(result.getOutput()));
                assertEquals(Set.copyOf(Manifests.examples()), RENDERED.keySet(), "every example file, nothing else");
            }
        }
        return RENDERED.get(example);
    }

    static Map<Path, List<JsonNode>> bySource(String output) {
        Map<Path, List<JsonNode>> docs = new LinkedHashMap<>();
        Path source = null;
        StringBuilder doc = new StringBuilder();
        for (String line : (output + "\n# Source: end").split("\n")) {
            if (line.startsWith("# Source: ")) {
                if (source == null) {
                    assertTrue(doc.toString().isBlank(), "output before the first source line: " + doc);
                } else {
                    List<JsonNode> parsed = Manifests.parse(doc.toString());
                    assertEquals(1, parsed.size(), "one object after each source line: " + doc);
                    docs.computeIfAbsent(source, k -> new ArrayList<>()).add(parsed.get(0));
                }
                String from = line.substring("# Source: ".length());
                source = Path.of(from.substring(0, Math.max(0, from.lastIndexOf(' '))));
                doc.setLength(0);
            } else {
                doc.append(line).append('\n');
            }
        }
        return docs;
    }

    static JsonNode doc(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())
                && name.equals(d.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }
}
