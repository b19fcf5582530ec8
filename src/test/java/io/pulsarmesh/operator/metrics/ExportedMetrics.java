package io.pulsarmesh.operator.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus.ComponentProgress;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.controller.ReconcileMetrics;
import io.pulsarmesh.operator.migration.MeshMigration;
import io.pulsarmesh.operator.migration.MeshPhase;
import io.pulsarmesh.operator.model.istio.Mesh.Dataplane;

/**
 * The operator's own meters as Prometheus scrapes them: a Prometheus registry behind a composite registry, as in the
 * running operator, with every meter of {@link MigrationMetrics}, {@link ComponentMetrics} and
 * {@link ReconcileMetrics} exercised once.
 */
final class ExportedMetrics {
    static final String NS = "pulsar";
    static final String NAME = "private-cloud";

    final CompositeMeterRegistry composite = new CompositeMeterRegistry();
    final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final MigrationMetrics migration;
    final ComponentMetrics component;
    final ReconcileMetrics reconcile;

    ExportedMetrics() {
        composite.add(prometheus);
        migration = new MigrationMetrics(composite);
        component = new ComponentMetrics(composite);
        reconcile = new ReconcileMetrics(composite);
    }

    /** The kinds of the components a coordinator manages. */
    static final List<String> COMPONENT_KINDS = List.of(HasMetadata.getKind(ZooKeeperCluster.class),
            HasMetadata.getKind(BookKeeperCluster.class), HasMetadata.getKind(PulsarBroker.class),
            HasMetadata.getKind(PulsarProxy.class));

    /**
     * Every meter used, every label with each value it can take except namespaces and names: the cluster migrating
     * its brokers with one stall behind it, the brokers not Ready, one custom resource of every kind managed and one
     * reconcile of each with every outcome.
     */
    static ExportedMetrics exercised() {
        ExportedMetrics m = new ExportedMetrics();
        m.migration.observe(NS, NAME, state(MeshPhase.MIGRATING),
                List.of(progress("ZooKeeperCluster", "zookeeper", 3, 3, 3, 3),
                        progress("BookKeeperCluster", "bookies", 3, 3, 3, 3),
                        progress("PulsarBroker", "brokers", 3, 2, 2, 1),
                        progress("PulsarProxy", "proxies", 2, 0, 2, 0)));
        m.migration.transition(NS, NAME, MeshPhase.SIDECAR, MeshPhase.MIGRATING, Duration.ofMinutes(3));
        m.migration.stalled(NS, NAME);
        m.component.ready(NS, "zookeeper", "ZooKeeperCluster", true);
        m.component.ready(NS, "bookies", "BookKeeperCluster", true);
        m.component.ready(NS, "brokers", "PulsarBroker", false);
        m.component.ready(NS, "proxies", "PulsarProxy", true);
        List<HasMetadata> kinds = List.of(new PulsarCoordinator(), new ZooKeeperCluster(), new BookKeeperCluster(),
                new PulsarBroker(), new PulsarProxy());
        for (HasMetadata kind : kinds) {
            m.reconcile.managed(kind.getKind(), () -> 1);
            for (String outcome : List.of(ReconcileMetrics.APPLIED, ReconcileMetrics.UNCHANGED,
                    ReconcileMetrics.INVALID, ReconcileMetrics.ERROR)) {
                m.reconcile.reconciled(kind, outcome);
            }
        }
        return m;
    }

    String scrape() {
        return prometheus.scrape();
    }

    static MeshMigration.State state(MeshPhase phase) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new MeshMigration.State(phase, Dataplane.AMBIENT, "PulsarBroker/brokers", t, t, t, "Reason", "message",
                List.of());
    }

    static ComponentProgress progress(String kind, String name, Integer desired, Integer updated, Integer ready,
            Integer enrolled) {
        ComponentProgress p = new ComponentProgress();
        p.setKind(kind);
        p.setName(name);
        p.setDataplaneMode("ambient");
        p.setDesired(desired);
        p.setUpdated(updated);
        p.setReady(ready);
        p.setEnrolled(enrolled);
        return p;
    }

    /** One sample line of the text format: {@code name{label="value",...} value}. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The samples of a scrape: sample name → label name → the values it takes. */
    static Map<String, Map<String, Set<String>>> samples(String scrape) {
        Map<String, Map<String, Set<String>>> samples = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                throw new IllegalArgumentException("not a sample: " + line);
            }
            Map<String, Set<String>> labels = samples.computeIfAbsent(m.group(1), k -> new TreeMap<>());
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.computeIfAbsent(l.group(1), k -> new TreeSet<>()).add(l.group(2));
                }
            }
        }
        return samples;
    }

    /** The {@code # HELP} text of every metric family in a scrape. */
    static Map<String, String> help(String scrape) {
        Map<String, String> help = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring("# HELP ".length()).split(" ", 2);
                help.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
            }
        }
        return help;
    }
}
