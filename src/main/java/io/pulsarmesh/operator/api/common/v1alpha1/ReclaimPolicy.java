package io.pulsarmesh.operator.api.common.v1alpha1;

/** What happens to a component's volumes when its custom resource is deleted. */
public final class ReclaimPolicy {
    /** Volumes outlive the custom resource (the default). */
    public static final String RETAIN = "Retain";
    /** Volumes are deleted with the custom resource. */
    public static final String DELETE = "Delete";
    public static final String PATTERN = "^(Retain|Delete)$";

    private ReclaimPolicy() {
    }
}
