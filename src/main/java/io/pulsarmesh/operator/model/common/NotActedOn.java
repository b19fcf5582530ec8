package io.pulsarmesh.operator.model.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;

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
        IstioSpec istio = spec.getIstio();
        if (istio != null && !Boolean.TRUE.equals(istio.getEnabled())) {
            n.check("spec.istio.gateway (needs spec.istio.enabled)", istio.getGateway());
            n.check("spec.istio.gateways (needs spec.istio.enabled)", istio.getGateways());
            n.check("spec.istio.authRules (needs spec.istio.enabled)", istio.getAuthRules());
        }
        return n;
    }

    /** Gateway fields on a component that has no external access of its own. */
    public NotActedOn noGateway(IstioSpec istio, String why) {
        if (istio != null) {
            check("spec.istio.gateway (" + why + ")", istio.getGateway());
            check("spec.istio.gateways (" + why + ")", istio.getGateways());
        }
        return this;
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
