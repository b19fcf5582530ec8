package io.pulsarmesh.operator.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.jackson.JsonUnwrappedDeserializer;
import io.fabric8.kubernetes.model.jackson.UnwrappedTypeResolverBuilder;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;

/**
 * Checks, without GraalVM, that the native build would register for reflection what the operator deserializes: reads
 * the reflection configuration Quarkus generates into the runner jar of {@code target/native-sources/} (a build with
 * {@code -Dquarkus.native.sources-only=true}) and fails when a required type is missing or lacks constructors,
 * methods or fields.
 *
 * <p>Required, found by walking the declared fields of the roots (so a new spec field's type is required too):
 * <ul>
 * <li>the five custom resources and every type of this project's API and of the Kubernetes model their spec and
 * status reach;</li>
 * <li>the Istio kinds the operator manages and every Istio model type they reach, including the one-of interfaces
 * ({@code Is*}) and the implementations their {@code @JsonSubTypes} name;</li>
 * <li>fabric8's {@link UnwrappedTypeResolverBuilder} and {@link JsonUnwrappedDeserializer}, which Jackson creates by
 * reflection for those one-of fields (quarkus#54736).</li>
 * </ul>
 * Other Kubernetes model types are left to the Kubernetes client extension. The check reads the configuration only: it
 * cannot tell whether the image would be built, nor what a reachability analysis keeps.
 */
public final class NativeConfigCheck {
    static final List<Class<? extends CustomResource<?, ?>>> CUSTOM_RESOURCES = List.of(PulsarCoordinator.class,
            ZooKeeperCluster.class, BookKeeperCluster.class, PulsarBroker.class, PulsarProxy.class);
    static final List<Class<?>> ISTIO_KINDS = List.of(PeerAuthentication.class, AuthorizationPolicy.class,
            DestinationRule.class, Gateway.class, VirtualService.class, ServiceEntry.class);
    static final List<Class<?>> JACKSON_HELPERS = List.of(UnwrappedTypeResolverBuilder.class,
            JsonUnwrappedDeserializer.class);
    static final String API_PACKAGE = "io.pulsarmesh.operator.api.";
    static final String ISTIO_PACKAGE = "io.fabric8.istio.";
    static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model.";

    /** What a type needs registered. */
    enum Need {
        /** An entry: interfaces, abstract classes, enums. */
        PRESENT,
        /** Constructors: classes Jackson instantiates from an annotation. */
        CONSTRUCTORS,
        /** Constructors and methods or fields: classes Jackson creates and fills. */
        DATA
    }

    /** One type's registration, merged over all entries that name it. */
    record Registration(boolean constructors, boolean methods, boolean fields) {
        Registration or(Registration o) {
            return new Registration(constructors || o.constructors, methods || o.methods, fields || o.fields);
        }

        boolean satisfies(Need need) {
            return switch (need) {
                case PRESENT -> true;
                case CONSTRUCTORS -> constructors;
                case DATA -> constructors && (methods || fields);
            };
        }
    }

    /** The required types by group (for the report), each with its need. */
    record Requirements(Map<String, Map<String, Need>> groups) {
        int size() {
            return groups.values().stream().mapToInt(Map::size).sum();
        }
    }

    private NativeConfigCheck() {
    }

    /** {@code NativeConfigCheck NATIVE_SOURCES_DIR}: prints what was checked; throws when anything is missing. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: NativeConfigCheck NATIVE_SOURCES_DIR");
        }
        System.out.print(check(Path.of(args[0])));
    }

    /** Checks the native sources in {@code dir}; returns a report of what was checked, or throws naming what is missing. */
    static String check(Path dir) throws IOException {
        Requirements required = requirements();
        Map<String, Registration> config = read(dir);
        List<String> problems = problems(required, config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the native configuration in " + dir + " lacks " + problems.size()
                    + " of " + required.size() + " required reflection registrations:\n  "
                    + String.join("\n  ", problems));
        }
        StringBuilder report = new StringBuilder("native configuration check: " + config.size()
                + " types registered for reflection in " + dir.relativize(runnerJar(dir)) + "; all " + required.size()
                + " required are there:\n");
        required.groups().forEach((group, types) -> report.append("  ").append(types.size()).append(' ').append(group)
                .append('\n'));
        return report.toString();
    }

    /** Every required type, grouped, with what it needs. */
    static Requirements requirements() {
        Map<String, Map<String, Need>> groups = new LinkedHashMap<>();
        Set<Class<?>> api = new LinkedHashSet<>();
        for (Class<? extends CustomResource<?, ?>> cr : CUSTOM_RESOURCES) {
            api.addAll(reach(cr, c -> c.getName().startsWith(API_PACKAGE) || c.getName().startsWith(MODEL_PACKAGE)));
        }
        Set<Class<?>> model = new LinkedHashSet<>(api.stream().filter(c -> c.getName().startsWith(MODEL_PACKAGE)).toList());
        api.removeAll(model);
        groups.put("custom resource types (" + CUSTOM_RESOURCES.size() + " kinds, their specs, statuses and parts)",
                needs(api));
        groups.put("Kubernetes model types in those specs and statuses", needs(model));
        Set<Class<?>> istio = new LinkedHashSet<>();
        for (Class<?> kind : ISTIO_KINDS) {
            istio.addAll(reach(kind, c -> c.getName().startsWith(ISTIO_PACKAGE)));
        }
        Set<Class<?>> oneOf = new LinkedHashSet<>();
        for (Class<?> c : istio) {
            if (c.isInterface() && c.getSimpleName().startsWith("Is")) {
                oneOf.add(c);
                JsonSubTypes sub = c.getAnnotation(JsonSubTypes.class);
                if (sub != null) {
                    for (JsonSubTypes.Type t : sub.value()) {
                        oneOf.add(t.value());
                    }
                }
            }
        }
        istio.removeAll(oneOf);
        groups.put("Istio types (" + ISTIO_KINDS.size() + " kinds and the types they reach)", needs(istio));
        groups.put("Istio one-of types (Is* interfaces and their implementations)", needs(oneOf));
        Map<String, Need> helpers = new TreeMap<>();
        JACKSON_HELPERS.forEach(h -> helpers.put(h.getName(), Need.CONSTRUCTORS));
        groups.put("Jackson helpers of the one-of types", helpers);
        return new Requirements(groups);
    }

    private static Map<String, Need> needs(Set<Class<?>> types) {
        Map<String, Need> needs = new TreeMap<>();
        for (Class<?> c : types) {
            boolean bare = c.isInterface() || c.isEnum() || Modifier.isAbstract(c.getModifiers());
            needs.put(c.getName(), bare ? Need.PRESENT : Need.DATA);
        }
        return needs;
    }

    /**
     * The root and every type in scope that its non-static fields reach (through collections, maps and arrays), with
     * superclasses in scope, the implementations a {@code @JsonSubTypes} interface names, and for a custom resource
     * its spec and status types.
     */
    static Set<Class<?>> reach(Class<?> root, Predicate<Class<?>> inScope) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        seen.add(root);
        todo.add(root);
        if (root.getGenericSuperclass() instanceof ParameterizedType p && CustomResource.class.equals(p.getRawType())) {
            for (Type arg : p.getActualTypeArguments()) {
                visit(arg, inScope, seen, todo);
            }
        }
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                    visit(f.getGenericType(), inScope, seen, todo);
                }
            }
            visit(c.getGenericSuperclass(), inScope, seen, todo);
            JsonSubTypes sub = c.getAnnotation(JsonSubTypes.class);
            if (sub != null) {
                for (JsonSubTypes.Type t : sub.value()) {
                    visit(t.value(), inScope, seen, todo);
                }
            }
        }
        return seen;
    }

    private static void visit(Type t, Predicate<Class<?>> inScope, Set<Class<?>> seen, Deque<Class<?>> todo) {
        if (t instanceof Class<?> c) {
            if (c.isArray()) {
                visit(c.getComponentType(), inScope, seen, todo);
            } else if (!c.isPrimitive() && inScope.test(c) && seen.add(c)) {
                todo.add(c);
            }
        } else if (t instanceof ParameterizedType p) {
            visit(p.getRawType(), inScope, seen, todo);
            for (Type arg : p.getActualTypeArguments()) {
                visit(arg, inScope, seen, todo);
            }
        } else if (t instanceof GenericArrayType a) {
            visit(a.getGenericComponentType(), inScope, seen, todo);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                visit(b, inScope, seen, todo);
            }
        }
    }

    /** What is wrong, one line per type; empty when everything required is registered. */
    static List<String> problems(Requirements required, Map<String, Registration> config) {
        List<String> problems = new ArrayList<>();
        required.groups().forEach((group, types) -> types.forEach((type, need) -> {
            Registration r = config.get(type);
            if (r == null) {
                problems.add(type + ": not registered");
            } else if (!r.satisfies(need)) {
                problems.add(type + ": registered without " + (r.constructors() ? "methods or fields" : "constructors"));
            }
        }));
        return problems;
    }

    /** The single {@code *-runner.jar} of a native-sources directory. */
    static Path runnerJar(Path nativeSources) throws IOException {
        if (!Files.isDirectory(nativeSources)) {
            throw new IllegalStateException(nativeSources + " does not exist: build with -Dquarkus.native.enabled=true "
                    + "-Dquarkus.native.sources-only=true first");
        }
        try (Stream<Path> files = Files.list(nativeSources)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one *-runner.jar in " + nativeSources + ", found " + jars);
            }
            return jars.get(0);
        }
    }

    /**
     * The reflection registrations of the runner jar: every {@code META-INF/native-image/**}{@code reflect-config.json}
     * (entries with {@code name}) and {@code reachability-metadata.json} (its {@code reflection} entries, with
     * {@code type}), merged by type.
     */
    static Map<String, Registration> read(Path nativeSources) throws IOException {
        Path jar = runnerJar(nativeSources);
        Map<String, Registration> config = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        int files = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                String name = e.getName();
                if (!name.startsWith("META-INF/native-image/")) {
                    continue;
                }
                JsonNode entries;
                if (name.endsWith("reflect-config.json")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        entries = json.readTree(in);
                    }
                } else if (name.endsWith("reachability-metadata.json")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        entries = json.readTree(in).path("reflection");
                    }
                } else {
                    continue;
                }
                files++;
                for (JsonNode entry : entries) {
                    String type = entry.hasNonNull("name") ? entry.get("name").asText() : entry.path("type").asText(null);
                    if (type != null) {
                        config.merge(type, registration(entry), Registration::or);
                    }
                }
            }
        }
        if (files == 0) {
            throw new IllegalStateException(jar + " holds no reflection configuration under META-INF/native-image/");
        }
        return config;
    }

    static Registration registration(JsonNode e) {
        boolean constructors = e.path("allDeclaredConstructors").asBoolean() || e.path("allPublicConstructors").asBoolean();
        boolean methods = e.path("allDeclaredMethods").asBoolean() || e.path("allPublicMethods").asBoolean();
        for (JsonNode m : e.path("methods")) {
            if ("<init>".equals(m.path("name").asText())) {
                constructors = true;
            } else {
                methods = true;
            }
        }
        boolean fields = e.path("allDeclaredFields").asBoolean() || e.path("allPublicFields").asBoolean()
                || e.path("fields").size() > 0;
        return new Registration(constructors, methods, fields);
    }
}
