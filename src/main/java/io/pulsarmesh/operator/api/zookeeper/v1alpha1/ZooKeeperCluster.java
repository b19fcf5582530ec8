package io.pulsarmesh.operator.api.zookeeper.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pulsarmesh.operator.api.common.v1alpha1.ApiGroups;

/** A ZooKeeper ensemble: the metadata store of a Pulsar cluster. */
@Group(ApiGroups.ZOOKEEPER)
@Version(ApiGroups.VERSION)
@Plural("zookeeperclusters")
@ShortNames("zk")
@Categories(ApiGroups.CATEGORY)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready Replicas", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Desired Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "size(self.metadata.name) <= 49",
        message = "name must be at most 49 characters: the StatefulSet's revision label <name>-zk-<hash> is limited to 63")
public class ZooKeeperCluster extends CustomResource<ZooKeeperClusterSpec, ZooKeeperClusterStatus> implements Namespaced {
    @Override
    protected ZooKeeperClusterSpec initSpec() {
        return new ZooKeeperClusterSpec();
    }
}
