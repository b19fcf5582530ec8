package io.pulsarmesh.operator.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.kube.BufferedCloneSerialization;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapper;
import io.quarkus.kubernetes.client.KubernetesResources;

/**
 * The Kubernetes client's serialization ({@link BufferedCloneSerialization}) in place of the extension's default one:
 * the same mapper and the same registered resource classes, a cheaper clone.
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
        return serialization;
    }
}
