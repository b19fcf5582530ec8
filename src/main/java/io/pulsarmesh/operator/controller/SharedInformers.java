package io.pulsarmesh.operator.controller;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.kube.PrunedPodStore;
import io.pulsarmesh.operator.model.common.Labels;

/**
 * The informers several controllers share ({@link SharedInformer}): the operator's pods (read by each component's
 * controller and by the coordinator's) and the coordinators (read by the four component controllers). One per kind and
 * set of watched namespaces.
 */
@Singleton
public class SharedInformers {
    /** Every pod of the operator's workloads; cached pruned ({@link PrunedPodStore}). */
    static final String PODS_SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE;

    private final Map<List<Object>, SharedInformer<?>> informers = new ConcurrentHashMap<>();

    /** The operator's pods in the namespaces {@code context}'s controller watches. */
    public <P extends HasMetadata> SharedInformer<Pod> pods(EventSourceContext<P> context) {
        return shared(Pod.class, PODS_SELECTOR, context, PrunedPodStore::new);
    }

    /** The coordinators in the namespaces {@code context}'s controller watches. */
    public <P extends HasMetadata> SharedInformer<PulsarCoordinator> coordinators(EventSourceContext<P> context) {
        return shared(PulsarCoordinator.class, null, context, null);
    }

    @SuppressWarnings("unchecked")
    private <R extends HasMetadata, P extends HasMetadata> SharedInformer<R> shared(Class<R> kind, String selector,
            EventSourceContext<P> context, Supplier<ItemStore<R>> store) {
        var controller = context.getControllerConfiguration();
        Set<String> namespaces = new TreeSet<>(controller.getInformerConfig().getEffectiveNamespaces(controller));
        return (SharedInformer<R>) informers.computeIfAbsent(List.of(kind, String.valueOf(selector), namespaces),
                k -> new SharedInformer<>(kind, selector, namespaces, context.getClient(),
                        controller.getConfigurationService(), store));
    }
}
