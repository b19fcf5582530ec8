package io.pulsarmesh.operator.testsupport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stands in for what the mock API server lacks: the StatefulSet and Deployment controllers, the kubelet and Istio's
 * sidecar injector.
 *
 * <ul>
 * <li>Pods: each workload gets pods {@code <name>-<ordinal>} (Deployments too, for determinism) with the template's
 * labels and annotations, {@code statefulset.kubernetes.io/pod-name}, a revision label
 * ({@value #STS_REVISION_LABEL} / {@value #DEPLOYMENT_REVISION_LABEL}) and a controller owner reference to the
 * workload. Missing ordinals below {@code replicas} are created; on scale down the highest ordinal goes first, one
 * per tick.</li>
 * <li>Injection: a template labelled {@code sidecar.istio.io/inject: "true"} yields pods with an extra
 * {@value #PROXY_CONTAINER} container and the {@value #SIDECAR_STATUS} annotation, as Istio's webhook would add.</li>
 * <li>Rolling update: when the template changes, pods are replaced one at a time, highest ordinal first (delete,
 * then recreate with the new template on the next tick), and only while every pod is ready, like the StatefulSet
 * controller's RollingUpdate. The status reports {@code updatedReplicas}, {@code readyReplicas},
 * {@code currentRevision} and {@code updateRevision} as counted from the pods, so a workload is settled only once
 * every pod runs the new template. A StatefulSet with the {@code OnDelete} strategy replaces no pod by itself: only
 * a deleted pod comes back, from the current template.</li>
 * <li>Readiness: pods are Ready once created, unless their workload is held unready ({@link #holdUnready}: every pod,
 * as if crash-looping) or was told that its new pods never become ready ({@link #holdNewPodsUnready}: pods created
 * from then on, which also stops a rolling update at the first replaced pod).</li>
 * </ul>
 * A tick every 200 ms does at most one step per workload; everything is derived from the API server's objects, so a
 * new instance picks up where another one left.
 */
public final class FakeWorkloadController implements AutoCloseable {
    public static final String PROXY_CONTAINER = "istio-proxy";
    public static final String SIDECAR_STATUS = "sidecar.istio.io/status";
    public static final String INJECT = "sidecar.istio.io/inject";
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String STS_REVISION_LABEL = "controller-revision-hash";
    public static final String DEPLOYMENT_REVISION_LABEL = "pod-template-hash";

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-workload-controller");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> unready = ConcurrentHashMap.newKeySet();
    private final Set<String> newPodsUnready = ConcurrentHashMap.newKeySet();
    /** Pods (namespace/name) created while their workload's new pods were held unready. */
    private final Set<String> heldPods = ConcurrentHashMap.newKeySet();
    private volatile boolean paused;
    /** Namespaces Istio's injector does not serve: pods are created without a sidecar whatever they ask. */
    private final Set<String> injectionOff = ConcurrentHashMap.newKeySet();

    /** Namespaces stepped at the same time within a tick (see {@link #withWorkers}); 1: one after the other. */
    private volatile ExecutorService workers;

    public FakeWorkloadController(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Steps the workloads of up to {@code count} namespaces at the same time in each tick, as a cluster's nodes start
     * their pods independently of each other; within a namespace, workloads are stepped one after the other in name
     * order as before. The default, 1, keeps every tick in one order (the tests rely on it); the benchmark, whose
     * many namespaces would otherwise wait on each other's requests, uses more.
     */
    public FakeWorkloadController withWorkers(int count) {
        if (count > 1) {
            workers = Executors.newFixedThreadPool(count, r -> {
                Thread t = new Thread(r, "fake-workload-controller-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return this;
    }

    public FakeWorkloadController start() {
        loop.scheduleWithFixedDelay(this::tick, 0, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Pods of this workload (namespace/name) stop being ready. */
    public void holdUnready(String namespace, String name) {
        unready.add(namespace + "/" + name);
    }

    /**
     * Pods of this workload (namespace/name) created from now on never become ready (a stall); pods that exist stay
     * as they are. A rolling update stops at the first replaced pod.
     */
    public void holdNewPodsUnready(String namespace, String name) {
        newPodsUnready.add(namespace + "/" + name);
    }

    /** Ends both kinds of hold for this workload: its pods become ready. */
    public void release(String namespace, String name) {
        String key = namespace + "/" + name;
        unready.remove(key);
        newPodsUnready.remove(key);
        heldPods.removeIf(p -> p.startsWith(namespace + "/")
                && ordinal(name, p.substring(namespace.length() + 1)) != null);
    }

    /** Istio's injector stops (or, with {@code false}, starts again) serving this namespace. */
    public void injectionOff(String namespace, boolean off) {
        if (off) {
            injectionOff.add(namespace);
        } else {
            injectionOff.remove(namespace);
        }
    }

    public void pause(boolean paused) {
        this.paused = paused;
    }

    private void tick() {
        if (paused) {
            return;
        }
        List<StatefulSet> statefulSets;
        List<Deployment> deployments;
        List<Pod> pods;
        try {
            statefulSets = client.apps().statefulSets().inAnyNamespace().list().getItems();
            deployments = client.apps().deployments().inAnyNamespace().list().getItems();
            pods = client.pods().inAnyNamespace().list().getItems();
        } catch (RuntimeException e) {
            // the mock may be restarting between tests; try again on the next tick
            return;
        }
        Map<String, List<Pod>> byOwner = new HashMap<>();
        for (Pod p : pods) {
            OwnerReference owner = controllerOf(p);
            if (owner != null) {
                byOwner.computeIfAbsent(owner.getUid(), k -> new ArrayList<>()).add(p);
            }
        }
        Set<String> workloadUids = new java.util.HashSet<>();
        List<Workload> workloads = new ArrayList<>();
        statefulSets.forEach(s -> workloads.add(new Workload(s)));
        deployments.forEach(d -> workloads.add(new Workload(d)));
        workloads.sort(Comparator.comparing(Workload::key));
        workloads.forEach(w -> workloadUids.add(w.object.getMetadata().getUid()));
        ExecutorService pool = workers;
        if (pool == null) {
            step(workloads, byOwner);
        } else {
            Map<String, List<Workload>> byNamespace = new TreeMap<>();
            workloads.forEach(w -> byNamespace.computeIfAbsent(w.object.getMetadata().getNamespace(),
                    k -> new ArrayList<>()).add(w));
            List<java.util.concurrent.Future<?>> steps = new ArrayList<>();
            byNamespace.values().forEach(ws -> steps.add(pool.submit(() -> step(ws, byOwner))));
            for (java.util.concurrent.Future<?> f : steps) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    // step() handles its own failures; nothing else can fail here
                }
            }
        }
        if (paused) {
            return;
        }
        // No garbage collector in the mock: pods of a deleted workload go with it.
        for (Pod p : pods) {
            OwnerReference owner = controllerOf(p);
            if (owner != null && ("StatefulSet".equals(owner.getKind()) || "Deployment".equals(owner.getKind()))
                    && !workloadUids.contains(owner.getUid())) {
                try {
                    client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                            .delete();
                } catch (RuntimeException e) {
                    // next tick
                }
            }
        }
    }

    /** One step of each of these workloads, in order. */
    private void step(List<Workload> workloads, Map<String, List<Pod>> byOwner) {
        for (Workload w : workloads) {
            if (paused) {
                return;
            }
            try {
                reconcile(w, byOwner.getOrDefault(w.object.getMetadata().getUid(), List.of()));
            } catch (RuntimeException e) {
                // a conflict with the operator's writes, or the mock restarting: the next tick tries again
            }
        }
    }

    private static OwnerReference controllerOf(Pod p) {
        if (p.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        return p.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst().orElse(null);
    }

    /** One step of the workload's controller, then its status from the pods. */
    private void reconcile(Workload w, List<Pod> owned) {
        String ns = w.object.getMetadata().getNamespace();
        String name = w.object.getMetadata().getName();
        int replicas = w.replicas();
        String updateRevision = w.revision(client);
        TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
        for (Pod p : owned) {
            Integer ordinal = ordinal(name, p.getMetadata().getName());
            if (ordinal != null) {
                byOrdinal.put(ordinal, p);
            }
        }
        boolean stepped = false;
        // Scale down: the highest ordinal first, one at a time.
        if (!byOrdinal.isEmpty() && byOrdinal.lastKey() >= replicas) {
            Pod highest = byOrdinal.remove(byOrdinal.lastKey());
            delete(highest);
            stepped = true;
        }
        // Create what is missing (scale up, first start, and the second half of a replacement).
        if (!stepped) {
            for (int i = 0; i < replicas; i++) {
                if (!byOrdinal.containsKey(i)) {
                    byOrdinal.put(i, create(w, i, updateRevision));
                    stepped = true;
                }
            }
        }
        // Readiness as the kubelet would report it.
        for (Map.Entry<Integer, Pod> e : byOrdinal.entrySet()) {
            Pod p = e.getValue();
            boolean ready = shouldBeReady(w, p);
            if (ready != ready(p)) {
                p.setStatus(podStatus(ready));
                e.setValue(client.pods().inNamespace(ns).resource(p).updateStatus());
            }
        }
        // Rolling update: one pod at a time, highest ordinal first, only while every pod is ready. With OnDelete the
        // controller replaces nothing by itself: a pod deleted by someone else comes back from the current template.
        if (!stepped && !w.onDelete() && byOrdinal.size() == replicas
                && byOrdinal.values().stream().allMatch(FakeWorkloadController::ready)) {
            for (Integer ordinal : byOrdinal.descendingKeySet()) {
                Pod p = byOrdinal.get(ordinal);
                if (!updateRevision.equals(revisionOf(w, p))) {
                    delete(p);
                    byOrdinal.remove(ordinal);
                    break;
                }
            }
        }
        writeStatus(w, new ArrayList<>(byOrdinal.values()), updateRevision);
    }

    private boolean shouldBeReady(Workload w, Pod p) {
        return !unready.contains(w.key())
                && !heldPods.contains(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
    }

    private Pod create(Workload w, int ordinal, String revision) {
        String ns = w.object.getMetadata().getNamespace();
        String podName = w.object.getMetadata().getName() + "-" + ordinal;
        PodTemplateSpec template = client.getKubernetesSerialization().clone(w.template());
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata() != null
                && template.getMetadata().getLabels() != null ? template.getMetadata().getLabels() : Map.of());
        Map<String, String> annotations = new LinkedHashMap<>(template.getMetadata() != null
                && template.getMetadata().getAnnotations() != null ? template.getMetadata().getAnnotations() : Map.of());
        labels.put(POD_NAME_LABEL, podName);
        labels.put(w.revisionLabel(), revision);
        PodSpec spec = template.getSpec();
        if ("true".equals(labels.get(INJECT)) && !injectionOff.contains(ns)) {
            // Istio's injector: an Envoy container and the record of what it injected.
            spec.getContainers().add(new ContainerBuilder().withName(PROXY_CONTAINER).withImage("istio/proxyv2:fake")
                    .withArgs("proxy", "sidecar").build());
            annotations.put(SIDECAR_STATUS, "{\"containers\":[\"" + PROXY_CONTAINER + "\"]}");
        }
        if (newPodsUnready.contains(w.key())) {
            heldPods.add(ns + "/" + podName);
        }
        Pod pod = new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(podName).withNamespace(ns).withLabels(labels)
                        .withAnnotations(annotations)
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(w.object.getApiVersion())
                                .withKind(w.object.getKind()).withName(w.object.getMetadata().getName())
                                .withUid(w.object.getMetadata().getUid()).withController(true)
                                .withBlockOwnerDeletion(true).build())
                        .build())
                .withSpec(spec)
                .build();
        Pod created = client.pods().inNamespace(ns).resource(pod).create();
        boolean ready = shouldBeReady(w, created);
        created.setStatus(podStatus(ready));
        return client.pods().inNamespace(ns).resource(created).updateStatus();
    }

    private void delete(Pod p) {
        heldPods.remove(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
    }

    private static PodStatus podStatus(boolean ready) {
        String s = ready ? "True" : "False";
        return new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("ContainersReady").withStatus(s).endCondition()
                .addNewCondition().withType("Ready").withStatus(s).endCondition()
                .build();
    }

    static boolean ready(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    private static String revisionOf(Workload w, Pod p) {
        return p.getMetadata().getLabels() != null ? p.getMetadata().getLabels().get(w.revisionLabel()) : null;
    }

    static Integer ordinal(String workload, String pod) {
        if (!pod.startsWith(workload + "-")) {
            return null;
        }
        try {
            return Integer.parseInt(pod.substring(workload.length() + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void writeStatus(Workload w, List<Pod> pods, String updateRevision) {
        int replicas = w.replicas();
        int existing = pods.size();
        int ready = (int) pods.stream().filter(FakeWorkloadController::ready).count();
        int updated = (int) pods.stream().filter(p -> updateRevision.equals(revisionOf(w, p))).count();
        if (w.object instanceof StatefulSet sts) {
            String previous = sts.getStatus() != null ? sts.getStatus().getCurrentRevision() : null;
            String currentRevision;
            if (updated == replicas && existing == replicas) {
                currentRevision = updateRevision;
            } else if (previous != null && !previous.equals(updateRevision)) {
                currentRevision = previous;
            } else {
                // Rolling from a revision this status never named (e.g. the template changed twice): the oldest pod's.
                currentRevision = pods.stream().map(p -> revisionOf(w, p)).filter(Objects::nonNull)
                        .filter(r -> !r.equals(updateRevision)).findFirst().orElse(updateRevision);
            }
            int current = (int) pods.stream().filter(p -> currentRevision.equals(revisionOf(w, p))).count();
            var status = new StatefulSetStatusBuilder()
                    .withObservedGeneration(sts.getMetadata().getGeneration())
                    .withReplicas(existing)
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .withCurrentReplicas(current)
                    .withUpdatedReplicas(updated)
                    .withCurrentRevision(currentRevision)
                    .withUpdateRevision(updateRevision)
                    .build();
            if (!Objects.equals(status, sts.getStatus())) {
                sts.setStatus(status);
                client.apps().statefulSets().resource(sts).updateStatus();
            }
        } else if (w.object instanceof Deployment d) {
            var status = new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(existing)
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .withUpdatedReplicas(updated)
                    .build();
            if (!Objects.equals(status, d.getStatus())) {
                d.setStatus(status);
                client.apps().deployments().resource(d).updateStatus();
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        if (workers != null) {
            workers.shutdownNow();
        }
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A StatefulSet or a Deployment, seen the same way. */
    private record Workload(HasMetadata object) {
        String key() {
            return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
        }

        boolean onDelete() {
            return object instanceof StatefulSet s && s.getSpec().getUpdateStrategy() != null
                    && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
        }

        int replicas() {
            Integer r = object instanceof StatefulSet s ? s.getSpec().getReplicas()
                    : ((Deployment) object).getSpec().getReplicas();
            return r == null ? 1 : r;
        }

        PodTemplateSpec template() {
            return object instanceof StatefulSet s ? s.getSpec().getTemplate() : ((Deployment) object).getSpec().getTemplate();
        }

        String revisionLabel() {
            return object instanceof StatefulSet ? STS_REVISION_LABEL : DEPLOYMENT_REVISION_LABEL;
        }

        /** Names the template: equal templates, equal revisions. */
        String revision(KubernetesClient client) {
            return object.getMetadata().getName() + "-"
                    + Integer.toHexString(Objects.hashCode(client.getKubernetesSerialization().asJson(template())));
        }
    }
}
