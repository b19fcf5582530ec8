package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.roll.PodRoller;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeLeaderFinder;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The operator restarts ZooKeeper's servers itself (the StatefulSet is {@code OnDelete}): one at a time, each only
 * when the others are ready, followers before the leader, each annotated with its reason and announced by an Event;
 * by ordinal when the leader check is switched off; not at all while the leader cannot be found.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollingRestartReconcileTest {
    static final String NAME = "private-cloud";
    static final String ZK = NAME + "-zk";
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

    @AfterEach
    void resetLeaders() {
        FakeLeaderFinder.reset();
    }

    /** Pods deleted in a namespace, in order, with the restart reason each carried when it went. */
    static final class Deletions implements Watcher<Pod>, AutoCloseable {
        final List<String> order = new CopyOnWriteArrayList<>();
        final Map<String, String> reasons = new ConcurrentHashMap<>();
        final Watch watch;

        Deletions(KubernetesClient client, String ns) {
            watch = client.pods().inNamespace(ns).watch(this);
        }

        @Override
        public void eventReceived(Action action, Pod pod) {
            if (action == Action.DELETED) {
                order.add(pod.getMetadata().getName());
                Map<String, String> a = pod.getMetadata().getAnnotations();
                reasons.put(pod.getMetadata().getName(), a != null ? a.getOrDefault(PodRoller.RESTART_REASON, "") : "");
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    ZooKeeperCluster readyEnsemble(String ns, Map<String, String> annotations) {
        ZooKeeperCluster zk = (ZooKeeperCluster) Render.load(Path.of("kubernetes/examples/pulsar-cluster.yaml"), ns)
                .stream().map(Render.Loaded::resource).filter(ZooKeeperCluster.class::isInstance).findFirst()
                .orElseThrow();
        zk.getMetadata().setNamespace(ns);
        zk.getMetadata().setLabels(null); // a component of its own: the example's coordinator is not created here
        zk.getMetadata().setAnnotations(new HashMap<>(annotations));
        client.resource(zk).create();
        await().atMost(TIMEOUT).until(() -> ready(get(ns)));
        assertEquals("OnDelete", client.apps().statefulSets().inNamespace(ns).withName(ZK).get().getSpec()
                .getUpdateStrategy().getType());
        return get(ns);
    }

    ZooKeeperCluster get(String ns) {
        return client.resources(ZooKeeperCluster.class).inNamespace(ns).withName(NAME).get();
    }

    static boolean ready(ZooKeeperCluster zk) {
        return zk != null && zk.getStatus() != null && Conditions.isTrue(zk.getStatus().getConditions(), Conditions.READY);
    }

    /** A change of the pod template: a new pod label. */
    void changeTemplate(String ns) {
        ZooKeeperCluster zk = get(ns);
        PodPolicy pod = zk.getSpec().getPod() != null ? zk.getSpec().getPod() : new PodPolicy();
        pod.setLabels(Map.of("rolled", "yes"));
        zk.getSpec().setPod(pod);
        client.resource(zk).update();
    }

    boolean rolledOut(String ns) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(ZK).get();
        List<Pod> pods = client.pods().inNamespace(ns).withLabel("rolled", "yes").list().getItems();
        return ready(get(ns)) && pods.size() == 3 && sts.getStatus() != null
                && sts.getStatus().getUpdateRevision().equals(sts.getStatus().getCurrentRevision());
    }

    List<Event> events(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    @Test
    void followersFirstHighestOrdinalFirstAndTheLeaderLast() {
        String ns = "roll-leader";
        readyEnsemble(ns, Map.of());
        FakeLeaderFinder.lead(ns, ZK + "-1");
        try (Deletions deletions = new Deletions(client, ns)) {
            changeTemplate(ns);
            await().atMost(TIMEOUT).until(() -> rolledOut(ns));
            assertEquals(List.of(ZK + "-2", ZK + "-0", ZK + "-1"), deletions.order);
            for (String pod : deletions.order) {
                assertEquals("PodTemplateChanged", deletions.reasons.get(pod), pod);
            }
        }
        List<Event> restarts = events(ns, "PodTemplateChanged");
        assertEquals(3, restarts.size(), restarts.toString());
        assertTrue(restarts.stream().allMatch(e -> "Normal".equals(e.getType())
                && "ZooKeeperCluster".equals(e.getInvolvedObject().getKind())));
        assertTrue(restarts.stream().anyMatch(e -> e.getMessage().startsWith("restarting " + ZK + "-1")
                && e.getMessage().contains("the leader, last")), restarts.toString());
        assertFalse(FakeLeaderFinder.asked().isEmpty(), "the leader was asked");
        for (List<String> asked : FakeLeaderFinder.asked()) {
            assertTrue(asked.size() >= 2, "only ready servers are asked, and they were: " + asked);
        }
    }

    @Test
    void withTheLeaderCheckSkippedTheOrderIsByOrdinalAndNoServerIsAsked() {
        String ns = "roll-skip";
        readyEnsemble(ns, Map.of(PodRoller.IGNORE_LEADER_CHECK, "true"));
        FakeLeaderFinder.lead(ns, ZK + "-2");
        FakeLeaderFinder.unreachable(ns, true);
        try (Deletions deletions = new Deletions(client, ns)) {
            changeTemplate(ns);
            await().atMost(TIMEOUT).until(() -> rolledOut(ns));
            assertEquals(List.of(ZK + "-2", ZK + "-1", ZK + "-0"), deletions.order);
        }
        assertEquals(List.of(), FakeLeaderFinder.asked());
    }

    @Test
    void anUnknownLeaderBlocksTheRollUntilItIsFound() throws InterruptedException {
        String ns = "roll-blocked";
        readyEnsemble(ns, Map.of());
        FakeLeaderFinder.unreachable(ns, true);
        try (Deletions deletions = new Deletions(client, ns)) {
            changeTemplate(ns);
            await().atMost(TIMEOUT).untilAsserted(() -> {
                Condition ready = Conditions.find(get(ns).getStatus().getConditions(), Conditions.READY).orElseThrow();
                assertEquals(ComponentReconciler.REASON_ROLL_BLOCKED, ready.getReason());
                assertTrue(ready.getMessage().contains(PodRoller.IGNORE_LEADER_CHECK), ready.getMessage());
                assertTrue(ready.getMessage().contains("unreachable"), ready.getMessage());
            });
            Thread.sleep(1500);
            assertEquals(List.of(), deletions.order, "no server restarts while the leader is unknown");
            assertEquals(1, events(ns, ComponentReconciler.REASON_ROLL_BLOCKED).size(), "one Warning for the block");
            assertEquals("Warning", events(ns, ComponentReconciler.REASON_ROLL_BLOCKED).get(0).getType());

            FakeLeaderFinder.unreachable(ns, false);
            await().atMost(TIMEOUT).until(() -> rolledOut(ns));
            List<String> order = new ArrayList<>(deletions.order);
            assertEquals(ZK + "-0", order.get(order.size() - 1), "the leader (ordinal 0 by default) last: " + order);
            assertEquals(3, order.size(), order.toString());
        }
    }
}
