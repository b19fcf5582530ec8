package io.pulsarmesh.operator.render;

import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.CoordinatorIstio;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.bookkeeper.BookKeeperModel;
import io.pulsarmesh.operator.model.broker.BrokerModel;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.proxy.ProxyModel;
import io.pulsarmesh.operator.model.zookeeper.ZooKeeperModel;

/** Dispatches a custom resource to its kind's model: the same functions the reconcilers call. */
public final class Renderer {
    private Renderer() {
    }

    /**
     * The mesh of a component: its own {@code spec.istio} with the defaults of the coordinator its
     * {@code k8s.streamnative.io/coordinator-name} label names, if that coordinator is among {@code coordinators}.
     */
    public static Mesh mesh(HasMetadata cr, List<? extends HasMetadata> coordinators) {
        if (!(cr instanceof CustomResource<?, ?> c) || !(c.getSpec() instanceof ComponentSpec spec)) {
            return Mesh.OFF;
        }
        String coordinatorName = cr.getMetadata().getLabels() != null
                ? cr.getMetadata().getLabels().get(Labels.COORDINATOR_NAME)
                : null;
        CoordinatorIstio defaults = coordinators.stream()
                .filter(p -> p instanceof PulsarCoordinator)
                .map(p -> (PulsarCoordinator) p)
                .filter(p -> Objects.equals(p.getMetadata().getName(), coordinatorName)
                        && Objects.equals(p.getMetadata().getNamespace(), cr.getMetadata().getNamespace()))
                .map(p -> p.getSpec() != null ? p.getSpec().getIstio() : null)
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
        return Mesh.resolve(spec.getIstio(), defaults);
    }

    public static List<SpecProblem> validate(HasMetadata cr) {
        return validate(cr, mesh(cr, List.of()));
    }

    public static List<SpecProblem> validate(HasMetadata cr, Mesh mesh) {
        if (cr instanceof ZooKeeperCluster zk) {
            return ZooKeeperModel.validate(zk);
        } else if (cr instanceof BookKeeperCluster bk) {
            return BookKeeperModel.validate(bk);
        } else if (cr instanceof PulsarBroker pb) {
            return BrokerModel.validate(pb, mesh);
        } else if (cr instanceof PulsarProxy pp) {
            return ProxyModel.validate(pp);
        }
        return List.of();
    }

    public static List<HasMetadata> desired(HasMetadata cr, ModelSettings settings) {
        return desired(cr, settings, mesh(cr, List.of()));
    }

    /**
     * The objects of {@code cr} among the custom resources {@code all} it was loaded with: a coordinator's toolset
     * needs its brokers (the first PulsarBroker naming it, by name) and their mesh.
     */
    public static List<HasMetadata> desired(HasMetadata cr, ModelSettings settings, List<? extends HasMetadata> all) {
        if (cr instanceof PulsarCoordinator pc) {
            PulsarBroker broker = all.stream().filter(PulsarBroker.class::isInstance).map(PulsarBroker.class::cast)
                    .filter(b -> b.getMetadata().getLabels() != null && pc.getMetadata().getName()
                            .equals(b.getMetadata().getLabels().get(io.pulsarmesh.operator.model.common.Labels.COORDINATOR_NAME)))
                    .min(java.util.Comparator.comparing(b -> b.getMetadata().getName())).orElse(null);
            return io.pulsarmesh.operator.model.coordinator.ToolSetModel.desired(pc, broker,
                    broker == null ? Mesh.OFF : mesh(broker, all), settings);
        }
        return desired(cr, settings, mesh(cr, all));
    }

    public static List<HasMetadata> desired(HasMetadata cr, ModelSettings settings, Mesh mesh) {
        if (cr instanceof ZooKeeperCluster zk) {
            return ZooKeeperModel.desired(zk, settings, mesh);
        } else if (cr instanceof BookKeeperCluster bk) {
            return BookKeeperModel.desired(bk, settings, mesh);
        } else if (cr instanceof PulsarBroker pb) {
            return BrokerModel.desired(pb, settings, mesh);
        } else if (cr instanceof PulsarProxy pp) {
            return ProxyModel.desired(pp, settings, mesh);
        } else if (cr instanceof PulsarCoordinator) {
            return List.of();
        }
        throw new IllegalArgumentException("not a custom resource of this operator: " + cr.getKind());
    }
}
