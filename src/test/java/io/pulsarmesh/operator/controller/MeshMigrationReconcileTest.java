package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.istio.api.security.v1.PeerAuthenticationBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.controller.coordinator.MeshMigrationDriver;
import io.pulsarmesh.operator.metrics.MigrationMetrics;
import io.pulsarmesh.operator.migration.MeshMigration;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.istio.MeshPods;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.model.istio.PodsInMesh;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.pulsarmesh.operator.testsupport.IstioCrds;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The sidecar→ambient migration with the operator in the loop. The Istio example cluster runs on the mock API server;
 * {@link FakeWorkloadController} creates and replaces its pods (injecting an {@code istio-proxy} container where the
 * template asks for a sidecar) one at a time, as the StatefulSet controller and Istio's injector would; a ztunnel
 * DaemonSet stand-in in istio-system reports ready pods.
 *
 * <p>The methods run in order on one cluster: refused while a PeerAuthentication disables mTLS, then the full
 * migration to {@code Completed}, a rollback to sidecars, a start blocked by a missing ztunnel, an operator down and
 * back mid-migration, and a stall that resumes by itself once the pods recover; /q/metrics shows the phase and the
 * components' progress while it runs and while it is stalled. A recorder polls the coordinator, the components and
 * the pods every 100 ms while the cluster moves, so the order of the switches and "never two components in flight"
 * are checked on what the API server showed, not on the operator's own record.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshMigrationReconcileTest {
    static final String NS = "migrate";
    static final String NAME = "private-cloud";
    static final String ZTUNNEL_NS = "istio-system";
    static final String ZTUNNEL = "ztunnel";
    static final String USER_PA = "legacy-plaintext";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String AMBIENT = "ambient";
    static final String SIDECAR = "sidecar";
    static final String PROXY_CONTAINER = "istio-proxy";
    static final String SIDECAR_STATUS = "sidecar.istio.io/status";
    /** Migration order. */
    static final List<String> ORDER = List.of("ZooKeeperCluster", "BookKeeperCluster", "PulsarBroker", "PulsarProxy");
    static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = Map.of("ZooKeeperCluster",
            ZooKeeperCluster.class, "BookKeeperCluster", BookKeeperCluster.class, "PulsarBroker", PulsarBroker.class,
            "PulsarProxy", PulsarProxy.class);
    static final Map<String, Set<String>> POD_COMPONENTS = Map.of("ZooKeeperCluster", Set.of(Labels.ZOOKEEPER),
            "BookKeeperCluster", Set.of(Labels.BOOKIE, Labels.AUTO_RECOVERY), "PulsarBroker", Set.of(Labels.BROKER),
            "PulsarProxy", Set.of(Labels.PROXY));
    /** zk 3, bookies 3, auto-recovery 1, brokers 2, proxies 2. */
    static final int PODS = 11;

    @Inject
    KubernetesClient client;
    @Inject
    MeshMigrationDriver driver;
    @KubernetesTestServer
    KubernetesServer server;
    @ConfigProperty(name = "pulsar.operator.migration.stall-timeout")
    Duration stallTimeout;
    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    FakeWorkloadController workloads;
    /** Started before a migration is triggered, read once it ends (a test method may hand it to the next one). */
    Recorder recorder;

    @BeforeAll
    void setUp() {
        workloads = new FakeWorkloadController(client).start();
        IstioCrds.install(client);
        createZtunnel();
        for (Render.Loaded l : Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"), NS)) {
            CustomResource<?, ?> cr = l.resource();
            cr.getMetadata().setNamespace(NS);
            client.resource(cr).create();
        }
    }

    @AfterAll
    void tearDown() {
        if (recorder != null) {
            recorder.close();
        }
        workloads.release(NS, NAME + "-broker");
        workloads.close();
    }

    @Test
    @Order(1)
    void clusterBecomesReadyOnSidecars() {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PulsarCoordinator c = get(PulsarCoordinator.class);
            assertNotNull(c.getStatus());
            assertTrue(Conditions.isTrue(c.getStatus().getConditions(), Conditions.READY), "coordinator Ready");
            assertEquals("4/4", c.getStatus().getReadyComponents());
            List<Pod> pods = pods();
            assertEquals(PODS, pods.size(), names(pods).toString());
            for (Pod p : pods) {
                assertTrue(hasProxy(p), p.getMetadata().getName() + " has no istio-proxy");
                assertTrue(ready(p), p.getMetadata().getName() + " not ready");
            }
        });
        assertEquals(Set.of(NAME + "-zk-0", NAME + "-zk-1", NAME + "-zk-2", NAME + "-bookie-0", NAME + "-bookie-1",
                NAME + "-bookie-2", NAME + "-bookie-recovery-0", NAME + "-broker-0", NAME + "-broker-1",
                NAME + "-proxy-0", NAME + "-proxy-1"), names(pods()));
        Pod broker = client.pods().inNamespace(NS).withName(NAME + "-broker-0").get();
        assertEquals("true", broker.getMetadata().getLabels().get(MeshPods.INJECT));
        assertEquals(NAME, broker.getMetadata().getLabels().get(Labels.COORDINATOR_NAME));
        assertEquals("StatefulSet", broker.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals("Sidecar", phase(), "nothing to migrate yet");
        assertEnrolmentInStatus(SIDECAR);
    }

    /** g: a user's PeerAuthentication that disables mTLS refuses the migration before anything rolls. */
    @Test
    @Order(2)
    void refusedWhileAPeerAuthenticationDisablesMtls() {
        client.resource(new PeerAuthenticationBuilder().withNewMetadata().withName(USER_PA).withNamespace(NS)
                .endMetadata().withNewSpec().withNewMtls().withMode(PeerAuthenticationMutualTLSMode.DISABLE).endMtls()
                .endSpec().build()).create();
        Set<String> before = eventNames();
        Map<String, String> podUids = podUids();
        setIntent(AMBIENT);
        await().atMost(TIMEOUT).until(() -> "Refused".equals(phase()));
        MeshMigrationStatus m = migration();
        assertEquals(MeshMigration.REASON_REFUSED, m.getReason());
        assertTrue(m.getMessage().contains("PeerAuthentication " + NS + "/" + USER_PA), m.getMessage());
        assertTrue(newEvents(before).stream().anyMatch(e -> "Warning".equals(e.getType())
                && MeshMigration.REASON_REFUSED.equals(e.getReason()) && e.getMessage().contains(USER_PA)));
        // It stays refused over several polls, and nothing is switched or rolled.
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals("Refused", phase());
            assertNothingSwitched(podUids);
        });

        recorder = new Recorder(AMBIENT).start();
        client.resources(PeerAuthentication.class).inNamespace(NS).withName(USER_PA).delete();
        await().atMost(TIMEOUT).until(() -> "Migrating".equals(phase()));
        assertEquals("ZooKeeperCluster/" + NAME, migration().getComponent());
    }

    /** b: the full migration, started by the previous method, ends Completed, one component at a time, in order. */
    @Test
    @Order(3)
    void migrationCompletesComponentByComponentInOrder() throws Exception {
        Set<String> before = recorder.eventsBefore;
        // h: while it runs, /q/metrics shows the phase (and no other) and the components' progress.
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            String scrape = scrape();
            assertEquals(1.0, phaseGauge(scrape, "Migrating"), "Migrating");
            assertEquals(0.0, phaseGauge(scrape, "Sidecar"), "Sidecar");
            assertEquals(0.0, phaseGauge(scrape, "Completed"), "Completed");
            assertEquals(3.0, podsGauge(scrape, "ZooKeeperCluster", "desired"));
        });
        await().atMost(TIMEOUT).until(() -> "Completed".equals(phase()));
        recorder.close();
        recorder.assertMovedOneAtATime(ORDER);

        List<Pod> pods = pods();
        assertEquals(PODS, pods.size());
        for (Pod p : pods) {
            assertEnrolledIn(AMBIENT, p);
        }
        MeshMigrationStatus m = migration();
        assertEquals(AMBIENT, m.getTarget());
        assertNull(m.getComponent());
        assertEquals(ORDER, m.getComponents().stream().map(MeshMigrationStatus.ComponentProgress::getKind).toList());
        for (MeshMigrationStatus.ComponentProgress p : m.getComponents()) {
            assertEquals(AMBIENT, p.getDataplaneMode(), p.getKind());
            // Pod counts are progress: the status drops them once the migration is over (the metrics keep them).
            assertNull(p.getDesired(), p.getKind());
            assertNull(p.getEnrolled(), p.getKind());
        }
        List<Event> events = newEvents(before);
        assertEquals(1, count(events, "Normal", MeshMigration.REASON_STARTED), reasons(events).toString());
        assertEquals(3, count(events, "Normal", MeshMigration.REASON_COMPONENT), reasons(events).toString());
        assertEquals(1, count(events, "Normal", MeshMigration.REASON_COMPLETED), reasons(events).toString());
        // The operator restarted every ZooKeeper, bookie and broker pod itself (OnDelete), each for the data plane.
        List<String> restarts = client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "DataplaneChanged".equals(e.getReason()) && "Normal".equals(e.getType()))
                .map(Event::getMessage).toList();
        for (String pod : List.of("-zk-0", "-zk-1", "-zk-2", "-bookie-0", "-bookie-1", "-bookie-2", "-broker-0",
                "-broker-1")) {
            assertTrue(restarts.stream().anyMatch(msg -> msg.startsWith("restarting " + NAME + pod + ": DataplaneChanged")),
                    NAME + pod + " in " + restarts);
        }
        assertEquals(0, count(events, "Warning", MeshMigration.REASON_STALLED),
                "no component may come near the stall timeout in a normal migration: " + reasons(events));
        assertEquals("Completed", printerColumn("Mesh"));
        String scrape = scrape();
        assertEquals(1.0, phaseGauge(scrape, "Completed"));
        assertEquals(0.0, phaseGauge(scrape, "Migrating"));
        for (String kind : ORDER) {
            assertEquals(podsGauge(scrape, kind, "desired"), podsGauge(scrape, kind, "enrolled"), kind);
        }
        // The components' own status follows: every replica in the mesh, on ambient now.
        assertEnrolmentInStatus(AMBIENT);
    }

    /** c: sidecar again rolls back in reverse order, one component at a time, until every pod has its sidecar. */
    @Test
    @Order(4)
    void rollbackReturnsEveryPodToSidecars() {
        recorder = new Recorder(SIDECAR).start();
        Set<String> before = recorder.eventsBefore;
        setIntent(SIDECAR);
        await().atMost(TIMEOUT).until(() -> "Sidecar".equals(phase()));
        recorder.close();
        List<String> reverse = new ArrayList<>(ORDER);
        Collections.reverse(reverse);
        recorder.assertMovedOneAtATime(reverse);
        assertTrue(recorder.phases().contains("RollingBack"), recorder.phases().toString());

        List<Pod> pods = pods();
        assertEquals(PODS, pods.size());
        for (Pod p : pods) {
            assertEnrolledIn(SIDECAR, p);
        }
        List<Event> events = newEvents(before);
        assertEquals(4, count(events, "Normal", MeshMigration.REASON_ROLLING_BACK), reasons(events).toString());
        assertEquals(1, count(events, "Normal", MeshMigration.REASON_ROLLED_BACK), reasons(events).toString());
        assertEquals(0, count(events, "Warning", MeshMigration.REASON_STALLED), reasons(events).toString());
        assertEquals("Sidecar", printerColumn("Mesh"));
    }

    /** f: without ztunnel nothing moves; once it is there, the migration starts. */
    @Test
    @Order(5)
    void withoutZtunnelNothingMovesUntilItIsThere() {
        client.apps().daemonSets().inNamespace(ZTUNNEL_NS).withName(ZTUNNEL).delete();
        await().atMost(TIMEOUT).until(() -> client.apps().daemonSets().inNamespace(ZTUNNEL_NS).withName(ZTUNNEL).get() == null);
        Set<String> before = eventNames();
        Map<String, String> podUids = podUids();
        setIntent(AMBIENT);
        await().atMost(TIMEOUT).until(() -> "PrerequisitesNotMet".equals(phase()));
        assertTrue(migration().getMessage().contains(ZTUNNEL_NS + "/" + ZTUNNEL), migration().getMessage());
        assertEquals("PrerequisitesNotMet", printerColumn("Mesh"));
        assertTrue(newEvents(before).stream().anyMatch(e -> "Warning".equals(e.getType())
                && MeshMigration.REASON_PREREQUISITES.equals(e.getReason())));
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals("PrerequisitesNotMet", phase());
            assertNothingSwitched(podUids);
        });

        recorder = new Recorder(AMBIENT).start();
        createZtunnel();
        await().atMost(TIMEOUT).until(() -> "Migrating".equals(phase()));
        assertTrue(newEvents(before).stream().anyMatch(e -> MeshMigration.REASON_STARTED.equals(e.getReason())));
    }

    /**
     * e: the operator goes down mid-migration (the coordinator's migration step fails, so it writes nothing) and
     * comes back: the successor knows only what status.meshMigration says, rewritten meanwhile through the status
     * subresource as a previous operator would have left it (Migrating, BookKeeper in progress, ZooKeeper on ambient,
     * a start time of its own). It moves on from BookKeeper, keeps that start time, and never touches ZooKeeper again.
     */
    @Test
    @Order(6)
    void operatorBackAfterADownTimeResumesFromTheRecordedState() throws Exception {
        MeshMigrationDriver real = ClientProxy.unwrap(driver);
        AtomicBoolean down = new AtomicBoolean();
        QuarkusMock.installMockForType(new MeshMigrationDriver() {
            @Override
            public Step step(PulsarCoordinator coordinator, List<CustomResource<?, ?>> components, List<Pod> pods,
                    KubernetesClient c) {
                if (down.get() && NS.equals(coordinator.getMetadata().getNamespace())) {
                    throw new IllegalStateException("the operator is down (test)");
                }
                return real.step(coordinator, components, pods, c);
            }

            @Override
            public String ztunnelProblem(KubernetesClient c) {
                return real.ztunnelProblem(c);
            }

            @Override
            public List<String> refusals(String namespace, KubernetesClient c) {
                return real.refusals(namespace, c);
            }
        }, MeshMigrationDriver.class);

        await().atMost(TIMEOUT).until(() -> ("BookKeeperCluster/" + NAME).equals(migration().getComponent()));
        down.set(true);
        Thread.sleep(500); // a step under way when it went down may still write
        MeshMigrationStatus atStop = migration();
        assertEquals("Migrating", atStop.getPhase());
        assertEquals("BookKeeperCluster/" + NAME, atStop.getComponent());
        assertEquals(AMBIENT, mode(get(ZooKeeperCluster.class)));
        // While it is down, BookKeeper finishes rolling but nothing moves on and the status stays.
        await().atMost(TIMEOUT).until(() -> verified("BookKeeperCluster", AMBIENT, crs(), pods()));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(atStop, migration());
            assertEquals(SIDECAR, mode(get(PulsarBroker.class)));
        });
        // The record a previous operator left, with a start time this one never saw.
        String startTime = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        String since = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        client.resources(PulsarCoordinator.class).inNamespace(NS).withName(NAME).editStatus(c -> {
            MeshMigrationStatus m = c.getStatus().getMeshMigration();
            m.setPhase("Migrating");
            m.setTarget(AMBIENT);
            m.setComponent("BookKeeperCluster/" + NAME);
            m.setStartTime(startTime);
            m.setLastTransitionTime(startTime);
            m.setComponentSince(since);
            m.setReason(MeshMigration.REASON_COMPONENT);
            m.setMessage("moving BookKeeperCluster/" + NAME + " to ambient");
            m.setPodsAtFault(null);
            return c;
        });
        // For the stall that follows: the brokers' new pods will never become ready.
        workloads.holdNewPodsUnready(NS, NAME + "-broker");
        drainRequests();
        Set<String> eventsBeforeRestart = eventNames();

        down.set(false);
        // A restarted operator reconciles every coordinator once; an event on one of its pods does the same here.
        client.pods().inNamespace(NS).withName(NAME + "-bookie-0").edit(p -> {
            p.getMetadata().getAnnotations().put("example.com/restarted", "true");
            return p;
        });
        await().atMost(TIMEOUT).until(() -> ("PulsarBroker/" + NAME).equals(migration().getComponent()));
        MeshMigrationStatus resumed = migration();
        assertEquals("Migrating", resumed.getPhase());
        assertEquals(startTime, resumed.getStartTime(), "the recorded migration goes on");
        assertEquals(AMBIENT, mode(get(PulsarBroker.class)));
        List<String> patched = patchedSpecs();
        assertFalse(patched.stream().anyMatch(p -> p.contains("/zookeeperclusters/")), patched.toString());
        assertFalse(patched.stream().anyMatch(p -> p.contains("/bookkeeperclusters/")), patched.toString());
        assertTrue(patched.stream().anyMatch(p -> p.contains("/pulsarbrokers/" + NAME)), patched.toString());
        List<Event> events = newEvents(eventsBeforeRestart);
        assertEquals(0, count(events, "Normal", MeshMigration.REASON_STARTED), "not started again: " + reasons(events));
        assertEquals(1, count(events, "Normal", MeshMigration.REASON_COMPONENT), reasons(events).toString());
    }

    /** d: the brokers' new pods never become ready: Stalled, naming them; once they recover it resumes to Completed. */
    @Test
    @Order(7)
    void stalledComponentResumesOnceItsPodsRecover() {
        Set<String> before = eventNames();
        await().atMost(stallTimeout.plus(TIMEOUT)).until(() -> "Stalled".equals(phase()));
        MeshMigrationStatus m = migration();
        assertEquals(MeshMigration.REASON_STALLED, m.getReason());
        assertEquals("PulsarBroker/" + NAME, m.getComponent());
        assertTrue(m.getPodsAtFault().contains(NAME + "-broker-1"), m.getPodsAtFault().toString());
        assertTrue(m.getMessage().contains(NAME + "-broker-1"), m.getMessage());
        assertEquals("Stalled", printerColumn("Mesh"));
        assertTrue(newEvents(before).stream().anyMatch(e -> "Warning".equals(e.getType())
                && MeshMigration.REASON_STALLED.equals(e.getReason()) && e.getMessage().contains(NAME + "-broker-1")));
        assertFalse(ready(client.pods().inNamespace(NS).withName(NAME + "-broker-1").get()));
        assertEquals(SIDECAR, mode(get(PulsarProxy.class)), "nothing moves past a stalled component");
        // h: the stall on /q/metrics: the phase, a stall counted, the brokers' progress as the status has it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = scrape();
            assertEquals(1.0, phaseGauge(scrape, "Stalled"));
            assertEquals(0.0, phaseGauge(scrape, "Migrating"));
            assertTrue(sample(scrape, "pulsar_operator_mesh_migration_stalls_total", coordinatorLabels()) >= 1.0);
            MeshMigrationStatus.ComponentProgress brokers = migration().getComponents().stream()
                    .filter(p -> "PulsarBroker".equals(p.getKind())).findFirst().orElseThrow();
            assertEquals(2.0, podsGauge(scrape, "PulsarBroker", "desired"));
            assertEquals(brokers.getEnrolled().doubleValue(), podsGauge(scrape, "PulsarBroker", "enrolled"));
            assertEquals(brokers.getReady().doubleValue(), podsGauge(scrape, "PulsarBroker", "ready"));
            assertTrue(brokers.getEnrolled() < 2, "a stalled component is not fully enrolled: " + brokers.getEnrolled());
        });

        workloads.release(NS, NAME + "-broker");
        await().atMost(TIMEOUT).until(() -> "Completed".equals(phase()));
        recorder.close();
        recorder.assertMovedOneAtATime(ORDER);
        assertTrue(recorder.phases().contains("Stalled"), recorder.phases().toString());
        List<Event> events = newEvents(before);
        assertTrue(count(events, "Normal", MeshMigration.REASON_RESUMED) >= 1, reasons(events).toString());
        assertEquals(1, count(events, "Normal", MeshMigration.REASON_COMPLETED), reasons(events).toString());
        for (Pod p : pods()) {
            assertEnrolledIn(AMBIENT, p);
        }
        assertEquals(PODS, pods().size());
        assertNull(migration().getPodsAtFault());
    }

    // ---- observation ----

    /** What the API server showed at one moment, and which components were switched but not yet verified. */
    record Observation(String phase, String component, Map<String, String> modes, List<String> inFlight) {
    }

    /**
     * Polls every 100 ms while the cluster moves towards {@code target}. The components are read in reverse order of
     * travel, then the pods: a component that moves on while one observation is being taken can then only look
     * further along than it is, never produce two in flight that were not.
     */
    final class Recorder implements AutoCloseable {
        final String target;
        final Set<String> eventsBefore = eventNames();
        final List<Observation> observations = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger errors = new AtomicInteger();
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

        Recorder(String target) {
            this.target = target;
        }

        Recorder start() {
            poller.scheduleWithFixedDelay(() -> {
                try {
                    observations.add(observe(target));
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            return this;
        }

        @Override
        public void close() {
            poller.shutdownNow();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<Observation> snapshot() {
            synchronized (observations) {
                return new ArrayList<>(observations);
            }
        }

        /** Distinct consecutive phases. */
        List<String> phases() {
            List<String> out = new ArrayList<>();
            for (Observation o : snapshot()) {
                if (o.phase() != null && (out.isEmpty() || !out.get(out.size() - 1).equals(o.phase()))) {
                    out.add(o.phase());
                }
            }
            return out;
        }

        void assertMovedOneAtATime(List<String> expectedOrder) {
            List<Observation> all = snapshot();
            // Never two switched and not yet verified.
            for (Observation o : all) {
                assertTrue(o.inFlight().size() <= 1, "two components in flight at once: " + o);
            }
            // The order in which the components' spec.istio.dataplaneMode turned to the target.
            List<String> switched = new ArrayList<>();
            for (Observation o : all) {
                for (String kind : ORDER) {
                    if (target.equals(o.modes().get(kind)) && !switched.contains(kind)) {
                        switched.add(kind);
                    }
                }
            }
            assertEquals(expectedOrder, switched, "order of the switches");
            // The component in progress as the status named it, in turn.
            List<String> inProgress = new ArrayList<>();
            for (Observation o : all) {
                String kind = o.component() == null ? null : o.component().substring(0, o.component().indexOf('/'));
                if (kind != null && (inProgress.isEmpty() || !inProgress.get(inProgress.size() - 1).equals(kind))) {
                    inProgress.add(kind);
                }
            }
            assertEquals(expectedOrder, inProgress, "status.meshMigration.component in turn");
            // Each one was seen in flight: the recorder looked often enough to catch two at once.
            Set<String> seenInFlight = new LinkedHashSet<>();
            all.forEach(o -> seenInFlight.addAll(o.inFlight()));
            assertEquals(Set.copyOf(expectedOrder), seenInFlight,
                    "every component observed while it rolled (" + all.size() + " observations, " + errors + " failed)");
        }
    }

    Observation observe(String target) {
        MeshMigrationStatus m = migration();
        List<String> readOrder = new ArrayList<>(ORDER);
        if (AMBIENT.equals(target)) {
            Collections.reverse(readOrder);
        }
        Map<String, CustomResource<?, ?>> crs = new LinkedHashMap<>();
        for (String kind : readOrder) {
            crs.put(kind, client.resources(KINDS.get(kind)).inNamespace(NS).withName(NAME).get());
        }
        List<Pod> pods = pods();
        Map<String, String> modes = new LinkedHashMap<>();
        List<String> inFlight = new ArrayList<>();
        for (String kind : ORDER) {
            String mode = mode(crs.get(kind));
            modes.put(kind, mode);
            if (target.equals(mode) && !verified(kind, target, crs, pods)) {
                inFlight.add(kind);
            }
        }
        return new Observation(m == null ? null : m.getPhase(), m == null ? null : m.getComponent(), modes, inFlight);
    }

    /**
     * The test's own check that a component runs in {@code target}: custom resource Ready with every replica ready,
     * and each of its pods (auto-recovery included) ready and in the target data plane, as many as it asks for.
     */
    static boolean verified(String kind, String target, Map<String, CustomResource<?, ?>> crs, List<Pod> pods) {
        CustomResource<?, ?> cr = crs.get(kind);
        if (!(cr.getStatus() instanceof ComponentStatus st) || !Conditions.isTrue(st.getConditions(), Conditions.READY)) {
            return false;
        }
        int replicas = ((ComponentSpec) cr.getSpec()).getReplicas();
        if (st.getReadyReplicas() == null || st.getReadyReplicas() != replicas) {
            return false;
        }
        List<Pod> mine = pods.stream().filter(p -> POD_COMPONENTS.get(kind).contains(
                p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
        long main = mine.stream().filter(p -> !Labels.AUTO_RECOVERY.equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
                .count();
        return main == replicas && mine.stream().allMatch(p -> ready(p) && inDataplane(target, p));
    }

    Map<String, CustomResource<?, ?>> crs() {
        Map<String, CustomResource<?, ?>> crs = new LinkedHashMap<>();
        for (String kind : ORDER) {
            crs.put(kind, client.resources(KINDS.get(kind)).inNamespace(NS).withName(NAME).get());
        }
        return crs;
    }

    static boolean inDataplane(String target, Pod p) {
        boolean sidecar = hasProxy(p) && p.getMetadata().getAnnotations() != null
                && p.getMetadata().getAnnotations().containsKey(SIDECAR_STATUS);
        if (SIDECAR.equals(target)) {
            return sidecar;
        }
        return AMBIENT.equals(p.getMetadata().getLabels().get(MeshPods.DATAPLANE_MODE)) && !hasProxy(p)
                && (p.getMetadata().getAnnotations() == null || !p.getMetadata().getAnnotations().containsKey(SIDECAR_STATUS));
    }

    static void assertEnrolledIn(String target, Pod p) {
        String name = p.getMetadata().getName();
        Map<String, String> labels = p.getMetadata().getLabels();
        assertTrue(ready(p), name + " not ready");
        if (AMBIENT.equals(target)) {
            assertEquals(AMBIENT, labels.get(MeshPods.DATAPLANE_MODE), name);
            assertEquals("false", labels.get(MeshPods.INJECT), name);
            assertFalse(hasProxy(p), name + " still has istio-proxy");
            assertFalse(p.getMetadata().getAnnotations() != null
                    && p.getMetadata().getAnnotations().containsKey(SIDECAR_STATUS), name);
        } else {
            // Sidecar pods say explicitly that they are not ambient, so nothing is left from an ambient template.
            assertEquals("none", labels.get(MeshPods.DATAPLANE_MODE), name);
            assertEquals("true", labels.get(MeshPods.INJECT), name);
            assertTrue(hasProxy(p), name + " has no istio-proxy");
            assertTrue(p.getMetadata().getAnnotations().containsKey(SIDECAR_STATUS), name);
        }
    }

    static boolean hasProxy(Pod p) {
        return p.getSpec().getContainers().stream().anyMatch(c -> PROXY_CONTAINER.equals(c.getName()));
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The data plane set on a component ({@code sidecar} when unset). */
    static String mode(CustomResource<?, ?> cr) {
        ComponentSpec spec = (ComponentSpec) cr.getSpec();
        String mode = spec.getIstio() != null ? spec.getIstio().getDataplaneMode() : null;
        return mode == null ? SIDECAR : mode;
    }

    void assertNothingSwitched(Map<String, String> podUidsBefore) {
        for (String kind : ORDER) {
            assertEquals(SIDECAR, mode(get(KINDS.get(kind))), kind);
        }
        assertEquals(podUidsBefore, podUids(), "no pod was replaced");
        for (Pod p : pods()) {
            assertEnrolledIn(SIDECAR, p);
        }
    }

    // ---- metrics ----

    String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(metricsUrl.toString())).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    static Map<String, String> coordinatorLabels() {
        return Map.of("namespace", NS, "name", NAME, "kind", MigrationMetrics.KIND);
    }

    static double phaseGauge(String scrape, String phase) {
        Map<String, String> labels = new LinkedHashMap<>(coordinatorLabels());
        labels.put("phase", phase);
        return sample(scrape, "pulsar_operator_mesh_migration_phase", labels);
    }

    static double podsGauge(String scrape, String kind, String state) {
        return sample(scrape, "pulsar_operator_mesh_migration_component_pods",
                Map.of("namespace", NS, "name", NAME, "kind", kind, "state", state));
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)\\}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the one sample of {@code name} with exactly these labels; fails when there is none. */
    static double sample(String scrape, String name, Map<String, String> labels) {
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                found.put(l.group(1), l.group(2));
            }
            if (found.equals(labels)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError("no sample " + name + labels + " on /q/metrics");
    }

    // ---- helpers ----

    void setIntent(String mode) {
        update(PulsarCoordinator.class, c -> c.getSpec().getIstio().setDataplaneMode(mode));
    }

    /** A spec edit as a user makes it: on a conflict with the operator's status writes, read again and retry. */
    <T extends HasMetadata> void update(Class<T> kind, java.util.function.Consumer<T> change) {
        await().atMost(TIMEOUT).ignoreException(KubernetesClientException.class).until(() -> {
            T current = get(kind);
            change.accept(current);
            client.resource(current).update();
            return true;
        });
    }

    String phase() {
        MeshMigrationStatus m = migration();
        return m == null ? null : m.getPhase();
    }

    MeshMigrationStatus migration() {
        PulsarCoordinator c = get(PulsarCoordinator.class);
        return c.getStatus() == null ? null : c.getStatus().getMeshMigration();
    }

    /** Evaluates the coordinator CRD's printer column (a plain dotted path) on the coordinator as served. */
    String printerColumn(String column) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName("pulsarcoordinators.k8s.streamnative.io").get();
        CustomResourceColumnDefinition def = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .filter(c -> column.equals(c.getName())).findFirst().orElseThrow();
        assertEquals(".status.meshMigration.phase", def.getJsonPath());
        GenericKubernetesResource coordinator = client.genericKubernetesResources("k8s.streamnative.io/v1alpha1",
                "PulsarCoordinator").inNamespace(NS).withName(NAME).get();
        Object at = coordinator.getAdditionalProperties();
        for (String part : def.getJsonPath().substring(1).split("\\.")) {
            at = at instanceof Map<?, ?> map ? map.get(part) : null;
        }
        return (String) at;
    }

    /**
     * A component without a coordinator switched to ambient by hand, in a namespace whose own PeerAuthentication
     * disables mTLS: it refuses with {@code Ready=False} {@code AmbientRefused} naming the policy and a Warning Event,
     * and its pods keep their sidecars (nothing rolled, nothing deleted); once the policy is gone it moves.
     */
    @Test
    @Order(8)
    void aComponentAloneRefusesAmbientThatItsNamespaceCannotHonour() {
        String ns = "alone";
        ZooKeeperCluster zk = (ZooKeeperCluster) Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"), ns)
                .stream().map(Render.Loaded::resource).filter(ZooKeeperCluster.class::isInstance).findFirst()
                .orElseThrow();
        zk.getMetadata().setNamespace(ns);
        zk.getMetadata().setLabels(null); // no coordinator: the component switches by itself
        client.resource(zk).create();
        await().atMost(TIMEOUT).until(() -> {
            ZooKeeperCluster z = client.resources(ZooKeeperCluster.class).inNamespace(ns).withName(NAME).get();
            return z.getStatus() != null && Conditions.isTrue(z.getStatus().getConditions(), Conditions.READY);
        });
        client.resource(new PeerAuthenticationBuilder().withNewMetadata().withName(USER_PA).withNamespace(ns)
                .endMetadata().withNewSpec().withNewMtls().withMode(PeerAuthenticationMutualTLSMode.DISABLE).endMtls()
                .endSpec().build()).create();
        Map<String, String> uids = client.pods().inNamespace(ns).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
        assertEquals(3, uids.size(), uids.toString());
        String template = client.apps().statefulSets().inNamespace(ns).withName(NAME + "-zk").get()
                .getMetadata().getResourceVersion();

        client.resources(ZooKeeperCluster.class).inNamespace(ns).withName(NAME).edit(z -> {
            z.getSpec().getIstio().setDataplaneMode(AMBIENT);
            return z;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ZooKeeperCluster z = client.resources(ZooKeeperCluster.class).inNamespace(ns).withName(NAME).get();
            Condition ready = Conditions.find(z.getStatus().getConditions(), Conditions.READY).orElseThrow();
            assertEquals(Condition.FALSE, ready.getStatus());
            assertEquals(ComponentReconciler.REASON_AMBIENT_REFUSED, ready.getReason());
            assertTrue(ready.getMessage().contains("PeerAuthentication " + ns + "/" + USER_PA), ready.getMessage());
            assertTrue(ready.getMessage().contains("Nothing was changed in the cluster"), ready.getMessage());
        });
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "Warning".equals(e.getType())
                        && ComponentReconciler.REASON_AMBIENT_REFUSED.equals(e.getReason())));
        assertEquals(template, client.apps().statefulSets().inNamespace(ns).withName(NAME + "-zk").get()
                .getMetadata().getResourceVersion(), "the StatefulSet is untouched");
        for (Pod p : client.pods().inNamespace(ns).list().getItems()) {
            assertEquals(uids.get(p.getMetadata().getName()), p.getMetadata().getUid(), "no pod restarted");
            assertTrue(hasProxy(p), p.getMetadata().getName() + " keeps its sidecar");
        }

        client.resources(PeerAuthentication.class).inNamespace(ns).withName(USER_PA).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ZooKeeperCluster z = client.resources(ZooKeeperCluster.class).inNamespace(ns).withName(NAME).get();
            assertTrue(Conditions.isTrue(z.getStatus().getConditions(), Conditions.READY),
                    String.valueOf(z.getStatus().getConditions()));
            List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
            assertEquals(3, pods.size());
            for (Pod p : pods) {
                assertTrue(!hasProxy(p), p.getMetadata().getName() + " moved to ambient");
            }
        });
    }

    /** Every component reports all its replicas in the mesh in {@code mode}, and so does the coordinator. */
    void assertEnrolmentInStatus(String mode) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (String kind : ORDER) {
                ComponentStatus st = (ComponentStatus) get(KINDS.get(kind)).getStatus();
                assertEquals(mode, st.getDataplaneMode(), kind);
                assertEquals(st.getReplicas(), st.getOnMeshReplicas(), kind);
                assertTrue(Conditions.isTrue(st.getConditions(), PodsInMesh.CONDITION),
                        kind + " " + st.getConditions());
            }
            PulsarCoordinator c = get(PulsarCoordinator.class);
            assertTrue(Conditions.isTrue(c.getStatus().getConditions(), PodsInMesh.CONDITION));
            for (var s : c.getStatus().getComponents()) {
                assertEquals(mode, s.getDataplaneMode(), s.getKind());
            }
        });
    }

    void createZtunnel() {
        DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName(ZTUNNEL).withNamespace(ZTUNNEL_NS).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", ZTUNNEL).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", ZTUNNEL).endMetadata()
                .withNewSpec().addNewContainer().withName("istio-proxy").withImage("istio/ztunnel:stand-in").endContainer()
                .endSpec().endTemplate().endSpec().build();
        DaemonSet existing = client.apps().daemonSets().inNamespace(ZTUNNEL_NS).withName(ZTUNNEL).get();
        DaemonSet created = existing != null ? existing : client.resource(ds).create();
        created.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(3).withCurrentNumberScheduled(3)
                .withNumberReady(3).withNumberAvailable(3).withUpdatedNumberScheduled(3).withNumberMisscheduled(0)
                .build());
        client.apps().daemonSets().resource(created).updateStatus();
    }

    List<Pod> pods() {
        return client.pods().inNamespace(NS).withLabel(Labels.CLUSTER, NAME).list().getItems();
    }

    static Set<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    Map<String, String> podUids() {
        return pods().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    <T extends HasMetadata> T get(Class<T> kind) {
        return client.resources(kind).inNamespace(NS).withName(NAME).get();
    }

    List<Event> coordinatorEvents() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "PulsarCoordinator".equals(e.getInvolvedObject().getKind())).toList();
    }

    Set<String> eventNames() {
        return coordinatorEvents().stream().map(e -> e.getMetadata().getName()).collect(Collectors.toSet());
    }

    List<Event> newEvents(Set<String> before) {
        return eventsSince(before);
    }

    List<Event> eventsSince(Set<String> before) {
        return coordinatorEvents().stream().filter(e -> !before.contains(e.getMetadata().getName())).toList();
    }

    static long count(List<Event> events, String type, String reason) {
        return events.stream().filter(e -> type.equals(e.getType()) && reason.equals(e.getReason())).count();
    }

    static List<String> reasons(List<Event> events) {
        return events.stream().map(e -> e.getType() + " " + e.getReason()).toList();
    }

    void drainRequests() throws InterruptedException {
        while (server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // discard
        }
    }

    /** Patches of the components' specs (not their status) in this namespace since the last drain. */
    List<String> patchedSpecs() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            String path = r.getPath();
            if (("PATCH".equals(r.getMethod()) || "PUT".equals(r.getMethod())) && path.contains("/namespaces/" + NS + "/")
                    && !path.contains("/status") && (path.contains("/zookeeperclusters/")
                            || path.contains("/bookkeeperclusters/") || path.contains("/pulsarbrokers/")
                            || path.contains("/pulsarproxies/"))) {
                out.add(r.getMethod() + " " + path);
            }
        }
        return out;
    }
}
