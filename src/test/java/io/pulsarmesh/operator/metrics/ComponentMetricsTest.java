package io.pulsarmesh.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ComponentMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ComponentMetrics metrics = new ComponentMetrics(registry);

    Gauge ready(String namespace, String name, String kind) {
        return registry.find(ComponentMetrics.READY).tags("namespace", namespace, "name", name, "kind", kind).gauge();
    }

    @Test
    void readyIsOneOrZeroPerComponent() {
        metrics.ready("pulsar", "brokers", "PulsarBroker", true);
        metrics.ready("pulsar", "bookies", "BookKeeperCluster", false);

        assertEquals(1.0, ready("pulsar", "brokers", "PulsarBroker").value());
        assertEquals(0.0, ready("pulsar", "bookies", "BookKeeperCluster").value());
        assertEquals(ComponentMetrics.READY_HELP, ready("pulsar", "brokers", "PulsarBroker").getId().getDescription());
        assertEquals(Set.of("namespace", "name", "kind"), MigrationMetricsTest.keys(ready("pulsar", "brokers",
                "PulsarBroker")));

        metrics.ready("pulsar", "brokers", "PulsarBroker", false);
        assertEquals(0.0, ready("pulsar", "brokers", "PulsarBroker").value());
        assertEquals(2, registry.find(ComponentMetrics.READY).gauges().size());
    }

    @Test
    void sameNameDifferentKindIsAnotherSeries() {
        metrics.ready("pulsar", "pulsar", "PulsarBroker", true);
        metrics.ready("pulsar", "pulsar", "PulsarProxy", false);
        assertEquals(1.0, ready("pulsar", "pulsar", "PulsarBroker").value());
        assertEquals(0.0, ready("pulsar", "pulsar", "PulsarProxy").value());
    }

    @Test
    void forgetRemovesOnlyThatComponent() {
        metrics.ready("pulsar", "brokers", "PulsarBroker", true);
        metrics.ready("pulsar", "proxies", "PulsarProxy", true);

        metrics.forget("pulsar", "brokers", "PulsarBroker");
        assertNull(ready("pulsar", "brokers", "PulsarBroker"));
        assertNotNull(ready("pulsar", "proxies", "PulsarProxy"));

        metrics.forget("pulsar", "brokers", "PulsarBroker");
        metrics.ready("pulsar", "brokers", "PulsarBroker", false);
        assertEquals(0.0, ready("pulsar", "brokers", "PulsarBroker").value());
    }
}
