package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;

/** Observed state of the proxies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PulsarProxyStatus extends ComponentStatus {
}
