package io.pulsarmesh.operator.api.coordinator.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pulsarmesh.operator.api.common.v1alpha1.ApiGroups;

/**
 * Ties the components of one Pulsar cluster together. Components join with the label
 * {@code k8s.streamnative.io/coordinator-name: <coordinator>}; the coordinator reports whether all of them are ready.
 */
@Group(ApiGroups.COORDINATOR)
@Version(ApiGroups.VERSION)
@Plural("pulsarcoordinators")
@ShortNames("pcoord")
@Categories(ApiGroups.CATEGORY)
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Availability_Policy", jsonPath = ".spec.placement.availabilityPolicy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Components", jsonPath = ".status.readyComponents", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Mesh", jsonPath = ".status.meshMigration.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PulsarCoordinator extends CustomResource<PulsarCoordinatorSpec, PulsarCoordinatorStatus> implements Namespaced {
    @Override
    protected PulsarCoordinatorSpec initSpec() {
        return new PulsarCoordinatorSpec();
    }
}
