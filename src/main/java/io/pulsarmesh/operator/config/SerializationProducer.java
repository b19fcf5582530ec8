package io.pulsarmesh.operator.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.kube.BufferedCloneSerialization;
import io.pulsarmesh.operator.render.Render;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapper;
import io.quarkus.kubernetes.client.KubernetesResources;

/**
 * The Kubernetes client's serialization ({@link BufferedCloneSerialization}) in place of the extension's default one:
 * the same mapper and the same registered resource classes, the operator's custom resources registered too, and a
 * cheaper clone.
 */
public class SerializationProducer {
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
        Render.KINDS.values().forEach(serialization::registerKubernetesResource);
        return serialization;
    }
}
