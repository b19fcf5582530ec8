package io.pulsarmesh.operator.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinatorStatus;
import io.pulsarmesh.operator.controller.ObjectApplier;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.Subset;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.render.Renderer;
import io.pulsarmesh.operator.status.Conditions;

/**
 * N copies of the example cluster, one per namespace {@code bench-<i>}, and what they should become: the objects
 * {@code render} produces for them (the same model functions the controllers call, with the operator's default
 * settings, in the steady state of a mesh the pods have joined).
 */
final class BenchClusters {
    static final String NAMESPACE_PREFIX = "bench-";
    /** The namespaces of the clusters an operator process converges, and that are removed, before it is measured. */
    static final String WARMUP_PREFIX = "warmup-";

    private BenchClusters() {
    }

    /** The custom resources of {@code count} clusters, coordinators first within each namespace. */
    static List<CustomResource<?, ?>> customResources(Path example, int count) {
        return customResources(example, count, NAMESPACE_PREFIX);
    }

    /** The same, in the namespaces {@code <prefix><i>}. */
    static List<CustomResource<?, ?>> customResources(Path example, int count, String prefix) {
        List<CustomResource<?, ?>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ns = prefix + i;
            for (Render.Loaded l : Render.load(example, ns)) {
                CustomResource<?, ?> cr = l.resource();
                cr.getMetadata().setNamespace(ns);
                out.add(cr);
            }
        }
        return out;
    }

    /** Creates the custom resources, in order, and returns them as created (with their UIDs). */
    static List<CustomResource<?, ?>> create(KubernetesClient client, List<CustomResource<?, ?>> crs) {
        List<CustomResource<?, ?>> created = new ArrayList<>();
        for (CustomResource<?, ?> cr : crs) {
            created.add(client.resource(cr).create());
        }
        return created;
    }

    /** Every object the operator should create for these (created) custom resources, owner references included. */
    static List<HasMetadata> desired(List<CustomResource<?, ?>> created) {
        List<HasMetadata> out = new ArrayList<>();
        ModelSettings settings = ModelSettings.defaults();
        for (CustomResource<?, ?> cr : created) {
            List<CustomResource<?, ?>> sameNamespace = created.stream()
                    .filter(c -> Objects.equals(c.getMetadata().getNamespace(), cr.getMetadata().getNamespace()))
                    .toList();
            out.addAll(Renderer.desired(cr, settings, sameNamespace));
        }
        return out;
    }

    static String key(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    /** The Ready condition of one of the operator's custom resources; {@code null} before it has one. */
    static Condition ready(CustomResource<?, ?> cr) {
        List<Condition> conditions = cr.getStatus() instanceof ComponentStatus s ? s.getConditions()
                : cr.getStatus() instanceof PulsarCoordinatorStatus s ? s.getConditions() : null;
        return conditions == null ? null : Conditions.find(conditions, Conditions.READY).orElse(null);
    }

    /**
     * What is missing or different on the server, compared with {@code desired} (by the structural comparison the
     * operator itself uses without server-side apply), and what the operator created beyond it; empty once the
     * server holds exactly the rendered objects.
     */
    static List<String> differences(KubernetesClient client, List<HasMetadata> desired) {
        KubernetesSerialization json = client.getKubernetesSerialization();
        Map<String, Map<String, Object>> actual = new LinkedHashMap<>();
        List<Class<? extends HasMetadata>> kinds = new ArrayList<>(ObjectApplier.MANAGED_KINDS);
        kinds.addAll(ObjectApplier.ISTIO_KINDS);
        for (Class<? extends HasMetadata> kind : kinds) {
            for (HasMetadata o : client.resources(kind).inAnyNamespace()
                    .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems()) {
                actual.put(key(o), map(json, o));
            }
        }
        List<String> out = new ArrayList<>();
        for (HasMetadata d : desired) {
            Map<String, Object> a = actual.remove(key(d));
            if (a == null) {
                out.add("missing " + key(d));
            } else if (!Subset.contains(a, map(json, d))) {
                out.add("differs " + key(d));
            }
        }
        actual.keySet().forEach(k -> out.add("extra " + k));
        return out;
    }

    /**
     * The StatefulSets and Deployments on the server, followed by informers (one list, then events): whether the
     * workloads of a set of desired objects all report their replicas ready, without listing them again and again.
     */
    static final class Workloads implements AutoCloseable {
        private final io.fabric8.kubernetes.client.informers.SharedIndexInformer<StatefulSet> statefulSets;
        private final io.fabric8.kubernetes.client.informers.SharedIndexInformer<Deployment> deployments;

        Workloads(KubernetesClient client) {
            statefulSets = client.apps().statefulSets().inAnyNamespace().inform();
            deployments = client.apps().deployments().inAnyNamespace().inform();
        }

        boolean ready(List<HasMetadata> desired) {
            Map<String, HasMetadata> live = new LinkedHashMap<>();
            statefulSets.getStore().list().forEach(s -> live.put(key(s), s));
            deployments.getStore().list().forEach(d -> live.put(key(d), d));
            return workloadsReady(live, desired);
        }

        @Override
        public void close() {
            statefulSets.close();
            deployments.close();
        }
    }

    /** Whether every workload among {@code desired} reports all its replicas ready and updated. */
    static boolean workloadsReady(Map<String, HasMetadata> live, List<HasMetadata> desired) {
        for (HasMetadata d : desired) {
            if (!(d instanceof StatefulSet) && !(d instanceof Deployment)) {
                continue;
            }
            HasMetadata l = live.get(key(d));
            if (l instanceof StatefulSet s) {
                int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
                if (s.getStatus() == null || !Objects.equals(s.getStatus().getReadyReplicas(), want)
                        || !Objects.equals(s.getStatus().getUpdatedReplicas(), want)) {
                    return false;
                }
            } else if (l instanceof Deployment dep) {
                int want = dep.getSpec().getReplicas() == null ? 1 : dep.getSpec().getReplicas();
                if (dep.getStatus() == null || !Objects.equals(dep.getStatus().getReadyReplicas(), want)
                        || !Objects.equals(dep.getStatus().getUpdatedReplicas(), want)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(KubernetesSerialization json, Object o) {
        return json.convertValue(o, Map.class);
    }
}
