package io.pulsarmesh.operator.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Spaces out status writes that only report progress. A custom resource's status is written at once when its state
 * changes: the {@code Ready} condition's status or reason, the observed generation, any other condition or field. When
 * only progress changed (pod counts, which components are ready yet, the {@code Ready} message) and the condition is
 * one whose message changes record no Event, the write waits until {@code interval} after the last status write of that
 * resource, and the reconciler looks again then. The status therefore never lags its state, and lags its progress by at
 * most the interval: a cluster coming up writes its progress once per interval instead of once per pod, and pods that
 * become ready within the interval of each other cost one write, not one each.
 *
 * <p>The times are kept in memory: after a restart the first write is never delayed.
 */
public final class ProgressThrottle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRUNE_ABOVE = 512;

    private final Duration interval;
    private final Set<String> progressFields;
    private final String itemsField;
    private final Set<String> progressFieldsOfItems;
    private final Set<String> quietReasons;
    private final Map<String, Long> lastWrite = new ConcurrentHashMap<>();

    /**
     * @param interval at least this long between two writes of progress alone; zero writes every change at once
     * @param progressFields top-level status fields that report progress
     * @param itemsField a top-level list (the coordinator's {@code components}) whose items' {@code progressFieldsOfItems}
     *        report progress, and which may grow as progress (the components of a new cluster found one after the
     *        other); an item that goes or changes otherwise is a change of state. {@code null} for none
     * @param quietReasons reasons of the {@code Ready} condition under which a change of its message alone is progress
     */
    public ProgressThrottle(Duration interval, Set<String> progressFields, String itemsField,
            Set<String> progressFieldsOfItems, Set<String> quietReasons) {
        this.interval = interval;
        this.progressFields = progressFields;
        this.itemsField = itemsField;
        this.progressFieldsOfItems = progressFieldsOfItems;
        this.quietReasons = quietReasons;
    }

    /**
     * How long the write of {@code next} over {@code previous} must wait; {@link Duration#ZERO} when it may go now, in
     * which case the write is recorded as made at {@code nowNanos}.
     */
    public Duration delay(String key, Object previous, Object next, long nowNanos) {
        if (!interval.isZero() && previous != null && progressOnly(previous, next)) {
            Long last = lastWrite.get(key);
            if (last != null && nowNanos - last < interval.toNanos()) {
                return Duration.ofNanos(interval.toNanos() - (nowNanos - last));
            }
        }
        record(key, nowNanos);
        return Duration.ZERO;
    }

    private void record(String key, long nowNanos) {
        lastWrite.put(key, nowNanos);
        if (lastWrite.size() > PRUNE_ABOVE) {
            // Entries older than the interval hold nothing back (those of deleted resources among them).
            lastWrite.values().removeIf(t -> nowNanos - t >= interval.toNanos());
        }
    }

    /** Whether the two statuses differ in progress only (see the class comment). */
    boolean progressOnly(Object previous, Object next) {
        Map<String, Object> a = toMap(previous);
        Map<String, Object> b = toMap(next);
        if (!quietReady(a) || !quietReady(b)) {
            return false;
        }
        Map<String, Object> before = state(a);
        Map<String, Object> after = state(b);
        if (itemsField != null && before.get(itemsField) instanceof List<?> was && after.get(itemsField) instanceof List<?> is
                && is.containsAll(was)) {
            before.remove(itemsField);
            after.remove(itemsField);
        }
        return Objects.equals(before, after);
    }

    private boolean quietReady(Map<String, Object> status) {
        Map<String, Object> ready = ready(status);
        return ready != null && quietReasons.contains(String.valueOf(ready.get("reason")));
    }

    /** The status without its progress. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> state(Map<String, Object> status) {
        Map<String, Object> out = new LinkedHashMap<>(status);
        progressFields.forEach(out::remove);
        if (itemsField != null && out.get(itemsField) instanceof List<?> items) {
            List<Object> stripped = new ArrayList<>();
            for (Object item : items) {
                if (item instanceof Map<?, ?> m) {
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                    progressFieldsOfItems.forEach(copy::remove);
                    stripped.add(copy);
                } else {
                    stripped.add(item);
                }
            }
            out.put(itemsField, stripped);
        }
        if (out.get("conditions") instanceof List<?> conditions) {
            List<Object> stripped = new ArrayList<>();
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && Conditions.READY.equals(m.get("type"))) {
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                    copy.remove("message");
                    stripped.add(copy);
                } else {
                    stripped.add(c);
                }
            }
            out.put("conditions", stripped);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ready(Map<String, Object> status) {
        if (status.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && Conditions.READY.equals(m.get("type"))) {
                    return (Map<String, Object>) m;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(Object status) {
        return JSON.convertValue(status, Map.class);
    }
}
