package io.pulsarmesh.operator.api.pulsar.v1alpha1;

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

/** Pulsar proxies: a stateless front door to the brokers. */
@Group(ApiGroups.PULSAR)
@Version(ApiGroups.VERSION)
@Plural("pulsarproxies")
@ShortNames({ "pp", "proxy" })
@Categories(ApiGroups.CATEGORY)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready Replicas", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Desired Image", jsonPath = ".spec.image", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.dnsNames[0]", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "size(self.metadata.name) <= 46",
        message = "name must be at most 46 characters: the revision label <name>-proxy-<hash> is limited to 63")
public class PulsarProxy extends CustomResource<PulsarProxySpec, PulsarProxyStatus> implements Namespaced {
    @Override
    protected PulsarProxySpec initSpec() {
        return new PulsarProxySpec();
    }
}
