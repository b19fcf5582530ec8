package io.pulsarmesh.operator.render;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.SpecProblem;

/**
 * {@code render -f FILE_OR_DIR [-f ...] [-n NAMESPACE] [--image IMAGE]}: prints, as multi-document YAML, every object
 * the operator would create for the custom resources in the given files, using the same pure functions as the
 * reconcilers. Needs no cluster. Bad input: a message naming the file, document and field on stderr, exit code 1.
 * Components take the Istio defaults of a PulsarCoordinator found in the same files. Owner references are left out
 * (resources read from files have no UID), so the output can be applied as it is.
 */
public final class Render {
    public static final String COMMAND = "render";
    /** The operator's custom resources, by kind. */
    public static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = Map.of(
            "PulsarCoordinator", PulsarCoordinator.class,
            "ZooKeeperCluster", ZooKeeperCluster.class,
            "BookKeeperCluster", BookKeeperCluster.class,
            "PulsarBroker", PulsarBroker.class,
            "PulsarProxy", PulsarProxy.class);

    static final String USAGE = """
            Usage: render -f FILE_OR_DIR [-f FILE_OR_DIR ...] [-n NAMESPACE] [--image IMAGE]
              Prints every object pulsar-mesh-operator would create for the custom resources in the files
              (YAML, one or more documents each; a directory means its *.yaml and *.yml files).
              -n NAMESPACE   namespace of resources that name none (default: default)
              --image IMAGE  image of components that name none (default: %s)
            """.formatted(ModelSettings.DEFAULT_IMAGE);

    private Render() {
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> inputs = new ArrayList<>();
        String namespace = "default";
        ModelSettings settings = ModelSettings.defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (a) {
                case "-f", "--filename" -> {
                    if (!hasValue) {
                        return usage(err, "missing value after " + a);
                    }
                    inputs.add(Path.of(args[++i]));
                }
                case "-n", "--namespace" -> {
                    if (!hasValue) {
                        return usage(err, "missing value after " + a);
                    }
                    namespace = args[++i];
                }
                case "--image" -> {
                    if (!hasValue) {
                        return usage(err, "missing value after " + a);
                    }
                    settings = settings.withImage(args[++i]);
                }
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    return usage(err, "unknown argument " + a);
                }
            }
        }
        if (inputs.isEmpty()) {
            return usage(err, "no input: give -f FILE_OR_DIR");
        }
        try {
            List<Path> files = new ArrayList<>();
            for (Path p : inputs) {
                files.addAll(expand(p));
            }
            List<Loaded> resources = new ArrayList<>();
            for (Path f : files) {
                resources.addAll(load(f, namespace));
            }
            List<String> problems = new ArrayList<>();
            List<CustomResource<?, ?>> all = resources.stream().<CustomResource<?, ?>>map(Loaded::resource).toList();
            for (Loaded l : resources) {
                for (SpecProblem p : Renderer.validate(l.resource(), Renderer.mesh(l.resource(), all))) {
                    problems.add(l.origin() + ": " + p.field() + ": " + p.message() + " (" + p.reason() + ")");
                }
            }
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("error: " + p));
                return 1;
            }
            KubernetesSerialization yaml = new KubernetesSerialization();
            StringBuilder sb = new StringBuilder();
            for (Loaded l : resources) {
                for (HasMetadata o : withoutUnresolvedOwners(
                        Renderer.desired(l.resource(), settings, all))) {
                    sb.append("# Source: ").append(l.origin()).append('\n');
                    String doc = yaml.asYaml(o);
                    sb.append(doc.startsWith("---") ? doc : "---\n" + doc);
                    if (!doc.endsWith("\n")) {
                        sb.append('\n');
                    }
                }
            }
            out.print(sb);
            out.flush();
            return 0;
        } catch (InputException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The objects without owner references that name no UID: custom resources read from files have none, and the API
     * server rejects such references, so the printed objects stay applicable. The operator always sets them.
     */
    public static List<HasMetadata> withoutUnresolvedOwners(List<HasMetadata> objects) {
        for (HasMetadata o : objects) {
            List<io.fabric8.kubernetes.api.model.OwnerReference> refs = o.getMetadata().getOwnerReferences();
            if (refs != null && refs.stream().anyMatch(r -> r.getUid() == null || r.getUid().isBlank())) {
                List<io.fabric8.kubernetes.api.model.OwnerReference> kept = refs.stream()
                        .filter(r -> r.getUid() != null && !r.getUid().isBlank()).toList();
                o.getMetadata().setOwnerReferences(kept.isEmpty() ? null : new ArrayList<>(kept));
            }
        }
        return objects;
    }

    private static int usage(PrintStream err, String message) {
        err.println("error: " + message);
        err.print(USAGE);
        return 1;
    }

    static List<Path> expand(Path p) {
        if (!Files.exists(p)) {
            throw new InputException(p + ": no such file or directory");
        }
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new InputException(p + ": " + e.getMessage());
        }
    }

    /** A parsed custom resource and where it came from. */
    public record Loaded(CustomResource<?, ?> resource, String origin) {
    }

    public static List<Loaded> load(Path file, String defaultNamespace) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper typed = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        new KubernetesSerialization(typed, true);
        List<Loaded> out = new ArrayList<>();
        int index = 0;
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                String where = file + " (document " + index + ")";
                String kind = doc.path("kind").asText(null);
                String apiVersion = doc.path("apiVersion").asText(null);
                Class<? extends CustomResource<?, ?>> type = kind == null ? null : KINDS.get(kind);
                if (type == null) {
                    throw new InputException(where + ": kind " + kind + " (apiVersion " + apiVersion
                            + ") is not a custom resource of this operator; expected one of " + KINDS.keySet());
                }
                String expected = io.fabric8.kubernetes.api.model.HasMetadata.getApiVersion(type);
                if (!expected.equals(apiVersion)) {
                    throw new InputException(where + ": apiVersion: " + kind + " must have apiVersion " + expected
                            + ", not " + apiVersion);
                }
                String name = doc.path("metadata").path("name").asText("");
                if (name.isBlank()) {
                    throw new InputException(where + ": metadata.name: required");
                }
                if (doc.path("metadata").path("namespace").asText("").isBlank()) {
                    ((ObjectNode) doc.path("metadata")).put("namespace", defaultNamespace);
                }
                CustomResource<?, ?> cr;
                try {
                    cr = typed.treeToValue(doc, type);
                } catch (JsonMappingException e) {
                    throw new InputException(where + ": " + fieldPath(e) + ": " + e.getOriginalMessage());
                }
                out.add(new Loaded(cr, file + " " + kind + "/" + name));
            }
        } catch (IOException e) {
            throw new InputException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return out;
    }

    static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(document)" : sb.toString();
    }

    /** Bad input, reported without a stack trace. */
    static final class InputException extends RuntimeException {
        InputException(String message) {
            super(message);
        }
    }
}
