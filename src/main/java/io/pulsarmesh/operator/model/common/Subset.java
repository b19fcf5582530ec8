package io.pulsarmesh.operator.model.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Structural comparison of desired and actual objects as JSON trees, for API servers without server-side apply.
 * {@link #contains} is true when every field the operator sets has the same value in the actual object; fields the
 * server or other controllers add (status, defaults, annotations) are ignored.
 */
public final class Subset {
    private Subset() {
    }

    @SuppressWarnings("unchecked")
    public static boolean contains(Object actual, Object desired) {
        if (desired == null) {
            return true;
        }
        if (desired instanceof Map<?, ?> d) {
            if (d.isEmpty() && actual == null) {
                return true;
            }
            if (!(actual instanceof Map<?, ?> a)) {
                return false;
            }
            for (Map.Entry<?, ?> e : d.entrySet()) {
                if (!contains(a.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired instanceof List<?> d) {
            if (d.isEmpty() && actual == null) {
                return true;
            }
            if (!(actual instanceof List<?> a) || a.size() != d.size()) {
                return false;
            }
            for (int i = 0; i < d.size(); i++) {
                if (!contains(a.get(i), d.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired instanceof Number dn && actual instanceof Number an) {
            return dn.doubleValue() == an.doubleValue();
        }
        return Objects.equals(String.valueOf(desired), actual == null ? null : String.valueOf(actual))
                && (actual != null);
    }

    /** {@code base} overlaid with {@code overlay}: maps merge recursively, everything else is replaced. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        overlay.forEach((k, v) -> {
            Object b = out.get(k);
            if (v instanceof Map<?, ?> vm && b instanceof Map<?, ?> bm) {
                out.put(k, merge((Map<String, Object>) bm, (Map<String, Object>) vm));
            } else if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
