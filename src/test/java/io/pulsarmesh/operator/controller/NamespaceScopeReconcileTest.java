package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.render.Render;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The operator limited to a list of namespaces, as the namespace-scoped install runs it
 * ({@code QUARKUS_OPERATOR_SDK_NAMESPACES=team-a,team-b}): every controller and every informer it starts, its own
 * included, watches exactly those namespaces; nothing is listed or watched across the cluster (the requests the mock
 * API server received say so); a cluster in a watched namespace is reconciled and one elsewhere is left alone. The
 * informers the controllers share are per namespace too, one for all of them.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(NamespaceScopeReconcileTest.TwoNamespaces.class)
class NamespaceScopeReconcileTest {
    static final Set<String> WATCHED = Set.of("team-a", "team-b");
    static final String ELSEWHERE = "team-c";
    static final String NAME = "private-cloud";
    /** A request for a collection of a kind across all namespaces: /api/v1/pods, /apis/apps/v1/statefulsets... */
    static final Pattern CLUSTER_WIDE = Pattern.compile("^/(?:api/v1|apis/([^/]+)/[^/]+)/([a-z0-9]+)(?:\\?.*)?$");
    static final Pattern NAMESPACED = Pattern.compile("^/(?:api/v1|apis/[^/]+/[^/]+)/namespaces/([^/]+)/([a-z0-9]+)(?:\\?.*)?$");

    public static class TwoNamespaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.namespaces", String.join(",", new TreeSet<>(WATCHED)));
        }
    }

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    KubernetesClient client;
    @Inject
    Operator operator;

    @Test
    void operatorWatchesOnlyTheListedNamespaces() throws InterruptedException {
        // Elsewhere first: an operator watching every namespace would meet it before the others.
        for (String ns : List.of(ELSEWHERE, "team-a", "team-b")) {
            client.resource(zooKeeper(ns)).create();
        }
        Duration timeout = Duration.ofSeconds(60);
        await().atMost(timeout).untilAsserted(() -> {
            for (String ns : WATCHED) {
                assertNotNull(client.apps().statefulSets().inNamespace(ns).withName(NAME + "-zk").get(), ns);
                ZooKeeperCluster zk = client.resources(ZooKeeperCluster.class).inNamespace(ns).withName(NAME).get();
                assertNotNull(zk.getStatus(), ns + ": status written");
            }
        });
        // Give a wrongly scoped operator time to reach the cluster elsewhere too.
        Thread.sleep(2000);
        StatefulSet elsewhere = client.apps().statefulSets().inNamespace(ELSEWHERE).withName(NAME + "-zk").get();
        assertNull(elsewhere, "nothing created in " + ELSEWHERE);
        assertNull(client.resources(ZooKeeperCluster.class).inNamespace(ELSEWHERE).withName(NAME).get().getStatus(),
                "no status written in " + ELSEWHERE);

        List<RegisteredController> controllers = new ArrayList<>(operator.getRegisteredControllers());
        assertEquals(5, controllers.size(), "the five controllers");
        for (RegisteredController<?> c : controllers) {
            String name = c.getConfiguration().getName();
            assertEquals(WATCHED, c.getConfiguration().getEffectiveNamespaces(), name);
            Map<String, InformerWrappingEventSourceHealthIndicator> informers = c.getControllerHealthInfo()
                    .informerEventSourceHealthIndicators();
            // The controller's own informer, and the component kinds, coordinator or pods it follows.
            assertTrue(informers.size() >= 5, name + ": informers " + informers.keySet());
            informers.forEach((source, informer) -> assertEquals(WATCHED, informer.informerHealthIndicators().keySet(),
                    name + " / " + source + " watches the listed namespaces, one informer each"));
        }

        List<String> clusterWide = new ArrayList<>();
        Set<String> namespacedKinds = new TreeSet<>();
        Map<String, Integer> watches = new java.util.TreeMap<>();
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            String path = r.getPath();
            Matcher m = CLUSTER_WIDE.matcher(path);
            // CRDs are cluster-scoped, and only the test profile installs them.
            if ("GET".equals(r.getMethod()) && m.matches() && !"namespaces".equals(m.group(2))
                    && !"apiextensions.k8s.io".equals(m.group(1))) {
                clusterWide.add(path);
            }
            Matcher n = NAMESPACED.matcher(path);
            if ("GET".equals(r.getMethod()) && n.matches() && path.contains("watch=true")) {
                assertTrue(WATCHED.contains(n.group(1)), "watch outside the listed namespaces: " + path);
                namespacedKinds.add(n.group(2));
                watches.merge(n.group(2) + " in " + n.group(1), 1, Integer::sum);
            }
        }
        assertEquals(List.of(), clusterWide, "no list or watch across all namespaces");
        assertTrue(namespacedKinds.containsAll(Set.of("zookeeperclusters", "pulsarcoordinators", "statefulsets", "pods",
                "configmaps", "services", "poddisruptionbudgets")), "watched per namespace: " + namespacedKinds);
        // Pods are watched once for the five controllers, coordinators once for the four component controllers and
        // once by their own (SharedInformers).
        for (String ns : WATCHED) {
            assertEquals(1, watches.get("pods in " + ns), "pod watches in " + ns + ": " + watches);
            assertEquals(2, watches.get("pulsarcoordinators in " + ns), "coordinator watches in " + ns + ": " + watches);
        }
    }

    static ZooKeeperCluster zooKeeper(String namespace) {
        ZooKeeperCluster zk = (ZooKeeperCluster) Render.load(Path.of("kubernetes/examples/pulsar-cluster.yaml"), namespace)
                .stream().map(Render.Loaded::resource).filter(ZooKeeperCluster.class::isInstance).findFirst().orElseThrow();
        zk.getMetadata().setNamespace(namespace);
        zk.getMetadata().setLabels(null); // a component of its own: the example's coordinator is not created here
        return zk;
    }
}
