package io.pulsarmesh.operator.artifact;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;

/**
 * An operator killed in the middle of a rolling restart, and another one taking over: the roll goes on from what the
 * first recorded in the cluster (which pods already run the new template), one pod at a time, and no pod is restarted
 * twice. This is a fail-over of leader election as it happens when the leader's node dies: the first process gets
 * SIGKILL, the second waits for its Lease to expire and takes it.
 */
class RestartIT {
    static final String NS = "pulsar";
    static final String NAME = "private-cloud";
    static final String LEASE = "pulsar-mesh-operator-lease";
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final List<String> SHORT_LEASE = List.of("-Dpulsar.operator.leader-election.lease-duration=4s",
            "-Dpulsar.operator.leader-election.renew-deadline=3s", "-Dpulsar.operator.leader-election.retry-period=1s");

    MockApiServer resource;
    ApiServer api;
    Map<String, String> serverProperties;
    List<LaunchedOperator> operators = new ArrayList<>();
    FakeWorkloadController workloads;
    SharedIndexInformer<Pod> podWatch;

    @BeforeEach
    void startServer() {
        resource = new MockApiServer();
        serverProperties = resource.start();
        api = resource.apiServer();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (podWatch != null) {
            podWatch.close();
        }
        if (workloads != null) {
            workloads.close();
        }
        for (LaunchedOperator o : operators) {
            o.close();
        }
        resource.stop();
    }

    @Test
    void aRollInterruptedByAKilledOperatorGoesOnWhereItStopped() throws Exception {
        KubernetesClient client = api.client();
        LaunchedOperator first = launch();
        String firstLeader = awaitLeader(null);
        workloads = new FakeWorkloadController(client).start();
        for (Render.Loaded l : Render.load(Manifests.PLAIN_EXAMPLE, NS)) {
            if (l.resource() instanceof ZooKeeperCluster zk) {
                // No ZooKeeper answers srvr here: the roll goes by ordinal, highest first.
                Map<String, String> annotations = new LinkedHashMap<>();
                if (zk.getMetadata().getAnnotations() != null) {
                    annotations.putAll(zk.getMetadata().getAnnotations());
                }
                annotations.put("cloud.streamnative.io/ignore-leader-check", "true");
                zk.getMetadata().setAnnotations(annotations);
            }
            client.resource(l.resource()).create();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PulsarCoordinator c = client.resources(PulsarCoordinator.class).inNamespace(NS).withName(NAME).get();
            assertNotNull(c.getStatus());
            assertTrue(Conditions.isTrue(c.getStatus().getConditions(), Conditions.READY), c.getStatus().toString());
        });
        Map<String, String> uidsBefore = zkPodUids(client);
        assertEquals(3, uidsBefore.size(), uidsBefore.toString());

        List<String> deleted = new CopyOnWriteArrayList<>();
        podWatch = client.pods().inNamespace(NS).withLabel("cloud.streamnative.io/component", "zookeeper")
                .inform(new ResourceEventHandler<Pod>() {
                    @Override
                    public void onAdd(Pod pod) {
                    }

                    @Override
                    public void onUpdate(Pod before, Pod pod) {
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknownFinalState) {
                        deleted.add(pod.getMetadata().getName());
                    }
                }, 0);

        // A configuration change: every ZooKeeper server must restart on the new template.
        client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(NAME).edit(z -> {
            if (z.getSpec().getConfig() == null) {
                z.getSpec().setConfig(new io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperConfig());
            }
            if (z.getSpec().getConfig().getCustom() == null) {
                z.getSpec().getConfig().setCustom(new LinkedHashMap<>());
            }
            z.getSpec().getConfig().getCustom().put("maxClientCnxns", "120");
            return z;
        });
        // The first restart, and then the operator is gone.
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !deleted.isEmpty());
        first.kill();
        assertEquals(1, deleted.size(), "killed after the first restart: " + deleted);

        launch();
        String secondLeader = awaitLeader(firstLeader);
        assertNotEquals(firstLeader, secondLeader);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ZooKeeperCluster zk = client.resources(ZooKeeperCluster.class).inNamespace(NS).withName(NAME).get();
            assertEquals(zk.getMetadata().getGeneration(), zk.getStatus().getObservedGeneration());
            assertTrue(Conditions.isTrue(zk.getStatus().getConditions(), Conditions.READY), zk.getStatus().toString());
            assertEquals(3, zk.getStatus().getUpdatedReplicas(), zk.getStatus().toString());
        });
        // Each server restarted once, highest ordinal first, the first before the kill and the others after it.
        assertEquals(List.of(NAME + "-zk-2", NAME + "-zk-1", NAME + "-zk-0"), deleted);
        Map<String, String> uidsAfter = zkPodUids(client);
        for (Map.Entry<String, String> e : uidsBefore.entrySet()) {
            assertNotEquals(e.getValue(), uidsAfter.get(e.getKey()), e.getKey() + " runs a new pod");
        }
        // The restarts are recorded, each pod named once.
        List<String> restartEvents = client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "PodTemplateChanged".equals(e.getReason())).map(e -> e.getMessage()).toList();
        for (String pod : deleted) {
            assertEquals(1, restartEvents.stream().filter(m -> m.contains(pod + ":")).count(),
                    pod + " in " + restartEvents);
        }
    }

    LaunchedOperator launch() throws Exception {
        LaunchedOperator o = LaunchedOperator.start(serverProperties, SHORT_LEASE, "restart-it").awaitReady();
        operators.add(o);
        return o;
    }

    /** The holder of the Lease, once it is held by another identity than {@code not}. */
    String awaitLeader(String not) {
        String[] holder = new String[1];
        await().atMost(TIMEOUT).until(() -> {
            Lease lease = api.client().leases().inNamespace(MockApiServer.LEASE_NAMESPACE).withName(LEASE).get();
            holder[0] = lease == null ? null : lease.getSpec().getHolderIdentity();
            return holder[0] != null && !holder[0].equals(not);
        });
        return holder[0];
    }

    static Map<String, String> zkPodUids(KubernetesClient client) {
        Map<String, String> uids = new LinkedHashMap<>();
        for (Pod p : client.pods().inNamespace(NS).withLabel("cloud.streamnative.io/component", "zookeeper").list()
                .getItems()) {
            uids.put(p.getMetadata().getName(), p.getMetadata().getUid());
        }
        return uids;
    }
}
