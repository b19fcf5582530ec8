package io.pulsarmesh.operator.config;

import io.fabric8.kubernetes.model.jackson.JsonUnwrappedDeserializer;
import io.fabric8.kubernetes.model.jackson.UnwrappedTypeResolverBuilder;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes Jackson creates by reflection that the native image does not find on its own: fabric8's Istio one-of types
 * ({@code Is*} fields of VirtualService, AuthorizationPolicy and others) are deserialized through
 * {@link UnwrappedTypeResolverBuilder}, which Jackson instantiates from an annotation. Without this a native operator
 * fails to read those objects from its informers.
 */
@RegisterForReflection(targets = { UnwrappedTypeResolverBuilder.class, JsonUnwrappedDeserializer.class })
public final class NativeReflection {
    private NativeReflection() {
    }
}
