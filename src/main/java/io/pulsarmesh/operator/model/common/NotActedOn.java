package io.pulsarmesh.operator.model.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;

/**
 * Spec fields that are accepted (so sn-operator manifests apply unchanged) but not acted on yet. The component reports
 * them in an {@code UnsupportedFeatures} condition instead of ignoring them silently.
 */
public final class NotActedOn {
    private final List<String> fields = new ArrayList<>();

    /** The fields every component shares. */
    public static NotActedOn of(ComponentSpec spec) {
        NotActedOn n = new NotActedOn();
        n.check("spec.customization", spec.getCustomization());
        n.check("spec.apiObjects", spec.getApiObjects());
        if (spec.getIstio() != null && Boolean.TRUE.equals(spec.getIstio().getEnabled())) {
            n.fields.add("spec.istio");
        }
        return n;
    }

    public NotActedOn check(String field, Object value) {
        boolean set = value != null && !(value instanceof Map<?, ?> m && m.isEmpty())
                && !(value instanceof Collection<?> c && c.isEmpty())
                && !(value instanceof JsonNode n && (n.isNull() || n.isMissingNode() || (n.isContainerNode() && n.isEmpty())));
        if (set) {
            fields.add(field);
        }
        return this;
    }

    public List<String> fields() {
        return fields;
    }
}
