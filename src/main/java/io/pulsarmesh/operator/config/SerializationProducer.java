package io.pulsarmesh.operator.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.kube.BufferedCloneSerialization;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapper;
import io.quarkus.kubernetes.client.KubernetesResources;

/**
 * The Kubernetes client's serialization ({@link BufferedCloneSerialization}) in place of the extension's default one:
 * the same mapper and the same registered resource classes, the operator's custom resources registered too, and a
 * cheaper clone.
 */
public class SerializationProducer {
    static final List<Class<? extends KubernetesResource>> CUSTOM_RESOURCES = List.of(PulsarCoordinator.class,
            ZooKeeperCluster.class, BookKeeperCluster.class, PulsarBroker.class, PulsarProxy.class);

    @Produces
    @Singleton
    @SuppressWarnings({ "rawtypes", "unchecked" })
    KubernetesSerialization kubernetesSerialization(@KubernetesClientObjectMapper ObjectMapper mapper,
            @KubernetesResources Class[] resources) {
        KubernetesSerialization serialization = new BufferedCloneSerialization(mapper);
        for (Class resource : resources) {
            serialization.registerKubernetesResource((Class<? extends KubernetesResource>) resource);
        }
        // The operator's own kinds, which the extension's list lacks: without them, each watch event of a custom
        // resource was decoded into a generic resource, then converted into its class (twice the work per event).
        for (Class<? extends KubernetesResource> kind : CUSTOM_RESOURCES) {
            serialization.registerKubernetesResource(kind);
        }
        return serialization;
    }
}
