package io.pulsarmesh.operator.api.common.v1alpha1;

/** API groups of the five custom resources; identical to StreamNative's operator so its manifests apply unchanged. */
public final class ApiGroups {
    public static final String COORDINATOR = "k8s.streamnative.io";
    public static final String ZOOKEEPER = "zookeeper.streamnative.io";
    public static final String BOOKKEEPER = "bookkeeper.streamnative.io";
    public static final String PULSAR = "pulsar.streamnative.io";
    public static final String VERSION = "v1alpha1";
    public static final String CATEGORY = "pulsar";

    private ApiGroups() {
    }
}
