package io.pulsarmesh.operator.bench;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;

/**
 * The mock API server's store, with the lookups of its writes by key instead of a scan.
 *
 * <p>The mock keeps every object in one map from its attributes (resource, namespace, name, labels, …) to its JSON,
 * and finds the object a create, update or patch is about by testing every entry against the request's attributes,
 * under the lock that serializes all writes. With a few thousand objects, that scan was 74–84 % of the API server's
 * CPU in a 50-cluster run, and the API server's core, not the clients, set the pace (a real API server finds an
 * object by its key). This map keeps, beside the entries, an index from resource, namespace and name to the entries
 * that have them, kept as entries are put and removed. A lookup whose request names all three looks among those
 * entries only, with the mock's own matching; any other lookup, or one that would find more than one entry, is the
 * mock's scan. Entries whose resource, namespace or name is not a single plain value are looked at by every lookup.
 *
 * <p>With {@code -Dbench.check-store-index=true} every lookup the index answers is also made by the scan; the scan's
 * answer is the one given, and the benchmark fails at its end if any differed ({@link #MISMATCHES}).
 *
 * <p>The map keeps its index through {@code put}, {@code remove(Object)}, {@code putAll} and {@code clear}, the only
 * changes the mock (7.5) makes; every other way of changing it is refused, so that a mock that changed its store
 * otherwise would fail loudly instead of leaving the index behind.
 */
final class IndexedStore extends LinkedHashMap<AttributeSet, String> {
    static final boolean CHECK = Boolean.getBoolean("bench.check-store-index");
    /**
     * Lookups the index answered, over all servers of the run (with {@link #CHECK}, each also made by the scan).
     */
    static final AtomicLong ANSWERED = new AtomicLong();
    /** Lookups left to the mock's scan. */
    static final AtomicLong SCANNED = new AtomicLong();
    /** Lookups whose index answer differed from the scan's (with {@link #CHECK}). */
    static final AtomicLong MISMATCHES = new AtomicLong();
    /** The first of them. */
    static final AtomicReference<String> FIRST_MISMATCH = new AtomicReference<>();

    private final Map<String, Set<AttributeSet>> byKey = new HashMap<>();
    private final Set<AttributeSet> unindexed = new LinkedHashSet<>();

    /** Puts an indexed store in place of {@code dispatcher}'s (empty) one; returns it. */
    static IndexedStore install(CrudDispatcher dispatcher) {
        IndexedStore store = new IndexedStore();
        try {
            Field f = CrudDispatcher.class.getDeclaredField("map");
            f.setAccessible(true);
            if (!((Map<?, ?>) f.get(dispatcher)).isEmpty()) {
                throw new IllegalStateException("the mock's store is not empty");
            }
            // The mock synchronizes on its map in places: the same wrapper it had.
            f.set(dispatcher, Collections.synchronizedMap(store));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the mock API server's store cannot be indexed", e);
        }
        return store;
    }

    /**
     * The entry matching {@code query}, as the mock's scan would find it; {@code null} when the index cannot tell (the
     * caller scans).
     */
    Map.Entry<AttributeSet, String> find(AttributeSet query, Found found) {
        String key = key(query);
        if (key == null) {
            return null;
        }
        List<AttributeSet> matches = new ArrayList<>(1);
        for (AttributeSet c : byKey.getOrDefault(key, Set.of())) {
            if (c.matches(query)) {
                matches.add(c);
            }
        }
        for (AttributeSet c : unindexed) {
            if (c.matches(query)) {
                matches.add(c);
            }
        }
        if (matches.size() > 1) {
            return null;
        }
        found.known = true;
        return matches.isEmpty() ? null : Map.entry(matches.get(0), get(matches.get(0)));
    }

    /** Whether {@link #find} gave an answer (an entry, or none). */
    static final class Found {
        boolean known;
    }

    @Override
    public String put(AttributeSet k, String v) {
        String old = super.put(k, v);
        if (old == null) {
            String key = key(k);
            if (key == null) {
                unindexed.add(k);
            } else {
                byKey.computeIfAbsent(key, x -> new LinkedHashSet<>()).add(k);
            }
        }
        return old;
    }

    @Override
    public String remove(Object k) {
        String old = super.remove(k);
        if (old != null && k instanceof AttributeSet a) {
            String key = key(a);
            if (key == null) {
                unindexed.remove(a);
            } else {
                Set<AttributeSet> s = byKey.get(key);
                if (s != null) {
                    s.remove(a);
                    if (s.isEmpty()) {
                        byKey.remove(key);
                    }
                }
            }
        }
        return old;
    }

    @Override
    public void putAll(Map<? extends AttributeSet, ? extends String> m) {
        m.forEach(this::put);
    }

    @Override
    public void clear() {
        super.clear();
        byKey.clear();
        unindexed.clear();
    }

    @Override
    public Set<AttributeSet> keySet() {
        return Collections.unmodifiableSet(super.keySet());
    }

    @Override
    public Collection<String> values() {
        return Collections.unmodifiableCollection(super.values());
    }

    @Override
    public Set<Map.Entry<AttributeSet, String>> entrySet() {
        return Collections.unmodifiableSet(super.entrySet());
    }

    @Override
    public String putIfAbsent(AttributeSet key, String value) {
        throw unsupported();
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw unsupported();
    }

    @Override
    public boolean replace(AttributeSet key, String oldValue, String newValue) {
        throw unsupported();
    }

    @Override
    public String replace(AttributeSet key, String value) {
        throw unsupported();
    }

    @Override
    public void replaceAll(BiFunction<? super AttributeSet, ? super String, ? extends String> function) {
        throw unsupported();
    }

    @Override
    public String computeIfAbsent(AttributeSet key, Function<? super AttributeSet, ? extends String> f) {
        throw unsupported();
    }

    @Override
    public String computeIfPresent(AttributeSet key,
            BiFunction<? super AttributeSet, ? super String, ? extends String> f) {
        throw unsupported();
    }

    @Override
    public String compute(AttributeSet key, BiFunction<? super AttributeSet, ? super String, ? extends String> f) {
        throw unsupported();
    }

    @Override
    public String merge(AttributeSet key, String value,
            BiFunction<? super String, ? super String, ? extends String> f) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the benchmark's indexed store keeps its index through put, remove "
                + "and clear only");
    }

    /** Resource, namespace and name, when each is one plain value; otherwise {@code null}. */
    static String key(AttributeSet s) {
        String plural = single(s, KubernetesAttributesExtractor.PLURAL);
        String namespace = single(s, KubernetesAttributesExtractor.NAMESPACE);
        String name = single(s, KubernetesAttributesExtractor.NAME);
        return plural == null || namespace == null || name == null ? null : plural + "/" + namespace + "/" + name;
    }

    private static String single(AttributeSet s, String key) {
        Attribute a = s.getAttribute(key);
        if (a == null || a.getType() != AttributeType.WITH || a.getValues().size() != 1) {
            return null;
        }
        Object raw = a.getValues().get(0);
        String v = raw == null ? null : raw.toString();
        // A create without a name (generateName) asks for a name of null; "*" matches every value.
        return v == null || v.equals("*") ? null : v;
    }
}
