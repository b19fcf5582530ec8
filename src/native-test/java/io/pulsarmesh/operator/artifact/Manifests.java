package io.pulsarmesh.operator.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.pulsarmesh.operator.render.Render;

/** The examples, and multi-document YAML as the {@code render} command prints it. */
final class Manifests {
    static final Path EXAMPLES = Path.of("kubernetes", "examples");
    static final Path ISTIO_EXAMPLE = EXAMPLES.resolve("pulsar-cluster-istio.yaml");
    static final Path PLAIN_EXAMPLE = EXAMPLES.resolve("pulsar-cluster.yaml");
    static final List<String> ISTIO_KINDS = List.of("PeerAuthentication", "AuthorizationPolicy", "DestinationRule",
            "Gateway", "VirtualService", "ServiceEntry");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    /** Every example custom resource file. */
    static List<Path> examples() {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of a YAML stream, empty ones left out. */
    static List<JsonNode> parse(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static List<JsonNode> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code render} prints for these arguments, computed in this JVM by the same code the artifact runs. */
    static String renderHere(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Render.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new AssertionError("render in the test JVM failed: " + err.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Number of documents of each kind. */
    static Map<String, Integer> kindCounts(List<JsonNode> docs) {
        Map<String, Integer> counts = new TreeMap<>();
        docs.forEach(d -> counts.merge(d.path("kind").asText(), 1, Integer::sum));
        return counts;
    }

    /** Names of the documents of one kind. */
    static TreeSet<String> names(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText()))
                .map(d -> d.path("metadata").path("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code Kind/name} of every document. */
    static TreeSet<String> keys(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
