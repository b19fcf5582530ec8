package io.pulsarmesh.operator.kube;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Kubernetes client's serialization, with a {@link #clone} that copies through Jackson's token buffer instead of
 * JSON text.
 *
 * <p>The operator SDK clones the primary resource before every reconciliation (so that the reconciler cannot change
 * the cached one), and the client clones what it edits. The client's own clone writes the object as a JSON string and
 * parses it back: characters encoded, field names and numbers parsed again. The token buffer keeps the tokens as Java
 * values (names as strings, numbers as numbers), so the copy goes through the same serializers and deserializers,
 * and gives the same object, for less work. Everything else is the client's serialization unchanged.
 */
public class BufferedCloneSerialization extends KubernetesSerialization {
    private final ObjectMapper mapper;

    /** @param mapper the client's mapper; configured here for Kubernetes as the client's serialization does */
    public BufferedCloneSerialization(ObjectMapper mapper) {
        super(mapper, false);
        this.mapper = mapper;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T clone(T resource) {
        if (resource == null) {
            return null;
        }
        try (TokenBuffer buffer = new TokenBuffer(mapper, false)) {
            mapper.writeValue(buffer, resource);
            try (JsonParser parser = buffer.asParser(mapper)) {
                return (T) mapper.readValue(parser, resource.getClass());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cloning a " + resource.getClass().getName() + " failed", e);
        }
    }
}
