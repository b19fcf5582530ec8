package io.pulsarmesh.operator.testsupport;

import java.util.Map;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Stand-ins for Istio's CRDs on a mock API server: the groups, version ({@code v1}) and kinds the operator discovers
 * and writes, with an open schema (the mock validates nothing; the conformance tier checks the objects against
 * Istio's real schemas).
 */
public final class IstioCrds {
    private static final String[][] KINDS = { { "networking.istio.io", "Gateway", "gateways" },
            { "networking.istio.io", "VirtualService", "virtualservices" },
            { "networking.istio.io", "DestinationRule", "destinationrules" },
            { "networking.istio.io", "ServiceEntry", "serviceentries" },
            { "security.istio.io", "PeerAuthentication", "peerauthentications" },
            { "security.istio.io", "AuthorizationPolicy", "authorizationpolicies" } };

    private IstioCrds() {
    }

    /** Creates the stand-ins that are not there yet. */
    public static void install(KubernetesClient client) {
        for (String[] k : KINDS) {
            String name = k[2] + "." + k[0];
            if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null) {
                continue;
            }
            CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withGroup(k[0]).withScope("Namespaced")
                    .withNewNames().withKind(k[1]).withPlural(k[2]).withSingular(k[1].toLowerCase()).endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true)
                    .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                    .endOpenAPIV3Schema().endSchema().endVersion()
                    .endSpec().build();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    /**
     * The ingress gateway the examples' brokers select ({@code istio: ingressgateway} in {@code istio-system}), as an
     * Istio install has it: a pod and a Service with every port they need, so their prerequisite check finds it.
     */
    public static void installIngressGateway(KubernetesClient client) {
        Map<String, String> selector = Map.of("istio", "ingressgateway");
        client.resource(new PodBuilder().withNewMetadata().withName("istio-ingressgateway-0")
                .withNamespace("istio-system").withLabels(selector).endMetadata()
                .withNewSpec().addNewContainer().withName("istio-proxy").withImage("istio/proxyv2").endContainer()
                .endSpec().build()).create();
        ServiceBuilder svc = new ServiceBuilder().withNewMetadata().withName("istio-ingressgateway")
                .withNamespace("istio-system").endMetadata().withNewSpec().withSelector(selector).endSpec();
        for (int port : new int[] { 80, 443, 6651, 9093, 8883, 5671, 15021 }) {
            svc.editSpec().addNewPort().withName("port-" + port).withPort(port).endPort().endSpec();
        }
        client.resource(svc.build()).create();
    }
}
