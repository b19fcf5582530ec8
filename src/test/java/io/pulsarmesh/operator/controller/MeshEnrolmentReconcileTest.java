package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinatorStatus.ComponentSummary;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.istio.PodsInMesh;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.pulsarmesh.operator.testsupport.IstioCrds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * Mesh enrolment in status: the Istio example in a namespace whose pods Istio's injector does not serve (the fake
 * injector is off there, as when the namespace lacks its injection label). The pods run without sidecars, so every
 * component reports {@code onMeshReplicas: 0} and {@code MeshEnrolled=False SidecarMissing} naming its pods, with a
 * Warning Event, and the coordinator sums it up. Once injection works again and the pods are restarted, the
 * condition clears and the counts match the replicas.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshEnrolmentReconcileTest {
    static final String NS = "no-injection";
    static final String NAME = "private-cloud";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    FakeWorkloadController workloads;

    @BeforeAll
    void start() {
        IstioCrds.install(client);
        workloads = new FakeWorkloadController(client).start();
        workloads.injectionOff(NS, true);
    }

    @AfterAll
    void stop() {
        workloads.close();
    }

    @Test
    void podsWithoutTheirSidecarAreReportedUntilTheyHaveIt() {
        for (Render.Loaded l : Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"), NS)) {
            CustomResource<?, ?> cr = l.resource();
            cr.getMetadata().setNamespace(NS);
            client.resource(cr).create();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ZooKeeperCluster zk = client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(NAME).get();
            assertNotNull(zk.getStatus());
            assertEquals(0, zk.getStatus().getOnMeshReplicas());
            assertEquals("sidecar", zk.getStatus().getDataplaneMode());
            Condition c = Conditions.find(zk.getStatus().getConditions(), PodsInMesh.CONDITION).orElseThrow();
            assertEquals(Condition.FALSE, c.getStatus());
            assertEquals(PodsInMesh.REASON_SIDECAR_MISSING, c.getReason());
            assertTrue(c.getMessage().contains(NAME + "-zk-0, " + NAME + "-zk-1, " + NAME + "-zk-2"), c.getMessage());
            assertTrue(c.getMessage().contains("namespace " + NS), c.getMessage());
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Event> warnings = client.v1().events().inNamespace(NS).list().getItems().stream()
                    .filter(e -> "Warning".equals(e.getType())
                            && ComponentReconciler.REASON_PODS_NOT_IN_MESH.equals(e.getReason()))
                    .toList();
            assertTrue(warnings.stream().anyMatch(e -> "ZooKeeperCluster".equals(e.getInvolvedObject().getKind())),
                    warnings.toString());
            PulsarCoordinator pc = client.resources(PulsarCoordinator.class).inNamespace(NS).withName(NAME).get();
            Condition c = Conditions.find(pc.getStatus().getConditions(), PodsInMesh.CONDITION).orElseThrow();
            assertEquals("PodsNotInMesh", c.getReason());
            assertTrue(c.getMessage().contains("ZooKeeperCluster/" + NAME + ": SidecarMissing"), c.getMessage());
        });

        // Injection works again; pods get their sidecar when they are recreated.
        workloads.injectionOff(NS, false);
        for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
            client.resource(p).delete();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ZooKeeperCluster zk = client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(NAME).get();
            assertEquals(3, zk.getStatus().getOnMeshReplicas());
            Condition c = Conditions.find(zk.getStatus().getConditions(), PodsInMesh.CONDITION).orElseThrow();
            assertEquals(Condition.TRUE, c.getStatus(), c.getMessage());
            PulsarProxy proxy = client.resources(PulsarProxy.class).inNamespace(NS).withName(NAME).get();
            assertEquals(2, proxy.getStatus().getOnMeshReplicas());
            PulsarCoordinator pc = client.resources(PulsarCoordinator.class).inNamespace(NS).withName(NAME).get();
            assertTrue(Conditions.isTrue(pc.getStatus().getConditions(), PodsInMesh.CONDITION),
                    String.valueOf(pc.getStatus().getConditions()));
            for (ComponentSummary s : pc.getStatus().getComponents()) {
                assertEquals("sidecar", s.getDataplaneMode(), s.getKind());
                assertEquals(s.getReplicas(), s.getOnMeshReplicas(), s.getKind());
            }
        });
        assertTrue(client.pods().inNamespace(NS).withLabel(Labels.COMPONENT, Labels.BROKER).list().getItems().stream()
                .allMatch(p -> p.getSpec().getContainers().size() == 2), "2/2 containers with the sidecar");
    }
}
