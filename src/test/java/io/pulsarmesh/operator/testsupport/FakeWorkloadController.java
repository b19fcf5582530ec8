package io.pulsarmesh.operator.testsupport;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stands in for the StatefulSet and Deployment controllers and the kubelet, which the mock API server lacks: it
 * writes the status a real cluster would report once every pod of the current template runs and is ready. Workloads
 * named in {@link #holdUnready} report no ready pods, as if their pods were crash-looping.
 */
public final class FakeWorkloadController implements AutoCloseable {
    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> unready = ConcurrentHashMap.newKeySet();
    private volatile boolean paused;

    public FakeWorkloadController(KubernetesClient client) {
        this.client = client;
    }

    public FakeWorkloadController start() {
        loop.scheduleWithFixedDelay(this::tick, 0, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Pods of this workload (namespace/name) stop being ready. */
    public void holdUnready(String namespace, String name) {
        unready.add(namespace + "/" + name);
    }

    public void release(String namespace, String name) {
        unready.remove(namespace + "/" + name);
    }

    public void pause(boolean paused) {
        this.paused = paused;
    }

    private void tick() {
        if (paused) {
            return;
        }
        try {
            for (StatefulSet sts : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
                reconcile(sts);
            }
            for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
                reconcile(d);
            }
        } catch (RuntimeException e) {
            // the mock may be restarting between tests; try again on the next tick
        }
    }

    private void reconcile(StatefulSet sts) {
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        boolean hold = unready.contains(sts.getMetadata().getNamespace() + "/" + sts.getMetadata().getName());
        String revision = sts.getMetadata().getName() + "-" + Integer.toHexString(
                Objects.hashCode(client.getKubernetesSerialization().asJson(sts.getSpec().getTemplate())));
        var status = new StatefulSetStatusBuilder()
                .withObservedGeneration(sts.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(hold ? 0 : replicas)
                .withAvailableReplicas(hold ? 0 : replicas)
                .withCurrentReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withCurrentRevision(revision)
                .withUpdateRevision(revision)
                .build();
        if (!Objects.equals(status, sts.getStatus())) {
            sts.setStatus(status);
            client.apps().statefulSets().resource(sts).updateStatus();
        }
    }

    private void reconcile(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        boolean hold = unready.contains(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName());
        var status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(hold ? 0 : replicas)
                .withAvailableReplicas(hold ? 0 : replicas)
                .withUpdatedReplicas(replicas)
                .build();
        if (!Objects.equals(status, d.getStatus())) {
            d.setStatus(status);
            client.apps().deployments().resource(d).updateStatus();
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
