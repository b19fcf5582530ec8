package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.controller.coordinator.PulsarCoordinatorReconciler;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The operator in the loop: the example cluster is applied to the mock API server, a fake workload controller stands
 * in for the StatefulSet controller and kubelet, and the test follows the cluster from creation to Ready, through a
 * resync that must write nothing, a spec change that must roll out, and an invalid spec that must change nothing.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PulsarClusterReconcileTest {
    static final String NS = "pulsar";
    static final String NAME = "private-cloud";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    KubernetesClient client;
    @Inject
    MeterRegistry meters;
    @Inject
    Operator operator;
    @Inject
    io.vertx.core.Vertx vertx;

    FakeWorkloadController workloads;

    @BeforeAll
    void startFakeController() {
        workloads = new FakeWorkloadController(client).start();
    }

    @AfterAll
    void stopFakeController() {
        workloads.close();
    }

    /**
     * The operator is a singleton bean, not reached through a client proxy (whose constructor would build a Kubernetes
     * client of its own), and it runs every controller with the application's client.
     */
    @Test
    @Order(0)
    void theOperatorIsOneObjectWithTheApplicationsClient() {
        assertFalse(operator instanceof io.quarkus.arc.ClientProxy, operator.getClass().getName());
        KubernetesClient app = client instanceof io.quarkus.arc.ClientProxy p
                ? (KubernetesClient) p.arc_contextualInstance() : client;
        KubernetesClient used = operator.getConfigurationService().getKubernetesClient();
        assertSame(app, used instanceof io.quarkus.arc.ClientProxy p ? p.arc_contextualInstance() : used);
        assertEquals(5, operator.getRegisteredControllersNumber());
    }

    /**
     * The Kubernetes client's connections and watches, and the management endpoints, share one Vert.x event loop
     * (application.properties): with Vert.x's default of two per core, work handed between loops cost the operator CPU.
     */
    @Test
    @Order(0)
    void theOperatorRunsOneEventLoop() {
        int loops = 0;
        for (var loop : vertx.nettyEventLoopGroup()) {
            loops++;
        }
        assertEquals(1, loops);
    }

    /**
     * The client, and the operator SDK through it, clone with the token buffer ({@code BufferedCloneSerialization}):
     * the SDK clones the primary before every reconciliation with the client's serialization.
     */
    @Test
    @Order(0)
    void theSdkClonesThroughTheTokenBuffer() {
        assertInstanceOf(io.pulsarmesh.operator.kube.BufferedCloneSerialization.class, client.getKubernetesSerialization());
        assertSame(client.getKubernetesSerialization(),
                operator.getConfigurationService().getKubernetesClient().getKubernetesSerialization());
    }

    /**
     * A watch event's object is decoded by its apiVersion and kind: every kind the operator watches must be known to
     * the client's serialization, or the event is decoded into a generic resource and converted again into the
     * informer's type (twice the work for each event).
     */
    @Test
    @Order(0)
    void everyWatchedKindDecodesToItsOwnClass() {
        List<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> kinds = new java.util.ArrayList<>(
                ObjectApplier.MANAGED_KINDS);
        kinds.addAll(ObjectApplier.ISTIO_KINDS);
        kinds.addAll(List.of(io.fabric8.kubernetes.api.model.Pod.class,
                io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator.class,
                io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster.class,
                io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster.class,
                io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker.class,
                io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy.class));
        for (var kind : kinds) {
            String json = "{\"apiVersion\":\"" + io.fabric8.kubernetes.api.model.HasMetadata.getApiVersion(kind)
                    + "\",\"kind\":\"" + io.fabric8.kubernetes.api.model.HasMetadata.getKind(kind)
                    + "\",\"metadata\":{\"name\":\"x\",\"namespace\":\"y\"}}";
            Object decoded = client.getKubernetesSerialization().unmarshal(json);
            assertEquals(kind, decoded.getClass(), json);
        }
    }

    @Test
    @Order(1)
    void exampleClusterConvergesToReady() {
        for (Render.Loaded l : Render.load(Path.of("kubernetes/examples/pulsar-cluster.yaml"), NS)) {
            client.resource(l.resource()).create();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertNotNull(sts(NAME + "-zk"));
            assertNotNull(sts(NAME + "-bookie"));
            assertNotNull(sts(NAME + "-bookie-recovery"));
            assertNotNull(sts(NAME + "-broker"));
            assertNotNull(client.apps().deployments().inNamespace(NS).withName(NAME + "-proxy").get());
        });
        for (String svc : List.of("-zk", "-zk-headless", "-bookie", "-bookie-headless", "-broker", "-broker-headless",
                "-proxy")) {
            Service s = client.services().inNamespace(NS).withName(NAME + svc).get();
            assertNotNull(s, "Service " + NAME + svc);
        }
        for (String cm : List.of("-zk", "-bookie", "-bookie-recovery", "-broker", "-proxy")) {
            assertNotNull(client.configMaps().inNamespace(NS).withName(NAME + cm).get(), "ConfigMap " + NAME + cm);
        }
        for (String pdb : List.of("-zk", "-bookie", "-broker", "-proxy")) {
            assertNotNull(client.resources(PodDisruptionBudget.class).inNamespace(NS).withName(NAME + pdb).get(),
                    "PDB " + NAME + pdb);
        }
        assertOwnedBy(sts(NAME + "-zk"), get(ZooKeeperCluster.class));
        assertOwnedBy(sts(NAME + "-bookie-recovery"), get(BookKeeperCluster.class));
        assertOwnedBy(client.services().inNamespace(NS).withName(NAME + "-broker-headless").get(), get(PulsarBroker.class));
        assertOwnedBy(client.apps().deployments().inNamespace(NS).withName(NAME + "-proxy").get(), get(PulsarProxy.class));
        assertEquals(Labels.MANAGED_BY_VALUE, sts(NAME + "-broker").getMetadata().getLabels().get(Labels.MANAGED_BY));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertReady(get(ZooKeeperCluster.class).getStatus(), 3);
            assertReady(get(BookKeeperCluster.class).getStatus(), 3);
            assertEquals(1, get(BookKeeperCluster.class).getStatus().getAutoRecoveryReadyReplicas());
            // Ready counts what it waited for, bookies and auto-recovery, as the not-ready message did.
            assertEquals("4/4 pods ready", Conditions.find(get(BookKeeperCluster.class).getStatus().getConditions(),
                    Conditions.READY).orElseThrow().getMessage());
            assertReady(get(PulsarBroker.class).getStatus(), 2);
            assertReady(get(PulsarProxy.class).getStatus(), 2);
            PulsarCoordinator coordinator = get(PulsarCoordinator.class);
            assertNotNull(coordinator.getStatus());
            assertTrue(Conditions.isTrue(coordinator.getStatus().getConditions(), Conditions.READY));
            assertEquals("4/4", coordinator.getStatus().getReadyComponents());
        });
        PulsarBroker broker = get(PulsarBroker.class);
        assertEquals("pulsar://private-cloud-broker.pulsar.svc.cluster.local:6650",
                broker.getStatus().getServiceEndpoints().getCluster().getPulsarServiceURL());
        assertEquals("http://private-cloud-broker.pulsar.svc.cluster.local:8080",
                broker.getStatus().getServiceEndpoints().getCluster().getWebServiceURL());
        assertEquals(broker.getMetadata().getGeneration(), broker.getStatus().getObservedGeneration());
        assertEquals("cloud.streamnative.io/app=pulsar,cloud.streamnative.io/cluster=private-cloud,"
                + "cloud.streamnative.io/component=broker", broker.getStatus().getLabelSelector());
        // A new component's objects are created without an Event listing them (its Ready transition is one); its
        // readiness is.
        assertTrue(events().stream().anyMatch(e -> "ComponentReady".equals(e.getReason())
                && "PulsarBroker".equals(e.getInvolvedObject().getKind())));
        assertFalse(events().stream().anyMatch(e -> "ObjectsApplied".equals(e.getReason())), events().toString());
    }

    /**
     * Every component reconciles again (triggered the way a resync or an unrelated change is: by an event on one of
     * its objects that changes nothing the operator owns) and nothing is written back.
     */
    @Test
    @Order(2)
    void resyncOfUnchangedClusterWritesNothing() throws Exception {
        workloads.pause(true);
        try {
            drainRequests();
            double before = reconciliations();
            List<String> touched = new ArrayList<>();
            for (String cm : List.of("-zk", "-bookie", "-broker", "-proxy")) {
                client.configMaps().inNamespace(NS).withName(NAME + cm).edit(c -> {
                    Map<String, String> a = new HashMap<>(c.getMetadata().getAnnotations() == null ? Map.of()
                            : c.getMetadata().getAnnotations());
                    a.put("example.com/touched", String.valueOf(System.nanoTime()));
                    c.getMetadata().setAnnotations(a);
                    return c;
                });
                touched.add("/configmaps/" + NAME + cm);
            }
            await().atMost(TIMEOUT).until(() -> reconciliations() >= before + 4);
            Thread.sleep(1500);
            List<String> writes = new ArrayList<>();
            RecordedRequest r;
            while ((r = server.getKubernetesMockServer().takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
                String path = r.getPath();
                boolean ownEdit = touched.stream().anyMatch(path::endsWith);
                if (!"GET".equals(r.getMethod()) && !ownEdit) {
                    writes.add(r.getMethod() + " " + path);
                }
            }
            assertEquals(List.of(), writes, "a resync of an unchanged cluster must not write");
            assertTrue(meters.find(ReconcileMetrics.NAME).tag("outcome", ReconcileMetrics.UNCHANGED).counters().stream()
                    .mapToDouble(Counter::count).sum() >= 4);
        } finally {
            workloads.pause(false);
        }
    }

    /**
     * A converged component skips rendering while nothing changed ({@link AppliedMemo}); an object changed or deleted
     * by hand is not nothing: it is put back as the model has it.
     */
    @Test
    @Order(9)
    void objectsChangedOrDeletedByHandArePutBack() {
        String cmName = NAME + "-broker";
        Map<String, String> desired = client.configMaps().inNamespace(NS).withName(cmName).get().getData();
        String key = desired.keySet().iterator().next();
        client.configMaps().inNamespace(NS).withName(cmName).edit(c -> {
            c.getData().put(key, "changed by hand");
            return c;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(desired,
                client.configMaps().inNamespace(NS).withName(cmName).get().getData()));

        // A workload's answer holds while only its status changes; a change to its spec or labels is not that.
        var broker = sts(NAME + "-broker");
        int replicas = broker.getSpec().getReplicas();
        client.apps().statefulSets().inNamespace(NS).withName(NAME + "-broker").edit(s -> {
            s.getSpec().setReplicas(replicas + 5);
            s.getMetadata().getLabels().put(Labels.CLUSTER, "changed-by-hand");
            return s;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var back = sts(NAME + "-broker");
            assertEquals(replicas, back.getSpec().getReplicas());
            assertEquals(broker.getMetadata().getLabels().get(Labels.CLUSTER),
                    back.getMetadata().getLabels().get(Labels.CLUSTER));
        });

        var service = client.services().inNamespace(NS).withName(NAME + "-broker").get();
        assertNotNull(service);
        client.services().inNamespace(NS).withName(NAME + "-broker").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var back = client.services().inNamespace(NS).withName(NAME + "-broker").get();
            assertNotNull(back, "the deleted Service is created again");
            assertEquals(service.getSpec().getPorts(), back.getSpec().getPorts());
        });
    }

    @Test
    @Order(3)
    void specChangeRollsOut() {
        String hashBefore = sts(NAME + "-broker").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Labels.CONFIG_HASH_ANNOTATION);
        client.resources(PulsarBroker.class).inNamespace(NS).withName(NAME).edit(b -> {
            b.getSpec().setImage("apachepulsar/pulsar:4.0.6");
            b.getSpec().setReplicas(3);
            b.getSpec().getConfig().getCustom().put("managedLedgerMaxEntriesPerLedger", "25000");
            return b;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatefulSet sts = sts(NAME + "-broker");
            assertEquals("apachepulsar/pulsar:4.0.6", sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertEquals(3, sts.getSpec().getReplicas());
            ConfigMap cm = client.configMaps().inNamespace(NS).withName(NAME + "-broker").get();
            assertTrue(cm.getData().get("broker.conf").contains("managedLedgerMaxEntriesPerLedger=25000"));
            assertFalse(hashBefore.equals(sts.getSpec().getTemplate().getMetadata().getAnnotations()
                    .get(Labels.CONFIG_HASH_ANNOTATION)), "a configuration change must change the pod template");
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PulsarBroker b = get(PulsarBroker.class);
            assertReady(b.getStatus(), 3);
            assertEquals(b.getMetadata().getGeneration(), b.getStatus().getObservedGeneration());
        });
        // A change to a running component is an Event naming what changed.
        assertTrue(events().stream().anyMatch(e -> "ObjectsApplied".equals(e.getReason())
                && "PulsarBroker".equals(e.getInvolvedObject().getKind())
                && e.getMessage().contains("updated") && e.getMessage().contains("StatefulSet/" + NAME + "-broker")),
                events().toString());
    }

    @Test
    @Order(4)
    void invalidSpecIsReportedAndChangesNothing() {
        StatefulSet before = sts(NAME + "-broker");
        client.resources(PulsarBroker.class).inNamespace(NS).withName(NAME).edit(b -> {
            b.getSpec().setImage("apachepulsar/pulsar:9.9.9");
            b.getSpec().getConfig().getCustom().put("brokerServicePort", "7000");
            return b;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = Conditions.find(get(PulsarBroker.class).getStatus().getConditions(), Conditions.READY)
                    .orElseThrow();
            assertEquals(Condition.FALSE, ready.getStatus());
            assertEquals("ReservedConfigKey", ready.getReason());
            assertTrue(ready.getMessage().contains("spec.config.custom.brokerServicePort"), ready.getMessage());
            assertTrue(events().stream().anyMatch(e -> "Warning".equals(e.getType())
                    && "ReservedConfigKey".equals(e.getReason())
                    && "PulsarBroker".equals(e.getInvolvedObject().getKind())));
        });
        StatefulSet after = sts(NAME + "-broker");
        assertNotNull(after, "the running brokers must stay");
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals("apachepulsar/pulsar:4.0.6", after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertNotNull(client.services().inNamespace(NS).withName(NAME + "-broker").get());
        assertNotNull(client.configMaps().inNamespace(NS).withName(NAME + "-broker").get());
        PulsarCoordinator coordinator = get(PulsarCoordinator.class);
        await().atMost(TIMEOUT).untilAsserted(() -> assertFalse(
                Conditions.isTrue(get(PulsarCoordinator.class).getStatus().getConditions(), Conditions.READY)));
        assertNotNull(coordinator);
    }

    @Test
    @Order(5)
    void fixingTheSpecRecovers() {
        client.resources(PulsarBroker.class).inNamespace(NS).withName(NAME).edit(b -> {
            b.getSpec().getConfig().getCustom().remove("brokerServicePort");
            return b;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals("apachepulsar/pulsar:9.9.9",
                    sts(NAME + "-broker").getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertReady(get(PulsarBroker.class).getStatus(), 3);
            assertTrue(Conditions.isTrue(get(PulsarCoordinator.class).getStatus().getConditions(), Conditions.READY));
        });
    }

    @Test
    @Order(6)
    void unreadyPodsMakeTheComponentNotReady() {
        workloads.holdUnready(NS, NAME + "-bookie");
        try {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                Condition ready = Conditions.find(get(BookKeeperCluster.class).getStatus().getConditions(),
                        Conditions.READY).orElseThrow();
                assertEquals(Condition.FALSE, ready.getStatus());
                assertEquals(Conditions.REASON_REPLICAS_NOT_READY, ready.getReason());
                assertEquals(0, get(BookKeeperCluster.class).getStatus().getReadyReplicas());
            });
        } finally {
            workloads.release(NS, NAME + "-bookie");
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertReady(get(BookKeeperCluster.class).getStatus(), 3));
    }

    /**
     * The coordinator's status changes with every component's and pod's progress; components read only its spec, so
     * a status change reconciles none of them.
     */
    @Test
    @Order(7)
    void coordinatorStatusChangeReconcilesNoComponent() throws Exception {
        workloads.pause(true);
        try {
            await().atMost(TIMEOUT).until(() -> {
                double before = reconciliations();
                Thread.sleep(1000);
                return reconciliations() == before;
            });
            double before = reconciliations();
            PulsarCoordinator coordinator = get(PulsarCoordinator.class);
            coordinator.getStatus().setReadyComponents("3/4");
            client.resource(coordinator).patchStatus();
            Thread.sleep(2000);
            assertEquals(before, reconciliations(), "component reconciliations after a coordinator status change");
        } finally {
            workloads.pause(false);
        }
    }

    /**
     * Each coordinator is reconciled at most once a second, so the changes of its components that arrive together (a
     * new cluster's come up at once) make one status write; the components themselves are not held back.
     */
    @Test
    @Order(8)
    void onlyTheCoordinatorIsRateLimited() {
        List<RegisteredController> controllers = new ArrayList<>(operator.getRegisteredControllers());
        assertEquals(5, controllers.size());
        for (RegisteredController<?> c : controllers) {
            String name = c.getConfiguration().getName();
            var limiter = c.getConfiguration().getRateLimiter();
            if (PulsarCoordinatorReconciler.NAME.equals(name)) {
                LinearRateLimiter linear = assertInstanceOf(LinearRateLimiter.class, limiter, name);
                assertTrue(linear.isActivated(), name);
                assertEquals(1, linear.getLimitForPeriod(), name);
                assertEquals(Duration.ofMillis(250), linear.getRefreshPeriod(), name);
            } else {
                assertFalse(limiter instanceof LinearRateLimiter l && l.isActivated(), name + " is not rate limited");
            }
        }
    }

    void assertReady(ComponentStatus status, int replicas) {
        assertNotNull(status, "status");
        Condition ready = Conditions.find(status.getConditions(), Conditions.READY).orElseThrow();
        assertEquals(Condition.TRUE, ready.getStatus(), ready.toString());
        assertEquals(replicas, status.getReplicas());
        assertEquals(replicas, status.getReadyReplicas());
        assertEquals(replicas, status.getUpdatedReplicas());
        assertNotNull(ready.getLastTransitionTime());
    }

    static void assertOwnedBy(HasMetadata object, HasMetadata owner) {
        OwnerReference ref = object.getMetadata().getOwnerReferences().get(0);
        assertEquals(owner.getKind(), ref.getKind());
        assertEquals(owner.getMetadata().getName(), ref.getName());
        assertEquals(owner.getMetadata().getUid(), ref.getUid());
        assertEquals(Boolean.TRUE, ref.getController());
    }

    StatefulSet sts(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    <T extends HasMetadata> T get(Class<T> kind) {
        return client.resources(kind).inNamespace(NS).withName(NAME).get();
    }

    List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems();
    }

    /** Component reconciles so far, whatever their outcome. */
    double reconciliations() {
        return meters.find(ReconcileMetrics.NAME).counters().stream().mapToDouble(Counter::count).sum();
    }

    void drainRequests() throws InterruptedException {
        while (server.getKubernetesMockServer().takeRequest(50, TimeUnit.MILLISECONDS) != null) {
            // discard
        }
    }
}
