package io.pulsarmesh.operator.kube;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.pulsarmesh.operator.migration.PodEnrollment;

/**
 * An informer cache of pods that keeps of each pod only what the operator reads from cached pods: its identity and
 * resource version, labels, owner references, deletion, the annotations that tell enrolment and restarts, the names
 * of its containers and init containers (a sidecar is one of them), its phase and its conditions. A pod of Pulsar with
 * a sidecar is some 15 KB in a cache as the API server sends it; pruned it is a small fraction, so caching every pod
 * of many clusters costs little memory. The roller, which deletes pods, reads them from the API server.
 */
public final class PrunedPodStore extends BasicItemStore<Pod> {
    /** Annotations kept: what enrolment and the roller read. */
    static final Set<String> ANNOTATIONS = Set.of(PodEnrollment.SIDECAR_STATUS, "pulsarmesh.io/restart-reason");

    public PrunedPodStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Pod put(String key, Pod pod) {
        return super.put(key, prune(pod));
    }

    /** The parts of the pod the operator reads from a cache. */
    public static Pod prune(Pod pod) {
        if (pod == null || pod.getMetadata() == null) {
            return pod;
        }
        var m = pod.getMetadata();
        Map<String, String> annotations = null;
        if (m.getAnnotations() != null) {
            annotations = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : m.getAnnotations().entrySet()) {
                if (ANNOTATIONS.contains(e.getKey())) {
                    annotations.put(e.getKey(), e.getValue());
                }
            }
        }
        PodBuilder b = new PodBuilder().withApiVersion(pod.getApiVersion()).withKind(pod.getKind())
                .withMetadata(new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace())
                        .withUid(m.getUid()).withResourceVersion(m.getResourceVersion())
                        .withCreationTimestamp(m.getCreationTimestamp()).withDeletionTimestamp(m.getDeletionTimestamp())
                        .withLabels(m.getLabels()).withAnnotations(annotations)
                        .withOwnerReferences(m.getOwnerReferences()).build());
        if (pod.getSpec() != null) {
            b.withNewSpec().withContainers(names(pod.getSpec().getContainers(), false))
                    .withInitContainers(names(pod.getSpec().getInitContainers(), true)).endSpec();
        }
        if (pod.getStatus() != null) {
            List<PodCondition> conditions = pod.getStatus().getConditions() == null ? null
                    : pod.getStatus().getConditions().stream()
                            .map(c -> new PodConditionBuilder().withType(c.getType()).withStatus(c.getStatus()).build())
                            .toList();
            b.withNewStatus().withPhase(pod.getStatus().getPhase()).withConditions(conditions).endStatus();
        }
        return b.build();
    }

    /** Containers by name only; init containers keep their restart policy (an init container "Always" is a sidecar). */
    private static List<Container> names(List<Container> containers, boolean init) {
        if (containers == null) {
            return null;
        }
        return containers.stream().map(c -> {
            ContainerBuilder cb = new ContainerBuilder().withName(c.getName());
            return init ? cb.withRestartPolicy(c.getRestartPolicy()).build() : cb.build();
        }).toList();
    }
}
