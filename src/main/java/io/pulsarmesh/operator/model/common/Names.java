package io.pulsarmesh.operator.model.common;

/**
 * Names of generated objects. The broker's and ZooKeeper's client Service names are public contracts of sn-operator
 * ({@code <name>-broker}, {@code <name>-zk}); the rest follow {@code <name>-<component>[-headless]}.
 */
public final class Names {
    private Names() {
    }

    public static String zk(String name) {
        return name + "-zk";
    }

    public static String zkHeadless(String name) {
        return name + "-zk-headless";
    }

    public static String bookie(String name) {
        return name + "-bookie";
    }

    public static String bookieHeadless(String name) {
        return name + "-bookie-headless";
    }

    public static String autoRecovery(String name) {
        return name + "-bookie-recovery";
    }

    public static String broker(String name) {
        return name + "-broker";
    }

    public static String brokerHeadless(String name) {
        return name + "-broker-headless";
    }

    public static String proxy(String name) {
        return name + "-proxy";
    }

    /** Fully qualified name of a Service. */
    public static String serviceFqdn(String service, String namespace) {
        return service + "." + namespace + ".svc.cluster.local";
    }

    /** Fully qualified name of pod {@code ordinal} of a StatefulSet governed by a headless Service. */
    public static String podFqdn(String statefulSet, int ordinal, String headless, String namespace) {
        return statefulSet + "-" + ordinal + "." + headless + "." + namespace + ".svc.cluster.local";
    }
}
