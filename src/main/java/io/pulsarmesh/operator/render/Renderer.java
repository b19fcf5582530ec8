package io.pulsarmesh.operator.render;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
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

    public static List<SpecProblem> validate(HasMetadata cr) {
        if (cr instanceof ZooKeeperCluster zk) {
            return ZooKeeperModel.validate(zk);
        } else if (cr instanceof BookKeeperCluster bk) {
            return BookKeeperModel.validate(bk);
        } else if (cr instanceof PulsarBroker pb) {
            return BrokerModel.validate(pb);
        } else if (cr instanceof PulsarProxy pp) {
            return ProxyModel.validate(pp);
        }
        return List.of();
    }

    public static List<HasMetadata> desired(HasMetadata cr, ModelSettings settings) {
        if (cr instanceof ZooKeeperCluster zk) {
            return ZooKeeperModel.desired(zk, settings);
        } else if (cr instanceof BookKeeperCluster bk) {
            return BookKeeperModel.desired(bk, settings);
        } else if (cr instanceof PulsarBroker pb) {
            return BrokerModel.desired(pb, settings);
        } else if (cr instanceof PulsarProxy pp) {
            return ProxyModel.desired(pp, settings);
        } else if (cr instanceof PulsarCoordinator) {
            return List.of();
        }
        throw new IllegalArgumentException("not a custom resource of this operator: " + cr.getKind());
    }
}
