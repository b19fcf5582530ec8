package io.pulsarmesh.operator.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code pulsar_operator_component_ready{namespace, name, kind}}: whether each managed component (ZooKeeperCluster,
 * BookKeeperCluster, PulsarBroker, PulsarProxy) is Ready, so that one not Ready for too long can be alerted on whether
 * or not a mesh migration runs. Labels stay bounded by the number of custom resources. Thread-safe.
 */
@ApplicationScoped
public class ComponentMetrics {
    /** Gauge, 1 when the component's {@code Ready} condition is True, 0 otherwise. */
    public static final String READY = "pulsar.operator.component.ready";
    static final String READY_HELP = "1 when the component's Ready condition is True, 0 when it is not";

    private final MeterRegistry registry;
    private final Map<Key, Series> series = new HashMap<>();

    /** @param registry where the series are registered (in the operator, the one behind {@code /q/metrics}) */
    @Inject
    public ComponentMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Reports whether a component is Ready; call after every reconcile of the component, with the {@code Ready}
     * condition it recorded.
     *
     * @param namespace the component's namespace
     * @param name the component's custom resource name
     * @param kind the component's custom resource kind
     * @param ready its {@code Ready} condition is True
     */
    public void ready(String namespace, String name, String kind, boolean ready) {
        Key key = new Key(namespace, name, kind);
        synchronized (series) {
            series.computeIfAbsent(key, this::register).value.set(ready ? 1 : 0);
        }
    }

    /**
     * Removes a component's series; call when the component is deleted. A later {@link #ready} registers it again.
     *
     * @param namespace the component's namespace
     * @param name the component's custom resource name
     * @param kind the component's custom resource kind
     */
    public void forget(String namespace, String name, String kind) {
        Key key = new Key(namespace, name, kind);
        synchronized (series) {
            Series removed = series.remove(key);
            if (removed != null) {
                registry.remove(removed.gauge);
            }
        }
    }

    private Series register(Key key) {
        AtomicInteger value = new AtomicInteger();
        Gauge gauge = Gauge.builder(READY, value, AtomicInteger::get).description(READY_HELP)
                .tags("namespace", key.namespace(), "name", key.name(), "kind", key.kind()).strongReference(true)
                .register(registry);
        return new Series(value, gauge);
    }

    private record Key(String namespace, String name, String kind) {
        Key {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }
    }

    private record Series(AtomicInteger value, Gauge gauge) {
    }
}
