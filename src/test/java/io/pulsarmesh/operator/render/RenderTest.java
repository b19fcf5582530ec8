package io.pulsarmesh.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

class RenderTest {
    record Run(int exit, String out, String err) {
    }

    static Run render(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Render.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }

    @Test
    void rendersEveryObjectOfTheExampleCluster() throws IOException {
        Run run = render("-f", "kubernetes/examples/pulsar-cluster.yaml");
        assertEquals(0, run.exit(), run.err());
        List<JsonNode> docs = documents(run.out());
        List<String> ids = docs.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .toList();
        for (String expected : List.of("StatefulSet/private-cloud-zk", "Service/private-cloud-zk",
                "Service/private-cloud-zk-headless", "ConfigMap/private-cloud-zk", "PodDisruptionBudget/private-cloud-zk",
                "StatefulSet/private-cloud-bookie", "StatefulSet/private-cloud-bookie-recovery",
                "StatefulSet/private-cloud-broker", "Service/private-cloud-broker-headless",
                "Deployment/private-cloud-proxy", "Service/private-cloud-proxy")) {
            assertTrue(ids.contains(expected), expected + " in " + ids);
        }
        assertTrue(docs.stream().allMatch(d -> "pulsar".equals(d.path("metadata").path("namespace").asText())));
        // Resources read from files have no UID, and an owner reference without one would be refused on apply.
        assertTrue(docs.stream().allMatch(d -> d.path("metadata").path("ownerReferences").isMissingNode()));
    }

    @Test
    void rendersTheIstioObjectsWithTheCoordinatorsDefaults(@TempDir Path dir) throws IOException {
        String example = Files.readString(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"))
                .replace("trustDomain: cluster.local", "trustDomain: example.org");
        Files.writeString(dir.resolve("cluster.yaml"), example);
        Run run = render("-f", dir.resolve("cluster.yaml").toString());
        assertEquals(0, run.exit(), run.err());
        List<JsonNode> docs = documents(run.out());
        List<String> ids = docs.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .toList();
        for (String expected : List.of("PeerAuthentication/private-cloud-zk", "AuthorizationPolicy/private-cloud-broker",
                "DestinationRule/private-cloud-broker-headless", "Gateway/private-cloud-broker-gateway",
                "VirtualService/private-cloud-broker", "VirtualService/private-cloud-broker-1",
                "ServiceEntry/private-cloud-broker-0")) {
            assertTrue(ids.contains(expected), expected + " in " + ids);
        }
        JsonNode policy = docs.stream().filter(d -> "AuthorizationPolicy".equals(d.path("kind").asText())
                && "private-cloud-broker".equals(d.path("metadata").path("name").asText())).findFirst().orElseThrow();
        assertTrue(policy.toString().contains("example.org/ns/pulsar-mesh-operator/sa/pulsar-mesh-operator"),
                policy.toString());
    }

    @Test
    void aDirectoryRendersAllItsFilesAndDefaultsTheNamespace(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("zk.yaml"), """
                apiVersion: zookeeper.streamnative.io/v1alpha1
                kind: ZooKeeperCluster
                metadata:
                  name: zk1
                spec: {replicas: 1}
                """);
        Files.writeString(dir.resolve("notes.txt"), "not yaml: [");
        Run run = render("-f", dir.toString(), "-n", "team-a", "--image", "example.com/pulsar:1");
        assertEquals(0, run.exit(), run.err());
        List<JsonNode> docs = documents(run.out());
        assertEquals(5, docs.size());
        assertTrue(docs.stream().allMatch(d -> "team-a".equals(d.path("metadata").path("namespace").asText())));
        assertTrue(run.out().contains("image: \"example.com/pulsar:1\"") || run.out().contains("image: example.com/pulsar:1"));
    }

    @Test
    void aWrongTypeNamesTheFileAndField(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                apiVersion: pulsar.streamnative.io/v1alpha1
                kind: PulsarBroker
                metadata: {name: b}
                spec:
                  replicas: three
                """);
        Run run = render("-f", f.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains(f.toString()), run.err());
        assertTrue(run.err().contains("spec.replicas"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aSpecTheOperatorRefusesNamesTheField(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("reserved.yaml");
        Files.writeString(f, """
                apiVersion: pulsar.streamnative.io/v1alpha1
                kind: PulsarBroker
                metadata: {name: b}
                spec:
                  zkServers: zk:2181
                  config:
                    custom:
                      brokerServicePort: "7000"
                """);
        Run run = render("-f", f.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("spec.config.custom.brokerServicePort"), run.err());
        assertTrue(run.err().contains("ReservedConfigKey"), run.err());
    }

    @Test
    void unknownKindsMissingNamesAndMissingFilesAreErrors(@TempDir Path dir) throws IOException {
        Path kind = dir.resolve("kind.yaml");
        Files.writeString(kind, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        Run r1 = render("-f", kind.toString());
        assertEquals(1, r1.exit());
        assertTrue(r1.err().contains("kind ConfigMap"), r1.err());

        Path noName = dir.resolve("noname.yaml");
        Files.writeString(noName, "apiVersion: pulsar.streamnative.io/v1alpha1\nkind: PulsarProxy\nspec: {}\n");
        Run r2 = render("-f", noName.toString());
        assertEquals(1, r2.exit());
        assertTrue(r2.err().contains("metadata.name"), r2.err());

        Path group = dir.resolve("group.yaml");
        Files.writeString(group, "apiVersion: pulsar.streamnative.io/v1\nkind: PulsarProxy\nmetadata: {name: p}\n");
        Run r3 = render("-f", group.toString());
        assertEquals(1, r3.exit());
        assertTrue(r3.err().contains("must have apiVersion pulsar.streamnative.io/v1alpha1"), r3.err());

        Run r4 = render("-f", dir.resolve("absent.yaml").toString());
        assertEquals(1, r4.exit());
        assertTrue(r4.err().contains("no such file"), r4.err());

        Run r5 = render();
        assertEquals(1, r5.exit());
        assertTrue(r5.err().contains("Usage"), r5.err());
    }

    @Test
    void theStreamNativeManifestRenders() {
        Run run = render("-f", "src/test/resources/crs/sn-quickstart-istio.yaml");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("streamnative/private-cloud:4.0.5.2"));
    }
}
