package io.pulsarmesh.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Where the operator reports transitions as Kubernetes Events. A seam, so tests can record what was said. */
public interface EventSink {
    String NORMAL = "Normal";
    String WARNING = "Warning";

    /**
     * Records an Event about {@code about}. Never throws: a lost Event must not fail a reconcile.
     *
     * @param type {@link #NORMAL} or {@link #WARNING}
     * @param reason stable CamelCase reason
     */
    void record(HasMetadata about, String type, String reason, String message);
}
