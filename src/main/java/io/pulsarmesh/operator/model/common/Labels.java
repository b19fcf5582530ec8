package io.pulsarmesh.operator.model.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Label and annotation keys the operator reads and writes. Pod labels are the selectors of Services, PDBs and Istio
 * policies, so they never change for a given component.
 */
public final class Labels {
    public static final String APP = "cloud.streamnative.io/app";
    public static final String APP_VALUE = "pulsar";
    public static final String COMPONENT = "cloud.streamnative.io/component";
    public static final String CLUSTER = "cloud.streamnative.io/cluster";
    public static final String COORDINATOR_NAME = "k8s.streamnative.io/coordinator-name";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "pulsar-mesh-operator";

    /** Hash of everything that requires a pod restart when it changes (configuration, scripts). */
    public static final String CONFIG_HASH_ANNOTATION = "pulsarmesh.io/config-hash";
    /** Bookie identity policy a BookKeeper StatefulSet was created with. */
    public static final String BOOKIE_ID_POLICY_ANNOTATION = "pulsarmesh.io/bookie-id-policy";

    public static final String ZOOKEEPER = "zookeeper";
    public static final String BOOKIE = "bookie";
    public static final String AUTO_RECOVERY = "bookkeeper-auto-recovery";
    public static final String BROKER = "broker";
    public static final String PROXY = "proxy";

    private Labels() {
    }

    /** The labels that select a component's pods: stable for the component's lifetime. */
    public static Map<String, String> selector(String component, String crName) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(APP, APP_VALUE);
        m.put(CLUSTER, crName);
        m.put(COMPONENT, component);
        return m;
    }

    /** Labels of every object made for a component: user labels first, then the selector and managed-by, which win. */
    public static Map<String, String> objectLabels(String component, String crName, Map<String, String> userLabels) {
        Map<String, String> m = new LinkedHashMap<>();
        if (userLabels != null) {
            m.putAll(userLabels);
        }
        m.putAll(selector(component, crName));
        m.put(MANAGED_BY, MANAGED_BY_VALUE);
        return m;
    }

    /**
     * Labels of every object made for a component custom resource: {@link #objectLabels(String, String, Map)}, plus
     * the coordinator's name when the resource names one, so that the coordinator can watch the pods of its cluster.
     */
    public static Map<String, String> objectLabels(String component, io.fabric8.kubernetes.api.model.HasMetadata cr,
            Map<String, String> userLabels) {
        Map<String, String> m = objectLabels(component, cr.getMetadata().getName(), userLabels);
        Map<String, String> crLabels = cr.getMetadata().getLabels();
        String coordinator = crLabels != null ? crLabels.get(COORDINATOR_NAME) : null;
        if (coordinator != null && !coordinator.isBlank()) {
            m.put(COORDINATOR_NAME, coordinator);
        }
        return m;
    }

    /** k=v,k2=v2 form of a selector, as the scale subresource wants it. */
    public static String serialize(Map<String, String> selector) {
        return selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
