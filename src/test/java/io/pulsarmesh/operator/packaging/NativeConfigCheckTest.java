package io.pulsarmesh.operator.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.istio.api.api.networking.v1alpha3.IsStringMatchMatchType;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.kubernetes.model.jackson.UnwrappedTypeResolverBuilder;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBrokerSpec;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterStatus;

/** The native configuration check passes a complete configuration and names what a configuration lacks. */
class NativeConfigCheckTest {
    @TempDir
    Path dir;

    @Test
    void requiresTheCustomResourcesTheIstioKindsTheirOneOfTypesAndTheResolver() {
        Set<String> required = all();
        for (Class<?> c : NativeConfigCheck.CUSTOM_RESOURCES) {
            assertTrue(required.contains(c.getName()), c.getName());
        }
        for (Class<?> c : NativeConfigCheck.ISTIO_KINDS) {
            assertTrue(required.contains(c.getName()), c.getName());
        }
        for (Class<?> c : List.of(PulsarBrokerSpec.class, ZooKeeperClusterStatus.class,
                io.pulsarmesh.operator.api.common.v1alpha1.Condition.class,
                io.fabric8.kubernetes.api.model.ResourceRequirements.class, IsStringMatchMatchType.class,
                StringMatchPrefix.class, UnwrappedTypeResolverBuilder.class,
                io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLS.class)) {
            assertTrue(required.contains(c.getName()), c.getName());
        }
        long oneOf = required.stream().filter(n -> n.substring(n.lastIndexOf('.') + 1).startsWith("Is")).count();
        assertTrue(oneOf >= 5, "one-of interfaces found: " + oneOf);
    }

    @Test
    void aCompleteConfigurationPasses() throws IOException {
        writeRunnerJar(complete(UnaryOperator.identity()), "reflect-config.json");
        assertEquals(List.of(), NativeConfigCheck.problems(NativeConfigCheck.requirements(), NativeConfigCheck.read(dir)));
        String report = NativeConfigCheck.check(dir);
        assertTrue(report.contains("all " + all().size() + " required are there"), report);
    }

    @Test
    void aMissingResolverFailsTheCheck() throws IOException {
        writeRunnerJar(complete(m -> without(m, UnwrappedTypeResolverBuilder.class.getName())), "reflect-config.json");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeConfigCheck.check(dir));
        assertTrue(e.getMessage().contains(UnwrappedTypeResolverBuilder.class.getName() + ": not registered"),
                e.getMessage());
        assertTrue(e.getMessage().contains("lacks 1 of"), e.getMessage());
    }

    @Test
    void aMissingOneOfImplementationFailsTheCheck() throws IOException {
        writeRunnerJar(complete(m -> without(m, StringMatchPrefix.class.getName())), "reflect-config.json");
        assertEquals(List.of(StringMatchPrefix.class.getName() + ": not registered"),
                NativeConfigCheck.problems(NativeConfigCheck.requirements(), NativeConfigCheck.read(dir)));
    }

    @Test
    void aKindRegisteredWithoutConstructorsFailsTheCheck() throws IOException {
        writeRunnerJar(complete(m -> {
            m.put(VirtualService.class.getName(), Map.of("name", VirtualService.class.getName(), "allDeclaredMethods", true,
                    "allDeclaredFields", true));
            return m;
        }), "reflect-config.json");
        assertEquals(List.of(VirtualService.class.getName() + ": registered without constructors"),
                NativeConfigCheck.problems(NativeConfigCheck.requirements(), NativeConfigCheck.read(dir)));
    }

    @Test
    void readsReachabilityMetadataToo() throws IOException {
        Map<String, Map<String, Object>> entries = complete(UnaryOperator.identity());
        List<Map<String, Object>> reflection = entries.values().stream().map(e -> {
            Map<String, Object> m = new TreeMap<>(e);
            m.put("type", m.remove("name"));
            return m;
        }).toList();
        writeRunnerJar(Map.of("reflection", reflection), "reachability-metadata.json");
        assertEquals(List.of(), NativeConfigCheck.problems(NativeConfigCheck.requirements(), NativeConfigCheck.read(dir)));
    }

    @Test
    void aBuildWithoutNativeSourcesSaysHowToMakeThem() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeConfigCheck.check(dir.resolve("native-sources")));
        assertTrue(e.getMessage().contains("-Dquarkus.native.sources-only=true"), e.getMessage());
    }

    static Set<String> all() {
        return NativeConfigCheck.requirements().groups().values().stream().flatMap(m -> m.keySet().stream())
                .collect(Collectors.toSet());
    }

    /** An entry for every required type, registered as Quarkus registers the model classes; then changed. */
    static Map<String, Map<String, Object>> complete(UnaryOperator<Map<String, Map<String, Object>>> change) {
        Map<String, Map<String, Object>> entries = new TreeMap<>();
        for (String type : all()) {
            entries.put(type, Map.of("name", type, "allDeclaredConstructors", true, "allDeclaredMethods", true,
                    "allDeclaredFields", true));
        }
        entries.put("java.util.ArrayList", Map.of("name", "java.util.ArrayList", "allDeclaredConstructors", true));
        return change.apply(entries);
    }

    static Map<String, Map<String, Object>> without(Map<String, Map<String, Object>> entries, String type) {
        assertTrue(entries.remove(type) != null, type);
        return entries;
    }

    void writeRunnerJar(Object content, String file) throws IOException {
        Object json = content instanceof Map<?, ?> m && !m.containsKey("reflection") ? m.values() : content;
        try (OutputStream out = Files.newOutputStream(dir.resolve("app-1.0-runner.jar"));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/native-image/" + file));
            zip.write(new ObjectMapper().writeValueAsBytes(json));
            zip.closeEntry();
        }
    }
}
