package io.pulsarmesh.operator.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The operator SDK's reconcile metrics ({@code reconciliations_*} by {@code controller_name}) on the application's
 * registry. The extension's default {@link Metrics} bean (7.7.3) is only bound to the registry after the operator's
 * configuration has taken it, so in the packaged application it stayed a no-op (quarkus-operator-sdk#1385, fixed in
 * later releases by the same construction as here); a bean of ours replaces that default.
 */
@Singleton
public class OperatorSdkMetrics {

    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }
}
