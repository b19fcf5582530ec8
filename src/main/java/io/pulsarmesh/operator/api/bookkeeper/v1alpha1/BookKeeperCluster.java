package io.pulsarmesh.operator.api.bookkeeper.v1alpha1;

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

/** A BookKeeper cluster: the bookies that store Pulsar's messages, and their auto-recovery workers. */
@Group(ApiGroups.BOOKKEEPER)
@Version(ApiGroups.VERSION)
@Plural("bookkeeperclusters")
@ShortNames("bk")
@Categories(ApiGroups.CATEGORY)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready Replicas", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "ZkServers", jsonPath = ".spec.zkServers", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Desired Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "size(self.metadata.name) <= 36",
        message = "name must be at most 36 characters: the revision label <name>-bookie-recovery-<hash> is limited to 63")
public class BookKeeperCluster extends CustomResource<BookKeeperClusterSpec, BookKeeperClusterStatus> implements Namespaced {
    @Override
    protected BookKeeperClusterSpec initSpec() {
        return new BookKeeperClusterSpec();
    }
}
