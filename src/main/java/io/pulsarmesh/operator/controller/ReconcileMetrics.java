package io.pulsarmesh.operator.controller;

import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code pulsar_operator_reconciliations_total{kind, outcome}}: how reconciles end. Labels stay bounded (five kinds,
 * four outcomes); never names, UIDs or error text.
 */
@ApplicationScoped
public class ReconcileMetrics {
    public static final String NAME = "pulsar.operator.reconciliations";
    static final String HELP = "Reconciles of the operator's custom resources, by kind and outcome: applied, "
            + "unchanged, invalid or error";
    /** Objects were created, updated or deleted. */
    public static final String APPLIED = "applied";
    /** Everything already matched: no write. */
    public static final String UNCHANGED = "unchanged";
    /** The spec was refused; nothing was written. */
    public static final String INVALID = "invalid";
    /** The API server refused a request; retried with back-off. */
    public static final String ERROR = "error";

    private final MeterRegistry registry;

    @Inject
    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Custom resources of one kind the operator manages now, counted from its informer cache on each scrape. */
    public static final String MANAGED = "pulsar.operator.managed.resources";

    public void reconciled(HasMetadata resource, String outcome) {
        Counter.builder(NAME).description(HELP).tags("kind", resource.getKind(), "outcome", outcome).register(registry)
                .increment();
    }

    /** {@code pulsar_operator_managed_resources{kind}}, read from the controller's cache of its custom resources. */
    public void managed(String kind, java.util.function.Supplier<Number> count) {
        io.micrometer.core.instrument.Gauge.builder(MANAGED, count).tag("kind", kind)
                .description("Custom resources of this kind the operator manages").register(registry);
    }
}
