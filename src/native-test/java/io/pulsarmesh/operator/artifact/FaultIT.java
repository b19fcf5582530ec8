package io.pulsarmesh.operator.artifact;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged operator against an API server that fails: server errors on the StatefulSets' applies, conflicts on
 * status writes, throttling of Events and failed lease renewals. It keeps running, backs off and retries with fresh
 * state, and the example cluster still converges to exactly its objects, each created once, nothing lost.
 */
@QuarkusIntegrationTest
@WithTestResource(value = MockApiServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class FaultIT {
    static final String NS = "pulsar";
    static final String NAME = "private-cloud";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    ApiServer api;

    @TestHTTPResource("/q/health/live")
    URL live;

    FakeWorkloadController workloads;

    @AfterAll
    void stopWorkloads() {
        if (workloads != null) {
            workloads.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void theClusterConvergesThroughServerErrorsConflictsAndThrottling() {
        KubernetesClient client = api.client();
        Faults faults = api.faults();
        List<Faults.Rule> rules = List.of(
                // The first StatefulSet applies fail with a server error.
                faults.fail("PATCH", "/apis/apps/v1/namespaces/" + NS + "/statefulsets/", 500, "InternalError", 4),
                // Status writes meet conflicts, as when another writer got there first.
                faults.fail("PATCH", "/zookeeperclusters/" + NAME + "/status", 409, "Conflict", 2),
                faults.fail("PATCH", "/pulsarbrokers/" + NAME + "/status", 409, "Conflict", 2),
                // Events are throttled.
                faults.fail("POST", "/namespaces/" + NS + "/events", 429, "TooManyRequests", 3),
                // The Lease cannot be renewed for a moment (shorter than the renew deadline).
                faults.fail("PATCH", "/leases/pulsar-mesh-operator-lease", 503, "ServiceUnavailable", 2));
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
        for (Faults.Rule r : rules.subList(0, 3)) {
            assertEquals(r.times(), r.served().get(), "every fault was met: " + r);
        }
        assertTrue(rules.get(3).served().get() > 0, "Events were throttled");
        // Renewals (every 2 s) met the failures; the leader kept its lease and went on reconciling.
        String holder = client.resources(Lease.class).inNamespace(MockApiServer.LEASE_NAMESPACE)
                .withName("pulsar-mesh-operator-lease").get().getSpec().getHolderIdentity();
        await().atMost(TIMEOUT).until(() -> rules.get(4).served().get() == 2);
        await().atMost(TIMEOUT).untilAsserted(() -> assertTrue(client.resources(Lease.class)
                .inNamespace(MockApiServer.LEASE_NAMESPACE).withName("pulsar-mesh-operator-lease").get().getSpec()
                .getRenewTime().isAfter(java.time.ZonedDateTime.now().minusSeconds(5)), "renewed since"));
        assertEquals(holder, client.resources(Lease.class).inNamespace(MockApiServer.LEASE_NAMESPACE)
                .withName("pulsar-mesh-operator-lease").get().getSpec().getHolderIdentity(), "the same leader");
        // Each StatefulSet exactly once, owned by its custom resource: retries created nothing twice and lost nothing.
        List<String> sets = client.apps().statefulSets().inNamespace(NS).list().getItems().stream()
                .map(s -> s.getMetadata().getName()).sorted().toList();
        assertEquals(List.of(NAME + "-bookie", NAME + "-bookie-recovery", NAME + "-broker", NAME + "-zk"), sets);
        for (StatefulSet s : client.apps().statefulSets().inNamespace(NS).list().getItems()) {
            assertEquals(1, s.getMetadata().getOwnerReferences().size(), s.getMetadata().getName());
        }
        assertEquals(200, Http.get(live).statusCode(), "the operator kept running");
    }

    /**
     * On the converged cluster: every watch the operator has open is dropped at once, then its next writes of an
     * object meet conflicts. Its informers watch again, so a spec change and a deleted object made afterwards are
     * seen; the conflicting apply is retried; the roll the change starts completes.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void droppedWatchesAndConflictsOnObjectWritesLoseNothing() {
        KubernetesClient client = api.client();
        Faults faults = api.faults();
        faults.clear();
        int open = faults.openWatches();
        assertTrue(open >= 20, "the operator's informers watch: " + open);
        assertEquals(open, faults.dropWatches());
        await().atMost(TIMEOUT).until(() -> faults.openWatches() >= open);

        Faults.Rule conflicts = faults.fail("PATCH", "/configmaps/" + NAME + "-zk?", 409, "Conflict", 2);
        String serviceUid = client.services().inNamespace(NS).withName(NAME + "-zk").get().getMetadata().getUid();
        client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(NAME).edit(z -> {
            // No ZooKeeper answers srvr here: the roll goes by ordinal.
            if (z.getMetadata().getAnnotations() == null) {
                z.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
            }
            z.getMetadata().getAnnotations().put("cloud.streamnative.io/ignore-leader-check", "true");
            if (z.getSpec().getConfig() == null) {
                z.getSpec().setConfig(new io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperConfig());
            }
            if (z.getSpec().getConfig().getCustom() == null) {
                z.getSpec().getConfig().setCustom(new java.util.LinkedHashMap<>());
            }
            z.getSpec().getConfig().getCustom().put("maxClientCnxns", "120");
            return z;
        });
        client.services().inNamespace(NS).withName(NAME + "-zk").delete();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertTrue(client.configMaps().inNamespace(NS).withName(NAME + "-zk").get().getData().values().stream()
                    .anyMatch(v -> v.contains("maxClientCnxns=120")), "the new setting is applied");
            io.fabric8.kubernetes.api.model.Service svc = client.services().inNamespace(NS).withName(NAME + "-zk").get();
            assertNotNull(svc, "the deleted Service is back");
            assertTrue(!serviceUid.equals(svc.getMetadata().getUid()));
        });
        assertEquals(2, conflicts.served().get(), "both conflicts were met, and the apply retried");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ZooKeeperCluster zk = client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(NAME).get();
            assertEquals(zk.getMetadata().getGeneration(), zk.getStatus().getObservedGeneration());
            assertTrue(Conditions.isTrue(zk.getStatus().getConditions(), Conditions.READY), zk.getStatus().toString());
            assertEquals(3, zk.getStatus().getUpdatedReplicas(), "the roll completed");
        });
        assertEquals(200, Http.get(live).statusCode(), "the operator kept running");
    }
}
