package io.pulsarmesh.operator.config;

import io.fabric8.kubernetes.model.jackson.JsonUnwrappedDeserializer;
import io.fabric8.kubernetes.model.jackson.UnwrappedTypeResolverBuilder;
import io.pulsarmesh.operator.controller.SpecOrMetadataChanged;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes Jackson creates by reflection that the native image does not find on its own: fabric8's Istio one-of types
 * ({@code Is*} fields of VirtualService, AuthorizationPolicy and others) are deserialized through
 * {@link UnwrappedTypeResolverBuilder}, which Jackson instantiates from an annotation. Without this a native operator
 * fails to read those objects from its informers. Also the components' update filter, which the operator SDK
 * extension names in the controllers' configuration (it is created at build time; registered in case a configuration
 * is ever materialized by name at run time).
 */
@RegisterForReflection(targets = { UnwrappedTypeResolverBuilder.class, JsonUnwrappedDeserializer.class,
        SpecOrMetadataChanged.class })
public final class NativeReflection {
    private NativeReflection() {
    }
}
