package io.pulsarmesh.operator.artifact;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged operator, in its production configuration (server-side apply, no CRDs applied by itself), started
 * against an API server: its health checks come up, it turns the example cluster into exactly the objects
 * {@code render} computes, writes the custom resources' status, and {@code /q/metrics} reports its reconciles.
 */
@QuarkusIntegrationTest
@WithTestResource(value = MockApiServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorIT {
    static final String NS = "pulsar";
    static final String NAME = "private-cloud";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Set<String> CR_KINDS = Set.of("ZooKeeperCluster", "BookKeeperCluster", "PulsarBroker", "PulsarProxy");
    static final List<String> CONTROLLERS = List.of("pulsar-coordinator", "zookeeper-cluster", "bookkeeper-cluster",
            "pulsar-broker", "pulsar-proxy");

    ApiServer api;

    @TestHTTPResource("/q/health/live")
    URL live;
    @TestHTTPResource("/q/health/ready")
    URL ready;
    @TestHTTPResource("/q/metrics")
    URL metrics;

    FakeWorkloadController workloads;

    @AfterAll
    void stopWorkloads() {
        if (workloads != null) {
            workloads.close();
        }
    }

    @Test
    @Order(1)
    void healthChecksAreUpOnceTheControllersWatch() {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            HttpResponse<String> r = Http.get(ready);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("UP", Http.json(r.body()).path("status").asText(), r.body());
        });
        // The operator SDK's readiness check lists each controller, OK once its informers have synced; the operator's
        // own check waits for the Istio informers (here: Istio is not served).
        JsonNode readiness = Http.json(Http.get(ready).body());
        assertTrue(readiness.toString().contains("Istio not served"), readiness.toString());
        JsonNode controllers = null;
        for (JsonNode check : readiness.path("checks")) {
            assertEquals("UP", check.path("status").asText(), check.toString());
            if (check.path("name").asText().contains("Operator SDK")) {
                controllers = check.path("data");
            }
        }
        assertNotNull(controllers, readiness.toString());
        for (String controller : CONTROLLERS) {
            assertEquals("OK", controllers.path(controller).asText(), readiness.toString());
        }
        HttpResponse<String> liveness = Http.get(live);
        assertEquals(200, liveness.statusCode(), liveness.body());
        assertEquals("UP", Http.json(liveness.body()).path("status").asText(), liveness.body());
    }

    @Test
    @Order(2)
    void theExampleClusterBecomesExactlyTheRenderedObjectsAndReady() {
        KubernetesClient client = api.client();
        workloads = new FakeWorkloadController(client).start();
        for (Render.Loaded l : Render.load(Manifests.PLAIN_EXAMPLE, NS)) {
            client.resource(l.resource()).create();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PulsarCoordinator c = client.resources(PulsarCoordinator.class).inNamespace(NS).withName(NAME).get();
            assertNotNull(c.getStatus(), "coordinator status");
            assertTrue(Conditions.isTrue(c.getStatus().getConditions(), Conditions.READY), c.getStatus().toString());
            assertEquals("4/4", c.getStatus().getReadyComponents());
        });

        List<HasMetadata> managed = Stream.of(ConfigMap.class, Service.class, StatefulSet.class, Deployment.class,
                PodDisruptionBudget.class)
                .<HasMetadata>flatMap(k -> client.resources(k).inNamespace(NS).withLabel(Labels.MANAGED_BY).list()
                        .getItems().stream())
                .toList();
        TreeSet<String> keys = new TreeSet<>();
        for (HasMetadata o : managed) {
            keys.add(o.getKind() + "/" + o.getMetadata().getName());
            List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
            assertEquals(1, owners.size(), o.getMetadata().getName());
            assertTrue(owners.get(0).getController() && CR_KINDS.contains(owners.get(0).getKind()),
                    o.getMetadata().getName() + " " + owners);
        }
        assertEquals(Manifests.keys(Manifests.parse(Manifests.renderHere("-f", Manifests.PLAIN_EXAMPLE.toString()))),
                keys);

        ZooKeeperCluster zk = client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(NAME).get();
        assertEquals(3, zk.getStatus().getReadyReplicas());
        assertEquals(zk.getMetadata().getGeneration(), zk.getStatus().getObservedGeneration());
        Condition zkReady = Conditions.find(zk.getStatus().getConditions(), Conditions.READY).orElseThrow();
        assertEquals(Conditions.REASON_ALL_REPLICAS_READY, zkReady.getReason());
        assertTrue(client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "ComponentReady".equals(e.getReason())
                        && "ZooKeeperCluster".equals(e.getInvolvedObject().getKind())));

        // Written as in production: every object and status by server-side apply, under the controllers' names.
        Map<String, Integer> applies = api.appliesByManager();
        assertTrue(applies.keySet().containsAll(CONTROLLERS), applies.toString());
        assertTrue(applies.values().stream().mapToInt(Integer::intValue).sum() >= managed.size(), applies.toString());
    }

    /** The packaged operator runs with leader election (prod profile): it reconciled because it holds the Lease. */
    @Test
    @Order(3)
    void theOperatorHoldsTheLeaderElectionLease() {
        Lease lease = api.client().resources(Lease.class)
                .inNamespace(MockApiServer.LEASE_NAMESPACE).withName("pulsar-mesh-operator-lease").get();
        assertNotNull(lease, "the Lease the replicas compete for");
        String holder = lease.getSpec().getHolderIdentity();
        assertNotNull(holder);
        assertFalse(holder.isBlank());
        assertEquals(15, lease.getSpec().getLeaseDurationSeconds());
        await().atMost(TIMEOUT).untilAsserted(() -> assertNotEquals(
                lease.getSpec().getRenewTime(), api.client().resources(Lease.class).inNamespace(MockApiServer.LEASE_NAMESPACE)
                        .withName("pulsar-mesh-operator-lease").get().getSpec().getRenewTime(),
                "the leader renews its Lease"));
    }

    @Test
    @Order(4)
    void metricsReportTheReconcilesAndTheManagedResources() {
        List<Http.Sample> samples = Http.samples(scrape());
        for (String kind : List.of("PulsarCoordinator", "ZooKeeperCluster", "BookKeeperCluster", "PulsarBroker",
                "PulsarProxy")) {
            assertEquals(1.0, Http.sum(samples, "pulsar_operator_managed_resources", Map.of("kind", kind)), kind);
        }
        for (String kind : CR_KINDS) {
            assertTrue(Http.sum(samples, "pulsar_operator_reconciliations_total",
                    Map.of("kind", kind, "outcome", "applied")) >= 1, kind);
            assertEquals(1.0, Http.sum(samples, "pulsar_operator_component_ready",
                    Map.of("kind", kind, "namespace", NS, "name", NAME)), kind);
        }
        // The operator SDK's own reconcile metrics, per controller.
        for (String controller : CONTROLLERS) {
            assertTrue(Http.sum(samples, "reconciliations_success_total", Map.of("controller_name", controller)) >= 1,
                    "reconciliations_success_total of " + controller);
        }
    }

    String scrape() {
        HttpResponse<String> r = Http.get(metrics);
        assertEquals(200, r.statusCode());
        return r.body();
    }
}
