package io.pulsarmesh.operator.model.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The keys the operator sets in a component's configuration file (zookeeper.conf, bookkeeper.conf, broker.conf,
 * proxy.conf). At start the pod merges them over the image's file: every key listed here replaces the image's line.
 *
 * <p>User keys ({@code config.custom}) come last. A {@code PULSAR_PREFIX_} prefix (sn-operator's convention for keys the
 * image's file lacks) is stripped, since the merge adds missing keys anyway. Keys the operator owns are refused by
 * {@link #reservedKeys}, never silently overridden.
 */
public final class ConfigFile {
    public static final String PULSAR_PREFIX = "PULSAR_PREFIX_";

    private final Map<String, String> entries = new LinkedHashMap<>();

    public ConfigFile put(String key, Object value) {
        if (value != null) {
            entries.put(key, String.valueOf(value));
        }
        return this;
    }

    /** Adds user keys in sorted order, so that the rendered file is stable. */
    public ConfigFile putAll(Map<String, String> custom) {
        if (custom != null) {
            new TreeMap<>(custom).forEach((k, v) -> put(stripPrefix(k), v == null ? "" : v));
        }
        return this;
    }

    public Map<String, String> entries() {
        return entries;
    }

    public String get(String key) {
        return entries.get(key);
    }

    /** key=value lines in insertion order. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\n", "\\n")).append('\n'));
        return sb.toString();
    }

    public static String stripPrefix(String key) {
        return key.startsWith(PULSAR_PREFIX) ? key.substring(PULSAR_PREFIX.length()) : key;
    }

    /**
     * Problems for every key of {@code custom} that the operator owns: exact names in {@code owned}, or names starting
     * with one of {@code ownedPrefixes}.
     */
    public static List<SpecProblem> reservedKeys(Map<String, String> custom, String field, Set<String> owned,
            List<String> ownedPrefixes) {
        List<SpecProblem> problems = new ArrayList<>();
        if (custom == null) {
            return problems;
        }
        for (String raw : new TreeMap<>(custom).keySet()) {
            String key = stripPrefix(raw);
            boolean reserved = owned.contains(key) || ownedPrefixes.stream().anyMatch(key::startsWith);
            if (reserved) {
                problems.add(new SpecProblem(SpecProblem.RESERVED_CONFIG_KEY, field + "." + raw,
                        "key " + key + " is set by the operator and cannot be overridden; remove it from " + field));
            }
        }
        return problems;
    }
}
