package io.pulsarmesh.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

class LeaderElectionProducerTest {
    record Settings(boolean enabled, String leaseName, Optional<String> leaseNamespace, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod) implements OperatorConfig.LeaderElection {
    }

    @Test
    void theLeaseAndItsTimings() {
        java.util.concurrent.atomic.AtomicInteger stops = new java.util.concurrent.atomic.AtomicInteger();
        LeaderElectionConfiguration c = LeaderElectionProducer.configuration(new Settings(true,
                "pulsar-mesh-operator-lease", Optional.of("operators"), Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2)), stops::incrementAndGet);
        assertEquals("pulsar-mesh-operator-lease", c.getLeaseName());
        assertEquals(Optional.of("operators"), c.getLeaseNamespace());
        assertEquals(Duration.ofSeconds(15), c.getLeaseDuration());
        assertEquals(Duration.ofSeconds(10), c.getRenewDeadline());
        assertEquals(Duration.ofSeconds(2), c.getRetryPeriod());
        // The SDK's own exit (System.exit on the callback's thread, which may be the shutdown's) is off; the
        // operator's callback exits instead.
        assertFalse(c.isExitOnStopLeading());
        c.getLeaderCallbacks().orElseThrow().onStopLeading();
        assertEquals(1, stops.get(), "a leader that lost its lease stops, and its pod restarts as a standby");
    }

    @Test
    void theOperatorsNamespaceByDefault() {
        LeaderElectionConfiguration c = LeaderElectionProducer.configuration(new Settings(true, "l", Optional.empty(),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)), () -> {
        });
        assertEquals(Optional.empty(), c.getLeaseNamespace(), "the operator SDK takes the client's namespace");
    }

    @Test
    void offMeansNoConfiguration() {
        assertNull(LeaderElectionProducer.configuration(new Settings(false, "l", Optional.empty(),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)), () -> {
                }));
    }
}
