package io.pulsarmesh.operator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.kube.PrunedPodStore;
import io.pulsarmesh.operator.model.common.Labels;

/**
 * One informer for several controllers' event sources: one list and one watch, every change handed to each source,
 * which wakes the primaries its mapper names when its filters let the change through; a source added later hears of
 * what is cached; the informer runs until its last source stops; a failed first list fails the start, and the
 * stopped-informer handler is told.
 */
@EnableKubernetesMockClient(crud = true)
class SharedInformerTest {
    static final Set<String> ALL = Set.of(io.javaoperatorsdk.operator.api.reconciler.Constants.WATCH_ALL_NAMESPACES);

    KubernetesClient client;
    KubernetesMockServer server;

    final List<Throwable> stoppedWith = new CopyOnWriteArrayList<>();
    final List<ResourceID> toComponents = new CopyOnWriteArrayList<>();
    final List<ResourceID> toCoordinators = new CopyOnWriteArrayList<>();
    SharedInformer<Pod> pods;
    SharedInformerEventSource<Pod, ZooKeeperCluster> components;
    SharedInformerEventSource<Pod, PulsarCoordinator> coordinators;

    ConfigurationService configuration() {
        return ConfigurationService.newOverriddenConfigurationService(new BaseConfigurationService(),
                o -> o.withKubernetesClient(client).withCacheSyncTimeout(Duration.ofSeconds(5))
                        .withStopOnInformerErrorDuringStartup(true)
                        .withInformerStoppedHandler((informer, error) -> stoppedWith.add(error)));
    }

    @BeforeEach
    void sources() {
        pods = new SharedInformer<>(Pod.class, SharedInformers.PODS_SELECTOR, ALL, client, configuration(),
                PrunedPodStore::new);
        components = new SharedInformerEventSource<>("Pod", pods,
                p -> Set.of(new ResourceID(p.getMetadata().getLabels().get(Labels.CLUSTER), p.getMetadata().getNamespace())),
                (informer, zk) -> informer.inNamespace(zk.getMetadata().getNamespace()));
        // The component's filter: a change wakes it only when the pod's sidecar comes or goes.
        components.setOnUpdateFilter((updated, previous) -> ComponentReconciler.enrolmentView(updated)
                != ComponentReconciler.enrolmentView(previous));
        components.setEventHandler(e -> toComponents.add(e.getRelatedCustomResourceID()));
        coordinators = new SharedInformerEventSource<>("Pod", pods, p -> {
            String name = p.getMetadata().getLabels().get(Labels.COORDINATOR_NAME);
            return name == null ? Set.of() : Set.of(new ResourceID(name, p.getMetadata().getNamespace()));
        }, (informer, c) -> informer.inNamespace(c.getMetadata().getNamespace()));
        coordinators.setEventHandler(e -> toCoordinators.add(e.getRelatedCustomResourceID()));
    }

    @AfterEach
    void stop() {
        components.stop();
        coordinators.stop();
    }

    static Pod pod(String namespace, String name, String coordinator) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).addToLabels(Labels.CLUSTER, "private-cloud")
                .addToLabels(Labels.COMPONENT, "zookeeper").endMetadata()
                .withNewSpec().addNewContainer().withName("zookeeper").withImage("apachepulsar/pulsar:4.0.5")
                .endContainer().endSpec();
        if (coordinator != null) {
            b.editMetadata().addToLabels(Labels.COORDINATOR_NAME, coordinator).endMetadata();
        }
        return b.build();
    }

    long podWatches() throws InterruptedException {
        long watches = 0;
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (r.getPath().startsWith("/api/v1/pods") && r.getPath().contains("watch=true")) {
                watches++;
            }
        }
        return watches;
    }

    @Test
    void oneWatchServesEverySourceEachWithItsMapperAndFilters() throws InterruptedException {
        components.start();
        coordinators.start();
        assertEquals(Status.HEALTHY, components.getStatus());

        client.resource(pod("team-a", "private-cloud-zk-0", "pc")).create();
        client.resource(pod("team-b", "other-zk-0", null)).create();
        ResourceID zk = new ResourceID("private-cloud", "team-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> toComponents.size() == 2 && toCoordinators.size() == 1);
        assertEquals(List.of(new ResourceID("pc", "team-a")), toCoordinators, "only the pod with a coordinator label");
        assertTrue(toComponents.contains(zk));

        // A change that is not a sidecar coming or going: the coordinator hears of it, the component does not.
        client.pods().inNamespace("team-a").withName("private-cloud-zk-0")
                .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations("touched", "yes").endMetadata().build());
        await().atMost(Duration.ofSeconds(10)).until(() -> toCoordinators.size() == 2);
        // A sidecar: both.
        client.pods().inNamespace("team-a").withName("private-cloud-zk-0").edit(p -> new PodBuilder(p).editSpec()
                .addNewContainer().withName("istio-proxy").withImage("istio/proxyv2").endContainer().endSpec().build());
        await().atMost(Duration.ofSeconds(10)).until(() -> toCoordinators.size() == 3 && toComponents.size() == 3);

        ZooKeeperCluster primary = new ZooKeeperCluster();
        primary.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("private-cloud")
                .withNamespace("team-a").build());
        Set<Pod> cached = components.getSecondaryResources(primary);
        assertEquals(1, cached.size(), "the namespace's pods only");
        Pod one = cached.iterator().next();
        assertEquals(List.of("zookeeper", "istio-proxy"), one.getSpec().getContainers().stream().map(c -> c.getName()).toList());
        assertEquals(null, one.getSpec().getContainers().get(0).getImage(), "cached pruned");
        assertEquals(pods.get(new ResourceID("private-cloud-zk-0", "team-a")).orElseThrow(), one);

        assertEquals(1, podWatches(), "one watch of pods for both sources");
    }

    @Test
    void aSourceStartedLaterHearsOfWhatIsCached() {
        components.start();
        client.resource(pod("team-a", "private-cloud-zk-0", "pc")).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> toComponents.size() == 1);
        coordinators.start();
        assertEquals(List.of(new ResourceID("pc", "team-a")), toCoordinators);
    }

    @Test
    void theInformerRunsUntilItsLastSourceStops() {
        components.start();
        coordinators.start();
        components.stop();
        client.resource(pod("team-a", "private-cloud-zk-0", "pc")).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> toCoordinators.size() == 1);
        assertEquals(List.of(), toComponents, "a stopped source hears of nothing");
        assertEquals(Status.HEALTHY, coordinators.getStatus());

        coordinators.stop();
        assertEquals(Status.UNHEALTHY, coordinators.getStatus());
        assertTrue(pods.inNamespace("team-a").findAny().isEmpty(), "nothing cached once stopped");
        await().atMost(Duration.ofSeconds(5)).until(() -> stoppedWith.size() == 1);
        assertEquals(null, stoppedWith.get(0), "stopped without an error");

        // Started again: new informers, which list what is there.
        coordinators.start();
        assertEquals(1, pods.inNamespace("team-a").count());
    }

    @Test
    void aFirstListThatFailsFailsTheStart() {
        server.expect().get().withPath("/api/v1/pods?labelSelector="
                + java.net.URLEncoder.encode(SharedInformers.PODS_SELECTOR, java.nio.charset.StandardCharsets.UTF_8)
                + "&resourceVersion=0").andReturn(403, Map.of("kind", "Status", "code", 403, "reason", "Forbidden"))
                .always();
        OperatorException e = assertThrows(OperatorException.class, () -> components.start());
        assertTrue(e.getMessage().contains("pods"), e.getMessage());
        assertFalse(components.isRunning());
        assertEquals(Status.UNHEALTHY, components.getStatus());
        // The handler of a stopped informer is told (with the error, or without one when the informer was stopped
        // after its failed start: which comes first is the informer's).
        await().atMost(Duration.ofSeconds(5)).until(() -> !stoppedWith.isEmpty());
    }

    @Test
    void eachWatchedNamespaceHasAnInformerOfItsOwn() {
        SharedInformer<Pod> two = new SharedInformer<>(Pod.class, SharedInformers.PODS_SELECTOR, Set.of("team-a", "team-b"),
                client, configuration(), null);
        List<ResourceID> woken = new CopyOnWriteArrayList<>();
        var source = new SharedInformerEventSource<Pod, ZooKeeperCluster>("Pod", two,
                p -> Set.of(new ResourceID(p.getMetadata().getName(), p.getMetadata().getNamespace())),
                (informer, zk) -> informer.inNamespace(zk.getMetadata().getNamespace()));
        source.setEventHandler(e -> woken.add(e.getRelatedCustomResourceID()));
        source.start();
        try {
            client.resource(pod("team-a", "a-0", null)).create();
            client.resource(pod("team-b", "b-0", null)).create();
            client.resource(pod("team-c", "c-0", null)).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.size() == 2);
            assertEquals(Set.of(new ResourceID("a-0", "team-a"), new ResourceID("b-0", "team-b")), Set.copyOf(woken));
            assertTrue(two.get(new ResourceID("b-0", "team-b")).isPresent());
            assertTrue(two.get(new ResourceID("c-0", "team-c")).isEmpty());
            assertEquals(List.of("a-0"), two.inNamespace("team-a").map(p -> p.getMetadata().getName()).toList());
        } finally {
            source.stop();
        }
        assertFalse(InformerConfiguration.allNamespacesWatched(Set.of("team-a", "team-b")));
    }
}
