package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.istio.MeshPrerequisites;
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
 * condition clears and the counts match the replicas. And the prerequisite checks: a broker's ingress gateway whose
 * Service lacks a port an enabled protocol needs.
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
            Condition c = Conditions.find(zk.getStatus().getConditions(), PodsInMesh.CONDITION).orElse(null);
            assertNotNull(c, String.valueOf(zk.getStatus().getConditions()));
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
            Condition c = Conditions.find(pc.getStatus().getConditions(), PodsInMesh.CONDITION).orElse(null);
            assertNotNull(c, String.valueOf(pc.getStatus().getConditions()));
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
            Condition c = Conditions.find(zk.getStatus().getConditions(), PodsInMesh.CONDITION).orElse(null);
            assertNotNull(c, String.valueOf(zk.getStatus().getConditions()));
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

    /** An Istio ingress gateway in {@code istio-system}: a pod with {@code labels} and a Service with {@code ports}. */
    void ingressGateway(Map<String, String> labels, int... ports) {
        client.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("istio-ingressgateway-0").withNamespace(GATEWAY_NS).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("istio-proxy").withImage("istio/proxyv2").endContainer()
                .endSpec().build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        io.fabric8.kubernetes.api.model.ServiceBuilder svc = new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("istio-ingressgateway").withNamespace(GATEWAY_NS).endMetadata()
                .withNewSpec().withSelector(labels).endSpec();
        for (int p : ports) {
            svc.editSpec().addNewPort().withName("port-" + p).withPort(p).endPort().endSpec();
        }
        client.resource(svc.build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    static final String GATEWAY_NS = "istio-system";

    /**
     * The protocols example (Kafka, MQTT and AMQP through a gateway in simple mode): its broker checks the ingress
     * gateway its Gateway selects. The gateway's Service lacks 9093: {@code PrerequisitesMet=False
     * GatewayPortsMissing} naming 9093 for Kafka, with a Warning Event; the port added, the condition clears.
     */
    @Test
    void aGatewayServiceMissingTheKafkaPortIsReportedUntilItHasIt() {
        String ns = "gateway-check";
        Map<String, String> selector = Map.of("istio", "ingressgateway");
        ingressGateway(selector, 443, 6651, 8883, 5671);
        for (Render.Loaded l : Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio-protocols.yaml"), ns)) {
            CustomResource<?, ?> cr = l.resource();
            cr.getMetadata().setNamespace(ns);
            client.resource(cr).create();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PulsarBroker pb = client.resources(PulsarBroker.class).inNamespace(ns).withName(NAME).get();
            assertNotNull(pb.getStatus());
            Condition c = Conditions.find(pb.getStatus().getConditions(), MeshPrerequisites.CONDITION).orElse(null);
            assertNotNull(c, String.valueOf(pb.getStatus().getConditions()));
            assertEquals(Condition.FALSE, c.getStatus());
            assertEquals(MeshPrerequisites.REASON_GATEWAY_PORTS, c.getReason());
            assertTrue(c.getMessage().contains("9093 (Kafka (KoP))"), c.getMessage());
            assertTrue(c.getMessage().contains(GATEWAY_NS + "/istio-ingressgateway"), c.getMessage());
            assertTrue(!c.getMessage().contains("8883 ("), "MQTT's port is there: " + c.getMessage());
        });
        assertTrue(client.v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(e -> "Warning".equals(e.getType())
                        && MeshPrerequisites.REASON_GATEWAY_PORTS.equals(e.getReason())
                        && "PulsarBroker".equals(e.getInvolvedObject().getKind())));
        // The rest of the broker went on: its Gateway and routes are there.
        assertNotNull(client.resources(io.fabric8.istio.api.networking.v1.Gateway.class).inNamespace(ns).list()
                .getItems().stream().findFirst().orElse(null), "the Gateway was applied all the same");

        ingressGateway(selector, 443, 6651, 8883, 5671, 9093);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PulsarBroker pb = client.resources(PulsarBroker.class).inNamespace(ns).withName(NAME).get();
            Condition c = Conditions.find(pb.getStatus().getConditions(), MeshPrerequisites.CONDITION).orElse(null);
            assertNotNull(c, String.valueOf(pb.getStatus().getConditions()));
            assertEquals(Condition.TRUE, c.getStatus(), c.getMessage());
        });
    }

    /**
     * The toolset: enabled on the coordinator, a Deployment of the Pulsar image with a client.conf for the brokers'
     * Service, its pods with their sidecars (2/2 containers) as the brokers have them, reported in the coordinator's
     * status; disabled, it goes.
     */
    @Test
    void theToolsetRunsInTheBrokersMeshAndGoesWhenDisabled() {
        String ns = "toolset";
        for (Render.Loaded l : Render.load(Path.of("kubernetes/examples/pulsar-cluster-istio.yaml"), ns)) {
            CustomResource<?, ?> cr = l.resource();
            cr.getMetadata().setNamespace(ns);
            if (cr instanceof PulsarCoordinator pc) {
                io.pulsarmesh.operator.api.coordinator.v1alpha1.ToolSet t =
                        new io.pulsarmesh.operator.api.coordinator.v1alpha1.ToolSet();
                t.setEnabled(true);
                pc.getSpec().setToolSet(t);
            }
            client.resource(cr).create();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var cm = client.configMaps().inNamespace(ns).withName(NAME + "-toolset").get();
            assertNotNull(cm, "the toolset's client.conf");
            assertTrue(cm.getData().get("client.conf").contains("brokerServiceUrl=pulsar://" + NAME + "-broker." + ns
                    + ".svc.cluster.local:6650"), cm.getData().toString());
            List<Pod> pods = client.pods().inNamespace(ns).withLabel(Labels.COMPONENT, "toolset").list().getItems();
            assertEquals(1, pods.size());
            assertEquals(2, pods.get(0).getSpec().getContainers().size(), "the toolset and its sidecar");
            PulsarCoordinator pc = client.resources(PulsarCoordinator.class).inNamespace(ns).withName(NAME).get();
            var t = pc.getStatus().getToolSet();
            assertNotNull(t, String.valueOf(pc.getStatus()));
            assertEquals(NAME + "-toolset", t.getDeployment());
            assertEquals(NAME, t.getBroker());
            assertEquals(1, t.getReadyReplicas());
            assertEquals(1, t.getOnMeshReplicas());
            assertEquals("sidecar", t.getDataplaneMode());
        });
        client.resources(PulsarCoordinator.class).inNamespace(ns).withName(NAME).edit(pc -> {
            pc.getSpec().getToolSet().setEnabled(false);
            return pc;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(null, client.apps().deployments().inNamespace(ns).withName(NAME + "-toolset").get());
            assertEquals(null, client.configMaps().inNamespace(ns).withName(NAME + "-toolset").get());
            assertEquals(null, client.resources(PulsarCoordinator.class).inNamespace(ns).withName(NAME).get()
                    .getStatus().getToolSet());
        });
    }
}
