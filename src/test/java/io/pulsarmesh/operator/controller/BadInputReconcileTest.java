package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperConfig;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperConfig;
import io.pulsarmesh.operator.model.bookkeeper.BookKeeperModel;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The rows of the bad-input catalogue (README "Bad input") that only the operator can catch: each starts from a
 * running component, applies the bad change, and checks that the user sees {@code Ready=False} with the reason and a
 * Warning Event, and that nothing that runs was deleted or changed (every object the component owns keeps its
 * resource version, every pod stays). The rows the schema catches at {@code kubectl apply} are in
 * {@code CrdConformanceIT}, against a real API server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputReconcileTest {
    static final String NAME = "private-cloud";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    FakeWorkloadController workloads;

    @BeforeAll
    void start() {
        workloads = new FakeWorkloadController(client).start();
    }

    @AfterAll
    void stop() {
        workloads.close();
    }

    <T extends CustomResource<?, ?>> T example(Class<T> kind, String ns) {
        T cr = kind.cast(Render.load(Path.of("kubernetes/examples/pulsar-cluster.yaml"), ns).stream()
                .map(Render.Loaded::resource).filter(kind::isInstance).findFirst().orElseThrow());
        cr.getMetadata().setNamespace(ns);
        return cr;
    }

    /** Resource versions of everything in the namespace but the custom resources and Events: what must not move. */
    Map<String, String> running(String ns) {
        Map<String, String> out = new TreeMap<>();
        List<List<? extends HasMetadata>> all = List.of(
                client.apps().statefulSets().inNamespace(ns).list().getItems(),
                client.apps().deployments().inNamespace(ns).list().getItems(),
                client.services().inNamespace(ns).list().getItems(),
                client.configMaps().inNamespace(ns).list().getItems(),
                client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems(),
                client.pods().inNamespace(ns).list().getItems());
        for (List<? extends HasMetadata> list : all) {
            for (HasMetadata o : list) {
                out.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getUid());
            }
        }
        return out;
    }

    static boolean ready(CustomResource<?, ?> cr) {
        return cr != null && cr.getStatus() instanceof ComponentStatus s
                && Conditions.isTrue(s.getConditions(), Conditions.READY);
    }

    /**
     * Runs the component, applies {@code change}, and checks the refusal: {@code Ready=False} with {@code reason} and a
     * message naming {@code field}, one Warning Event of that reason, and every object and pod as it was.
     */
    <T extends CustomResource<?, ?>> void refused(T cr, Consumer<T> change, String reason, String field)
            throws InterruptedException {
        String ns = cr.getMetadata().getNamespace();
        @SuppressWarnings("unchecked")
        Class<T> kind = (Class<T>) cr.getClass();
        client.resource(cr).create();
        await().atMost(TIMEOUT).until(() -> ready(client.resources(kind).inNamespace(ns).withName(NAME).get()));
        // Settled: the StatefulSet controller and the operator have both finished.
        Thread.sleep(1000);
        Map<String, String> before = running(ns);
        Map<String, String> versions = versions(ns);

        client.resources(kind).inNamespace(ns).withName(NAME).edit(c -> {
            change.accept(c);
            return c;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ComponentStatus st = (ComponentStatus) client.resources(kind).inNamespace(ns).withName(NAME).get()
                    .getStatus();
            Condition r = Conditions.find(st.getConditions(), Conditions.READY).orElseThrow();
            assertEquals(Condition.FALSE, r.getStatus());
            assertEquals(reason, r.getReason());
            assertTrue(r.getMessage().contains(field), r.getMessage());
            assertTrue(r.getMessage().contains("Nothing was changed in the cluster"), r.getMessage());
        });
        Thread.sleep(1500); // time for a wrong operator to act
        assertEquals(1, client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).count(), "one Warning");
        assertEquals(before, running(ns), "every object and pod stays (same UIDs)");
        assertEquals(versions, versions(ns), "and unchanged (same resource versions)");
    }

    Map<String, String> versions(String ns) {
        Map<String, String> out = new HashMap<>();
        client.apps().statefulSets().inNamespace(ns).list().getItems()
                .forEach(o -> out.put("StatefulSet/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        client.services().inNamespace(ns).list().getItems()
                .forEach(o -> out.put("Service/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        client.configMaps().inNamespace(ns).list().getItems()
                .forEach(o -> out.put("ConfigMap/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems()
                .forEach(o -> out.put("PDB/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        return out;
    }

    @Test
    void aCoordinatorThatDoesNotExist() throws InterruptedException {
        ZooKeeperCluster zk = example(ZooKeeperCluster.class, "bad-coordinator");
        zk.getMetadata().setLabels(null);
        refused(zk, c -> c.getMetadata().setLabels(Map.of(Labels.COORDINATOR_NAME, "no-such-coordinator")),
                ComponentReconciler.REASON_COORDINATOR_NOT_FOUND, "no PulsarCoordinator no-such-coordinator");
    }

    /** A deleted coordinator does not take its components' settings with it. */
    @Test
    void aCoordinatorDeletedUnderRunningComponents() throws InterruptedException {
        String ns = "deleted-coordinator";
        client.resource(example(PulsarCoordinator.class, ns)).create();
        ZooKeeperCluster zk = example(ZooKeeperCluster.class, ns);
        refused(zk, c -> client.resources(PulsarCoordinator.class).inNamespace(ns).withName(NAME).delete(),
                ComponentReconciler.REASON_COORDINATOR_NOT_FOUND, "no PulsarCoordinator " + NAME);
        // Recreated, it is found again and the component recovers.
        client.resource(example(PulsarCoordinator.class, ns)).create();
        await().atMost(TIMEOUT).until(() -> ready(client.resources(ZooKeeperCluster.class).inNamespace(ns)
                .withName(NAME).get()));
    }

    @Test
    void aConfigurationKeyTheOperatorOwns() throws InterruptedException {
        ZooKeeperCluster zk = example(ZooKeeperCluster.class, "bad-config");
        zk.getMetadata().setLabels(null);
        refused(zk, c -> {
            ZooKeeperConfig config = c.getSpec().getConfig() != null ? c.getSpec().getConfig() : new ZooKeeperConfig();
            config.setCustom(new HashMap<>(Map.of("clientPort", "2182")));
            c.getSpec().setConfig(config);
        }, "ReservedConfigKey", "spec.config.custom.clientPort");
    }

    @Test
    void aBookieIdentityPolicyChangedOnARunningCluster() throws InterruptedException {
        BookKeeperCluster bk = example(BookKeeperCluster.class, "bad-bookie-id");
        bk.getMetadata().setLabels(null);
        refused(bk, c -> {
            BookKeeperConfig config = c.getSpec().getConfig() != null ? c.getSpec().getConfig() : new BookKeeperConfig();
            config.setBookieIDPolicy("HostNamePort");
            c.getSpec().setConfig(config);
        }, "BookieIdPolicyChangeRefused", "spec.config.bookieIDPolicy");
    }

    /** A bookie leaves only once decommissioned: the explicit step the refusal names. */
    @Test
    void aScaleDownThatWouldRemoveABookieNotDecommissioned() throws InterruptedException {
        String ns = "bad-scale-down";
        BookKeeperCluster bk = example(BookKeeperCluster.class, ns);
        bk.getMetadata().setLabels(null);
        refused(bk, c -> c.getSpec().setReplicas(2), "BookieScaleDownRefused", NAME + "-bookie-2");
        client.resources(BookKeeperCluster.class).inNamespace(ns).withName(NAME).edit(c -> {
            c.getMetadata().setAnnotations(Map.of(BookKeeperModel.DECOMMISSIONED_BOOKIES, "2"));
            return c;
        });
        await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).withName(NAME + "-bookie")
                .get().getSpec().getReplicas() == 2);
        await().atMost(TIMEOUT).until(() -> ready(client.resources(BookKeeperCluster.class).inNamespace(ns)
                .withName(NAME).get()));
    }
}
