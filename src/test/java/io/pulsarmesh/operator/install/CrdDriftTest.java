package io.pulsarmesh.operator.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;

/**
 * The CRDs in {@code kubernetes/crds/} are exactly what the API classes generate (the same fabric8 generator the
 * build uses). Run with {@code -Dcrds.update=true} to rewrite them after an API change, then review the diff.
 */
class CrdDriftTest {
    static final Path COMMITTED = Path.of("kubernetes/crds");

    @Test
    void committedCrdsMatchTheApiClasses(@TempDir Path out) throws IOException {
        new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1")
                .customResourceClasses(PulsarCoordinator.class, ZooKeeperCluster.class, BookKeeperCluster.class,
                        PulsarBroker.class, PulsarProxy.class)
                .generate();
        List<Path> generated;
        try (Stream<Path> s = Files.list(out)) {
            generated = s.sorted().toList();
        }
        assertEquals(5, generated.size(), "one CRD per kind");
        if (Boolean.getBoolean("crds.update")) {
            Files.createDirectories(COMMITTED);
            for (Path g : generated) {
                Files.copy(g, COMMITTED.resolve(g.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Path g : generated) {
            Path committed = COMMITTED.resolve(g.getFileName());
            assertTrue(Files.exists(committed), committed + " is missing; run mvn test -Dtest=CrdDriftTest -Dcrds.update=true");
            assertEquals(Files.readString(g), Files.readString(committed),
                    committed + " drifted from the API classes; run mvn test -Dtest=CrdDriftTest -Dcrds.update=true and review the diff");
        }
        try (Stream<Path> s = Files.list(COMMITTED)) {
            assertEquals(generated.stream().map(p -> p.getFileName().toString()).toList(),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no stale CRD files");
        }
    }
}
