package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.istio.MeshEnrollment;
import io.pulsarmesh.operator.model.istio.MeshPods;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.pulsarmesh.operator.testsupport.IstioCrds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The operator in the loop with Istio: the Istio example cluster first meets an API server without Istio (every
 * meshed component is refused with {@code IstioNotInstalled} and nothing is created), then Istio's APIs appear and the
 * cluster converges without an operator restart; the broker scales and its per-broker routes follow; the coordinator's
 * trust domain flows into the components' policies; turning Istio off removes exactly the Istio objects.
 *
 * <p>Istio's CRDs are stand-ins with an open schema: the mock server validates nothing (the conformance tier checks
 * the objects against Istio's real schemas).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioReconcileTest {
    static final String NS = "mesh";
    static final String NAME = "private-cloud";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final List<Class<? extends HasMetadata>> ISTIO_KINDS = ObjectApplier.ISTIO_KINDS;

    @Inject
    KubernetesClient client;

    FakeWorkloadController workloads;

    @BeforeAll
    void startFakeController() {
        workloads = new FakeWorkloadController(client).start();
    }

    @AfterAll
    void stopFakeController() {
        workloads.close();
    }

    @Test
    @Order(1)
    void withoutIstioMeshedComponentsAreRefusedAndNothingIsCreated() {
        for (Render.Loaded l : Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"), NS)) {
            CustomResource<?, ?> cr = l.resource();
            cr.getMetadata().setNamespace(NS);
            client.resource(cr).create();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (Class<? extends CustomResource<?, ?>> kind : List.of(ZooKeeperCluster.class, BookKeeperCluster.class,
                    PulsarBroker.class, PulsarProxy.class)) {
                Condition ready = readyCondition(get(kind));
                assertNotNull(ready, kind.getSimpleName());
                assertEquals(Condition.FALSE, ready.getStatus());
                assertEquals(ComponentReconciler.REASON_ISTIO_NOT_INSTALLED, ready.getReason());
                assertTrue(ready.getMessage().contains("networking.istio.io/v1"), ready.getMessage());
            }
        });
        assertNull(sts(NAME + "-broker"), "nothing is created for a meshed component without Istio");
        assertNull(sts(NAME + "-zk"));
        assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> ComponentReconciler.REASON_ISTIO_NOT_INSTALLED.equals(e.getReason())
                        && "Warning".equals(e.getType())));
    }

    @Test
    @Order(2)
    void istioInstalledLaterIsPickedUpAndTheClusterConverges() {
        IstioCrds.install(client);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertTrue(Conditions.isTrue(get(ZooKeeperCluster.class).getStatus().getConditions(), Conditions.READY));
            assertTrue(Conditions.isTrue(get(BookKeeperCluster.class).getStatus().getConditions(), Conditions.READY));
            assertTrue(Conditions.isTrue(get(PulsarBroker.class).getStatus().getConditions(), Conditions.READY));
            assertTrue(Conditions.isTrue(get(PulsarProxy.class).getStatus().getConditions(), Conditions.READY));
        });
        // Nothing of the components existed without Istio: they are created in the mesh, STRICT from the start.
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(Set.of(NAME + "-zk", NAME + "-zk-headless",
                NAME + "-bookie", NAME + "-bookie-headless", NAME + "-broker", NAME + "-broker-headless",
                NAME + "-proxy"), names(DestinationRule.class)));
        assertEquals(Set.of(NAME + "-zk", NAME + "-bookie", NAME + "-bookie-recovery", NAME + "-broker", NAME + "-proxy"),
                names(PeerAuthentication.class));
        assertEquals(names(PeerAuthentication.class), names(AuthorizationPolicy.class));
        assertEquals(Set.of(NAME + "-zk", NAME + "-zk-headless", NAME + "-bookie", NAME + "-bookie-headless",
                NAME + "-broker", NAME + "-broker-headless", NAME + "-proxy"), names(DestinationRule.class));
        assertEquals(Set.of(NAME + "-broker-gateway"), names(Gateway.class));
        assertEquals(Set.of(NAME + "-broker", NAME + "-broker-0", NAME + "-broker-1"), names(VirtualService.class));
        assertEquals(Set.of(NAME + "-broker-0", NAME + "-broker-1"), names(ServiceEntry.class));
        for (Class<? extends HasMetadata> kind : ISTIO_KINDS) {
            for (HasMetadata o : list(kind)) {
                assertEquals(1, o.getMetadata().getOwnerReferences().size(), kind.getSimpleName() + " " + o.getMetadata().getName());
                assertTrue(o.getMetadata().getOwnerReferences().get(0).getController());
            }
        }
        assertEquals("true", sts(NAME + "-broker").getSpec().getTemplate().getMetadata().getLabels().get(MeshPods.INJECT));
        assertEquals("true", sts(NAME + "-zk").getSpec().getTemplate().getMetadata().getLabels().get(MeshPods.INJECT));
        PulsarBroker broker = get(PulsarBroker.class);
        assertEquals("pulsar+ssl://pulsar.example.com:6651",
                broker.getStatus().getServiceEndpoints().getExternal().getPulsarServiceURL());
        assertEquals("https://pulsar.example.com", broker.getStatus().getServiceEndpoints().getExternal().getWebServiceURL());
        assertEquals("STRICT", client.resources(PeerAuthentication.class).inNamespace(NS).withName(NAME + "-zk").get()
                .getSpec().getMtls().getMode().name());
    }

    @Test
    @Order(3)
    void perBrokerRoutesFollowScaleUpAndDown() {
        scaleBroker(3);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(Set.of(NAME + "-broker", NAME + "-broker-0", NAME + "-broker-1", NAME + "-broker-2"),
                    names(VirtualService.class));
            assertEquals(Set.of(NAME + "-broker-0", NAME + "-broker-1", NAME + "-broker-2"), names(ServiceEntry.class));
            assertTrue(gatewayHosts().contains("pb2-pulsar.example.com"));
        });
        assertEquals(List.of("pb2-pulsar.example.com"),
                client.resources(ServiceEntry.class).inNamespace(NS).withName(NAME + "-broker-2").get().getSpec().getHosts());
        assertEquals(NAME + "-broker-2", client.resources(ServiceEntry.class).inNamespace(NS).withName(NAME + "-broker-2")
                .get().getSpec().getWorkloadSelector().getLabels().get("statefulset.kubernetes.io/pod-name"));

        scaleBroker(2);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(Set.of(NAME + "-broker", NAME + "-broker-0", NAME + "-broker-1"), names(VirtualService.class));
            assertEquals(Set.of(NAME + "-broker-0", NAME + "-broker-1"), names(ServiceEntry.class));
            assertFalse(gatewayHosts().contains("pb2-pulsar.example.com"));
        });
    }

    @Test
    @Order(4)
    void coordinatorTrustDomainFlowsIntoComponentPolicies() {
        update(PulsarCoordinator.class, c -> c.getSpec().getIstio().setTrustDomain("example.org"));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            String policy = client.getKubernetesSerialization().asJson(
                    client.resources(AuthorizationPolicy.class).inNamespace(NS).withName(NAME + "-broker").get().getSpec());
            assertTrue(policy.contains("example.org/ns/pulsar-mesh-operator/sa/pulsar-mesh-operator"), policy);
            assertFalse(policy.contains("cluster.local/"), policy);
        });
    }

    @Test
    @Order(5)
    void turningIstioOffRemovesExactlyTheIstioObjects() {
        update(PulsarBroker.class, b -> b.getSpec().getIstio().setEnabled(false));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(Set.of(), names(Gateway.class));
            assertEquals(Set.of(), names(VirtualService.class));
            assertEquals(Set.of(), names(ServiceEntry.class));
            assertFalse(names(AuthorizationPolicy.class).contains(NAME + "-broker"));
            assertFalse(names(PeerAuthentication.class).contains(NAME + "-broker"));
            assertFalse(names(DestinationRule.class).contains(NAME + "-broker-headless"));
            Map<String, String> podLabels = sts(NAME + "-broker").getSpec().getTemplate().getMetadata().getLabels();
            assertEquals("false", podLabels.get(MeshPods.INJECT));
            assertEquals("none", podLabels.get(MeshPods.DATAPLANE_MODE));
        });
        // The other components stay in the mesh, and the brokers' workloads stay.
        assertTrue(names(AuthorizationPolicy.class).containsAll(Set.of(NAME + "-zk", NAME + "-bookie", NAME + "-proxy")));
        assertNotNull(client.services().inNamespace(NS).withName(NAME + "-broker").get());
        // The status is written after the objects: the external endpoints go with the next status write.
        await().atMost(TIMEOUT).untilAsserted(() -> assertNull(
                get(PulsarBroker.class).getStatus().getServiceEndpoints().getExternal()));
    }

    /** A component created in the mesh has no pod to wait for: STRICT and its DestinationRules come with it. */
    @Test
    @Order(6)
    void componentCreatedInTheMeshIsStrictFromTheStart() throws Exception {
        List<String> modes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = watchModes("born-zk", modes)) {
            client.resource(zooKeeper("born", true)).create();
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertTrue(ready(zk("born")));
                assertEquals(List.of("STRICT"), modes);
            });
        }
        assertEquals(2, names(DestinationRule.class).stream().filter(n -> n.startsWith("born-zk")).count());
        assertEquals("sidecar", sts("born-zk").getMetadata().getAnnotations().get(MeshEnrollment.ANNOTATION));
    }

    /**
     * A running component turning Istio on keeps talking to its pods that have no sidecar yet: PERMISSIVE and no
     * DestinationRule until its pods have rolled into the mesh, then STRICT.
     */
    @Test
    @Order(7)
    void runningComponentJoiningTheMeshIsPermissiveUntilItsPodsHaveRolled() throws Exception {
        client.resource(zooKeeper("joining", false)).create();
        await().atMost(TIMEOUT).untilAsserted(() -> assertTrue(ready(zk("joining"))));
        List<String> modes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = watchModes("joining-zk", modes)) {
            update(ZooKeeperCluster.class, "joining", z -> z.getSpec().getIstio().setEnabled(true));
            await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of("PERMISSIVE"), modes));
            assertEquals(0, names(DestinationRule.class).stream().filter(n -> n.startsWith("joining-zk")).count());
            await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of("PERMISSIVE", "STRICT"), modes));
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(2,
                names(DestinationRule.class).stream().filter(n -> n.startsWith("joining-zk")).count()));
    }

    /** A three-server ZooKeeperCluster of its own (no coordinator), in the mesh or not. */
    ZooKeeperCluster zooKeeper(String name, boolean istio) {
        ZooKeeperCluster zk = (ZooKeeperCluster) Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"), NS)
                .stream().map(Render.Loaded::resource).filter(ZooKeeperCluster.class::isInstance).findFirst()
                .orElseThrow();
        zk.getMetadata().setName(name);
        zk.getMetadata().setNamespace(NS);
        zk.getMetadata().setLabels(null);
        zk.getSpec().getIstio().setEnabled(istio);
        return zk;
    }

    static boolean ready(ZooKeeperCluster zk) {
        return zk != null && zk.getStatus() != null && Conditions.isTrue(zk.getStatus().getConditions(), Conditions.READY);
    }

    ZooKeeperCluster zk(String name) {
        return client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(name).get();
    }

    /** Records the mTLS mode of every version of a PeerAuthentication, from its creation on. */
    io.fabric8.kubernetes.client.Watch watchModes(String name, List<String> modes) {
        return client.resources(PeerAuthentication.class).inNamespace(NS).withName(name)
                .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, PeerAuthentication pa) {
                        String mode = pa.getSpec().getMtls().getMode().name();
                        if (action != Action.DELETED && (modes.isEmpty() || !modes.get(modes.size() - 1).equals(mode))) {
                            modes.add(mode);
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                });
    }

    void scaleBroker(int replicas) {
        update(PulsarBroker.class, b -> b.getSpec().setReplicas(replicas));
    }

    /** A spec edit as a user makes it: on a conflict with the operator's status writes, read again and retry. */
    <T extends HasMetadata> void update(Class<T> kind, java.util.function.Consumer<T> change) {
        update(kind, NAME, change);
    }

    <T extends HasMetadata> void update(Class<T> kind, String name, java.util.function.Consumer<T> change) {
        await().atMost(TIMEOUT).ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> {
                    T current = client.resources(kind).inNamespace(NS).withName(name).get();
                    change.accept(current);
                    client.resource(current).update();
                    return true;
                });
    }

    List<String> gatewayHosts() {
        Gateway gw = client.resources(Gateway.class).inNamespace(NS).withName(NAME + "-broker-gateway").get();
        return gw.getSpec().getServers().stream().flatMap(s -> s.getHosts().stream()).distinct().toList();
    }

    <T extends HasMetadata> List<T> list(Class<T> kind) {
        return client.resources(kind).inNamespace(NS).list().getItems();
    }

    Set<String> names(Class<? extends HasMetadata> kind) {
        return list(kind).stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
    }

    StatefulSet sts(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    <T extends HasMetadata> T get(Class<T> kind) {
        return client.resources(kind).inNamespace(NS).withName(NAME).get();
    }

    static Condition readyCondition(HasMetadata cr) {
        Object status = ((CustomResource<?, ?>) cr).getStatus();
        if (!(status instanceof io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus s) || s.getConditions() == null) {
            return null;
        }
        return Conditions.find(s.getConditions(), Conditions.READY).orElse(null);
    }
}
