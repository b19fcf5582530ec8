package io.pulsarmesh.operator.metrics;

import static io.pulsarmesh.operator.metrics.ExportedMetrics.progress;
import static io.pulsarmesh.operator.metrics.ExportedMetrics.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus.ComponentProgress;
import io.pulsarmesh.operator.migration.MeshPhase;

class MigrationMetricsTest {
    static final String NS = "pulsar";
    static final String NAME = "private-cloud";

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MigrationMetrics metrics = new MigrationMetrics(registry);

    static List<ComponentProgress> fourComponents() {
        return List.of(progress("ZooKeeperCluster", "zookeeper", 3, 3, 3, 3),
                progress("BookKeeperCluster", "bookies", 4, 4, 4, 4),
                progress("PulsarBroker", "brokers", 3, 2, 1, 0),
                progress("PulsarProxy", "proxies", 2, 0, 2, 0));
    }

    double phase(String namespace, String name, MeshPhase phase) {
        Gauge g = registry.find(MigrationMetrics.PHASE).tags("namespace", namespace, "name", name, "kind",
                "PulsarCoordinator", "phase", phase.value()).gauge();
        assertNotNull(g, phase.value() + " gauge of " + namespace + "/" + name);
        return g.value();
    }

    Gauge pods(String kind, String name, String state) {
        return registry.find(MigrationMetrics.COMPONENT_PODS)
                .tags("namespace", NS, "name", name, "kind", kind, "state", state).gauge();
    }

    @Test
    void onePhaseGaugeIsOneAndTheOthersZero() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents());

        assertEquals(MeshPhase.values().length, registry.find(MigrationMetrics.PHASE).gauges().size());
        for (MeshPhase p : MeshPhase.values()) {
            assertEquals(p == MeshPhase.MIGRATING ? 1.0 : 0.0, phase(NS, NAME, p), p.value());
        }

        metrics.observe(NS, NAME, state(MeshPhase.STALLED), fourComponents());
        for (MeshPhase p : MeshPhase.values()) {
            assertEquals(p == MeshPhase.STALLED ? 1.0 : 0.0, phase(NS, NAME, p), p.value());
        }
        assertEquals(MeshPhase.values().length, registry.find(MigrationMetrics.PHASE).gauges().size());
    }

    @Test
    void noStateYetIsSidecar() {
        metrics.observe(NS, NAME, null, null);
        for (MeshPhase p : MeshPhase.values()) {
            assertEquals(p == MeshPhase.SIDECAR ? 1.0 : 0.0, phase(NS, NAME, p), p.value());
        }
        assertTrue(registry.find(MigrationMetrics.COMPONENT_PODS).gauges().isEmpty());
    }

    @Test
    void phaseGaugesCarryOnlyBoundedLabels() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents());
        for (Gauge g : registry.find(MigrationMetrics.PHASE).gauges()) {
            assertEquals(Set.of("namespace", "name", "kind", "phase"), keys(g));
            assertEquals("PulsarCoordinator", g.getId().getTag("kind"));
            assertEquals(MigrationMetrics.PHASE_HELP, g.getId().getDescription());
        }
        for (Gauge g : registry.find(MigrationMetrics.COMPONENT_PODS).gauges()) {
            assertEquals(Set.of("namespace", "name", "kind", "state"), keys(g));
        }
    }

    @Test
    void componentPodsPerState() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents());

        assertEquals(4 * 4, registry.find(MigrationMetrics.COMPONENT_PODS).gauges().size());
        assertEquals(3.0, pods("PulsarBroker", "brokers", "desired").value());
        assertEquals(2.0, pods("PulsarBroker", "brokers", "updated").value());
        assertEquals(1.0, pods("PulsarBroker", "brokers", "ready").value());
        assertEquals(0.0, pods("PulsarBroker", "brokers", "enrolled").value());
        assertEquals(4.0, pods("BookKeeperCluster", "bookies", "enrolled").value());
        assertEquals(2.0, pods("PulsarProxy", "proxies", "ready").value());
        assertEquals(0.0, pods("PulsarProxy", "proxies", "updated").value());

        // The same series follow the next report.
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING),
                List.of(progress("PulsarBroker", "brokers", 3, 3, 3, 3)));
        assertEquals(3.0, pods("PulsarBroker", "brokers", "enrolled").value());
        assertEquals(4, registry.find(MigrationMetrics.COMPONENT_PODS).gauges().size());
    }

    @Test
    void absentCountsAreZero() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), List.of(progress("PulsarBroker", "brokers", 3, null,
                null, null)));
        assertEquals(3.0, pods("PulsarBroker", "brokers", "desired").value());
        assertEquals(0.0, pods("PulsarBroker", "brokers", "ready").value());
    }

    @Test
    void componentsThatLeaveTheListLoseTheirSeries() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents());
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents().subList(0, 2));

        for (String state : MigrationMetrics.STATES) {
            assertNull(pods("PulsarBroker", "brokers", state));
            assertNull(pods("PulsarProxy", "proxies", state));
            assertNotNull(pods("ZooKeeperCluster", "zookeeper", state));
            assertNotNull(pods("BookKeeperCluster", "bookies", state));
        }
        assertEquals(2 * 4, registry.find(MigrationMetrics.COMPONENT_PODS).gauges().size());

        // Back in the list: registered again, with the new values.
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), List.of(progress("PulsarProxy", "proxies", 2, 2, 2, 2)));
        assertEquals(2.0, pods("PulsarProxy", "proxies", "enrolled").value());
        assertEquals(4, registry.find(MigrationMetrics.COMPONENT_PODS).gauges().size());
    }

    @Test
    void anotherCoordinatorsComponentsStay() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents());
        metrics.observe(NS, "other", state(MeshPhase.SIDECAR), List.of(progress("PulsarBroker", "other-brokers", 1,
                1, 1, 1)));
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), List.of());

        assertTrue(registry.find(MigrationMetrics.COMPONENT_PODS).tag("name", "brokers").gauges().isEmpty());
        assertEquals(1.0, pods("PulsarBroker", "other-brokers", "ready").value());
    }

    @Test
    void transitionCountsThePhaseEnteredAndTimesThePhaseLeft() {
        metrics.transition(NS, NAME, MeshPhase.SIDECAR, MeshPhase.MIGRATING, Duration.ofHours(2));
        metrics.transition(NS, NAME, MeshPhase.MIGRATING, MeshPhase.STALLED, Duration.ofMinutes(10));
        metrics.transition(NS, NAME, MeshPhase.STALLED, MeshPhase.MIGRATING, Duration.ofSeconds(90));

        Counter toMigrating = registry.find(MigrationMetrics.TRANSITIONS)
                .tags("namespace", NS, "name", NAME, "kind", "PulsarCoordinator", "phase", "Migrating").counter();
        assertNotNull(toMigrating);
        assertEquals(2.0, toMigrating.count());
        assertEquals(1.0, registry.find(MigrationMetrics.TRANSITIONS).tag("phase", "Stalled").counter().count());
        assertEquals(0.0, registry.find(MigrationMetrics.TRANSITIONS).tag("phase", "Completed").counter().count());
        assertEquals(Set.of("namespace", "name", "kind", "phase"), keys(toMigrating));

        Timer inMigrating = registry.find(MigrationMetrics.PHASE_DURATION)
                .tags("namespace", NS, "name", NAME, "kind", "PulsarCoordinator", "phase", "Migrating").timer();
        assertNotNull(inMigrating);
        assertEquals(1, inMigrating.count());
        assertEquals(600.0, inMigrating.totalTime(TimeUnit.SECONDS), 1e-9);
        Timer inSidecar = registry.find(MigrationMetrics.PHASE_DURATION).tag("phase", "Sidecar").timer();
        assertEquals(1, inSidecar.count());
        assertEquals(7200.0, inSidecar.totalTime(TimeUnit.SECONDS), 1e-9);
        assertEquals(90.0, registry.find(MigrationMetrics.PHASE_DURATION).tag("phase", "Stalled").timer()
                .totalTime(TimeUnit.SECONDS), 1e-9);
        assertEquals(0, registry.find(MigrationMetrics.PHASE_DURATION).tag("phase", "Completed").timer().count());
    }

    @Test
    void transitionWithoutAKnownTimeCountsButRecordsNoDuration() {
        metrics.transition(NS, NAME, null, MeshPhase.MIGRATING, null);
        metrics.transition(NS, NAME, MeshPhase.MIGRATING, MeshPhase.COMPLETED, Duration.ofSeconds(-5));

        assertEquals(1.0, registry.find(MigrationMetrics.TRANSITIONS).tag("phase", "Migrating").counter().count());
        assertEquals(1.0, registry.find(MigrationMetrics.TRANSITIONS).tag("phase", "Completed").counter().count());
        assertEquals(0L, registry.find(MigrationMetrics.PHASE_DURATION).timers().stream().mapToLong(Timer::count)
                .sum());
    }

    @Test
    void stallsAreCounted() {
        metrics.stalled(NS, NAME);
        metrics.stalled(NS, NAME);
        Counter stalls = registry.find(MigrationMetrics.STALLS)
                .tags("namespace", NS, "name", NAME, "kind", "PulsarCoordinator").counter();
        assertNotNull(stalls);
        assertEquals(2.0, stalls.count());
        assertEquals(Set.of("namespace", "name", "kind"), keys(stalls));
    }

    @Test
    void countersAndTimersStartAtZeroWithTheFirstReport() {
        metrics.observe(NS, NAME, state(MeshPhase.SIDECAR), List.of());
        Counter stalls = registry.find(MigrationMetrics.STALLS).tags("namespace", NS, "name", NAME).counter();
        assertNotNull(stalls);
        assertEquals(0.0, stalls.count());
        assertEquals(MeshPhase.values().length,
                registry.find(MigrationMetrics.TRANSITIONS).tags("namespace", NS, "name", NAME).counters().size());
        assertEquals(MeshPhase.values().length,
                registry.find(MigrationMetrics.PHASE_DURATION).tags("namespace", NS, "name", NAME).timers().size());
    }

    @Test
    void forgetRemovesEverySeriesOfTheCoordinatorAndOnlyThose() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents());
        metrics.transition(NS, NAME, MeshPhase.SIDECAR, MeshPhase.MIGRATING, Duration.ofMinutes(1));
        metrics.stalled(NS, NAME);
        metrics.observe("elsewhere", NAME, state(MeshPhase.COMPLETED),
                List.of(progress("PulsarBroker", "brokers", 1, 1, 1, 1)));
        metrics.stalled("elsewhere", NAME);
        List<Meter> elsewhere = registry.getMeters().stream()
                .filter(m -> "elsewhere".equals(m.getId().getTag("namespace"))).toList();
        assertFalse(elsewhere.isEmpty());

        metrics.forget(NS, NAME);

        List<String> left = registry.getMeters().stream().filter(m -> NS.equals(m.getId().getTag("namespace")))
                .map(m -> m.getId().toString()).toList();
        assertEquals(List.of(), left);
        assertEquals(Set.copyOf(elsewhere), Set.copyOf(registry.getMeters()));
        assertEquals(1.0, phase("elsewhere", NAME, MeshPhase.COMPLETED));

        // Reported again after forget: registered anew, from zero.
        metrics.observe(NS, NAME, state(MeshPhase.SIDECAR), List.of());
        assertEquals(1.0, phase(NS, NAME, MeshPhase.SIDECAR));
        assertEquals(0.0, registry.find(MigrationMetrics.STALLS).tags("namespace", NS, "name", NAME).counter()
                .count());
        assertTrue(registry.find(MigrationMetrics.COMPONENT_PODS).tag("namespace", NS).gauges().isEmpty());
    }

    @Test
    void forgettingAnUnknownCoordinatorDoesNothing() {
        metrics.observe(NS, NAME, state(MeshPhase.MIGRATING), fourComponents());
        int before = registry.getMeters().size();
        metrics.forget(NS, "unknown");
        assertEquals(before, registry.getMeters().size());
    }

    @Test
    void concurrentReportsOfManyCoordinatorsKeepOneSeriesSetEach() throws Exception {
        int coordinators = 16;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < coordinators; i++) {
                String name = "c" + i;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        MeshPhase p = MeshPhase.values()[round % MeshPhase.values().length];
                        metrics.observe(NS, name, state(p),
                                round % 2 == 0 ? List.of(progress("PulsarBroker", name + "-brokers", 3, 3, 3, round))
                                        : List.of(progress("PulsarProxy", name + "-proxies", 2, 2, 2, round)));
                        metrics.transition(NS, name, p, p, Duration.ofSeconds(1));
                        if (round % 10 == 0) {
                            metrics.forget(NS, name);
                        }
                    }
                    metrics.observe(NS, name, state(MeshPhase.COMPLETED),
                            List.of(progress("PulsarBroker", name + "-brokers", 3, 3, 3, 3)));
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(coordinators * MeshPhase.values().length, registry.find(MigrationMetrics.PHASE).gauges().size());
        assertEquals(coordinators * 4, registry.find(MigrationMetrics.COMPONENT_PODS).gauges().size());
        for (int i = 0; i < coordinators; i++) {
            for (MeshPhase p : MeshPhase.values()) {
                assertEquals(p == MeshPhase.COMPLETED ? 1.0 : 0.0, phase(NS, "c" + i, p));
            }
            assertEquals(3.0, pods("PulsarBroker", "c" + i + "-brokers", "enrolled").value());
        }
    }

    // ---- as Prometheus shows them ----

    @Test
    void prometheusNames() {
        String scrape = ExportedMetrics.exercised().scrape();

        assertMatches(scrape, "pulsar_operator_mesh_migration_phase\\{[^}]*phase=\"Migrating\",?\\} 1\\.0");
        assertMatches(scrape, "pulsar_operator_mesh_migration_phase\\{[^}]*phase=\"Stalled\",?\\} 0\\.0");
        assertMatches(scrape,
                "pulsar_operator_mesh_migration_transitions_total\\{[^}]*phase=\"Migrating\",?\\} 1\\.0");
        assertMatches(scrape, "pulsar_operator_mesh_migration_stalls_total\\{[^}]*\\} 1\\.0");
        assertMatches(scrape,
                "pulsar_operator_mesh_migration_phase_duration_seconds_count\\{[^}]*phase=\"Sidecar\",?\\} 1\\.0");
        assertMatches(scrape,
                "pulsar_operator_mesh_migration_phase_duration_seconds_sum\\{[^}]*phase=\"Sidecar\",?\\} 180\\.0");
        assertMatches(scrape, "pulsar_operator_mesh_migration_component_pods\\{[^}]*name=\"brokers\"[^}]*"
                + "state=\"ready\",?\\} 2\\.0");
        assertMatches(scrape, "pulsar_operator_component_ready\\{[^}]*name=\"brokers\"[^}]*\\} 0\\.0");
        assertMatches(scrape, "pulsar_operator_reconciliations_total\\{[^}]*outcome=\"error\",?\\} 1\\.0");

        Map<String, Map<String, Set<String>>> samples = ExportedMetrics.samples(scrape);
        assertEquals(Map.of("kind", Set.of("PulsarCoordinator"), "name", Set.of(ExportedMetrics.NAME), "namespace",
                Set.of(ExportedMetrics.NS), "phase",
                java.util.Arrays.stream(MeshPhase.values()).map(MeshPhase::value).collect(Collectors.toSet())),
                samples.get("pulsar_operator_mesh_migration_phase"));
        assertEquals(Set.of("desired", "updated", "ready", "enrolled"),
                samples.get("pulsar_operator_mesh_migration_component_pods").get("state"));
        assertEquals(Set.copyOf(ExportedMetrics.COMPONENT_KINDS),
                samples.get("pulsar_operator_mesh_migration_component_pods").get("kind"));
        assertEquals(Set.copyOf(ExportedMetrics.COMPONENT_KINDS),
                samples.get("pulsar_operator_component_ready").get("kind"));
    }

    @Test
    void everyOwnMetricHasHelpText() {
        Map<String, String> help = ExportedMetrics.help(ExportedMetrics.exercised().scrape());
        Set<String> own = help.keySet().stream().filter(n -> n.startsWith("pulsar_operator_"))
                .collect(Collectors.toSet());
        assertTrue(own.containsAll(Set.of("pulsar_operator_mesh_migration_phase",
                "pulsar_operator_mesh_migration_component_pods", "pulsar_operator_mesh_migration_transitions_total",
                "pulsar_operator_mesh_migration_stalls_total", "pulsar_operator_mesh_migration_phase_duration_seconds",
                "pulsar_operator_component_ready", "pulsar_operator_reconciliations_total",
                "pulsar_operator_managed_resources")), own.toString());
        for (String name : own) {
            assertFalse(help.get(name).isBlank(), "help of " + name);
        }
    }

    @Test
    void forgetRemovesTheSeriesFromTheScrapeBehindACompositeRegistry() {
        ExportedMetrics m = ExportedMetrics.exercised();
        m.migration.forget(ExportedMetrics.NS, ExportedMetrics.NAME);
        m.component.forget(ExportedMetrics.NS, "brokers", "PulsarBroker");

        String scrape = m.scrape();
        List<String> left = scrape.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.startsWith("pulsar_operator_mesh_migration_")).toList();
        assertEquals(List.of(), left);
        assertFalse(scrape.contains("pulsar_operator_component_ready{kind=\"PulsarBroker\""), scrape);
        assertMatches(scrape, "pulsar_operator_component_ready\\{[^}]*name=\"zookeeper\"[^}]*\\} 1\\.0");
    }

    static void assertMatches(String scrape, String regex) {
        assertTrue(Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(scrape).find(),
                "no line matches " + regex + " in\n" + scrape);
    }

    static Set<String> keys(Meter m) {
        return m.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
    }
}
