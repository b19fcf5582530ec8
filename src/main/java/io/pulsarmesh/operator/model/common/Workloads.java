package io.pulsarmesh.operator.model.common;

import java.util.Map;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** Building blocks every component's workload uses the same way. */
public final class Workloads {
    private Workloads() {
    }

    /**
     * A Service port named {@code <protocol>-<suffix>} (tcp, http, tls, https), with the same {@code appProtocol}, so
     * Istio never has to sniff the protocol. The target port equals the port, which headless Services under mTLS need.
     */
    public static ServicePort servicePort(String name, int port) {
        String protocol = name.substring(0, name.indexOf('-'));
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(port))
                .withProtocol("TCP").withAppProtocol(protocol).build();
    }

    /** A container port; Kubernetes limits port names to 15 characters. */
    public static ContainerPort containerPort(String name, int port) {
        return new ContainerPortBuilder().withName(name.length() > 15 ? name.substring(0, 15) : name)
                .withContainerPort(port).withProtocol("TCP").build();
    }

    /** At most one pod of the component voluntarily disrupted at a time. */
    public static PodDisruptionBudget podDisruptionBudget(HasMetadata owner, String name, Map<String, String> labels,
            Map<String, String> selector) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Meta.owned(owner, name, labels))
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(selector).endSelector().endSpec()
                .build();
    }
}
