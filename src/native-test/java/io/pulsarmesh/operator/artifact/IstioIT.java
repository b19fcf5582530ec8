package io.pulsarmesh.operator.artifact;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequestBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.controller.ComponentReconciler;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.pulsarmesh.operator.testsupport.IstioCrds;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged operator reads and writes Istio's objects: on an API server that serves Istio's APIs (stand-in CRDs
 * with Istio's groups, versions and kinds) it writes for the Istio example exactly the policies and routes
 * {@code render} computes, repairs a VirtualService that was changed or deleted, and leaves alone one it does not
 * control. Repair and the refusal need the operator's VirtualService informer to read VirtualServices, whose one-of
 * fields ({@code Is*} types) fabric8 deserializes through {@code UnwrappedTypeResolverBuilder}: on the native
 * executable that fails unless the type is registered for reflection (quarkus#54736).
 */
@QuarkusIntegrationTest
@WithTestResource(value = MockApiServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioIT {
    static final String NS = "pulsar";
    static final String NAME = "private-cloud";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("PeerAuthentication", PeerAuthentication.class,
            "AuthorizationPolicy", AuthorizationPolicy.class, "DestinationRule", DestinationRule.class, "Gateway",
            Gateway.class, "VirtualService", VirtualService.class, "ServiceEntry", ServiceEntry.class);

    ApiServer api;
    KubernetesClient client;
    FakeWorkloadController workloads;

    @AfterAll
    void stopWorkloads() {
        if (workloads != null) {
            workloads.close();
        }
    }

    @Test
    @Order(1)
    void theIstioExampleGetsExactlyTheRenderedIstioObjects() {
        client = api.client();
        IstioCrds.install(client);
        workloads = new FakeWorkloadController(client).start();
        for (Render.Loaded l : Render.load(Manifests.ISTIO_EXAMPLE, NS)) {
            client.resource(l.resource()).create();
        }
        List<JsonNode> rendered = Manifests.parse(Manifests.renderHere("-f", Manifests.ISTIO_EXAMPLE.toString()))
                .stream().filter(d -> KINDS.containsKey(d.path("kind").asText())).toList();
        assertEquals(23, rendered.size());
        // STRICT mTLS and the DestinationRules follow once the pods have rolled into the mesh.
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(Manifests.keys(rendered), istioKeys()));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (JsonNode expected : rendered) {
                HasMetadata actual = client.resources(KINDS.get(expected.path("kind").asText())).inNamespace(NS)
                        .withName(expected.path("metadata").path("name").asText()).get();
                assertEquals(expected.path("spec"), tree(actual).path("spec"), Manifests.keys(List.of(expected)).toString());
            }
        });
        for (Class<? extends HasMetadata> kind : KINDS.values()) {
            for (HasMetadata o : client.resources(kind).inNamespace(NS).list().getItems()) {
                assertEquals(1, o.getMetadata().getOwnerReferences().size(), o.getMetadata().getName());
                assertTrue(o.getMetadata().getOwnerReferences().get(0).getController(), o.getMetadata().getName());
            }
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PulsarBroker broker = broker();
            assertNotNull(broker.getStatus(), "broker status");
            assertTrue(Conditions.isTrue(broker.getStatus().getConditions(), Conditions.READY), broker.getStatus().toString());
        });
        assertEquals("pulsar+ssl://pulsar.example.com:6651",
                broker().getStatus().getServiceEndpoints().getExternal().getPulsarServiceURL());
        // From here on nothing but the test changes the cluster: what the operator does next, its informers saw.
        workloads.close();
    }

    @Test
    @Order(2)
    void aChangedVirtualServiceIsRepaired() {
        VirtualService before = vs(NAME + "-broker");
        JsonNode desired = tree(before).path("spec");
        VirtualService changed = update(VirtualService.class, NAME + "-broker", vs -> {
            vs.getSpec().getTcp().get(0).getRoute().get(0).getDestination().getPort().setNumber(9999L);
            vs.getSpec().getHttp().get(0).getMatch().add(new HTTPMatchRequestBuilder()
                    .withUri(new StringMatchBuilder().withMatchType(new StringMatchPrefix("/admin")).build()).build());
        });
        assertNotEquals(desired, tree(changed).path("spec"), "the change was stored");
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(desired, tree(vs(NAME + "-broker")).path("spec")));
    }

    @Test
    @Order(3)
    void aDeletedVirtualServiceIsWrittenAgain() {
        VirtualService before = vs(NAME + "-broker-1");
        client.resource(before).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            VirtualService again = vs(NAME + "-broker-1");
            assertNotNull(again, "recreated");
            assertNotEquals(before.getMetadata().getUid(), again.getMetadata().getUid());
            assertEquals(tree(before).path("spec"), tree(again).path("spec"));
        });
    }

    @Test
    @Order(4)
    void aVirtualServiceItDoesNotControlIsLeftAloneAndReported() {
        PulsarBroker broker = broker();
        // Named like the route of a third broker, referring to the broker without controlling it, and with a one-of
        // match (StringMatch prefix) the operator's informer must read.
        VirtualService foreign = new VirtualServiceBuilder().withNewMetadata().withName(NAME + "-broker-2")
                .withNamespace(NS).withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.COMPONENT, "broker"))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(broker.getApiVersion())
                        .withKind(broker.getKind()).withName(NAME).withUid(broker.getMetadata().getUid())
                        .withController(false).build())
                .endMetadata()
                .withNewSpec().withHosts("other.example.com")
                .addNewHttp().addToMatch(new HTTPMatchRequestBuilder()
                        .withUri(new StringMatchBuilder().withMatchType(new StringMatchPrefix("/other")).build()).build())
                .addNewRoute().withNewDestination().withHost("other.svc.cluster.local").endDestination().endRoute()
                .endHttp().endSpec().build();
        client.resource(foreign).create();
        JsonNode foreignSpec = tree(vs(NAME + "-broker-2")).path("spec");

        update(PulsarBroker.class, NAME, b -> b.getSpec().setReplicas(3));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = Conditions.find(broker().getStatus().getConditions(), Conditions.READY)
                    .orElseThrow(AssertionError::new);
            assertEquals(ComponentReconciler.REASON_NAME_CONFLICT, ready.getReason(), ready.toString());
            assertTrue(ready.getMessage().contains("VirtualService/" + NAME + "-broker-2"), ready.getMessage());
        });
        VirtualService after = vs(NAME + "-broker-2");
        assertEquals(foreignSpec, tree(after).path("spec"), "left as it was");
        assertEquals("/other", ((StringMatchPrefix) after.getSpec().getHttp().get(0).getMatch().get(0).getUri()
                .getMatchType()).getPrefix());
        assertTrue(!after.getMetadata().getOwnerReferences().get(0).getController());

        // Once it is gone the operator writes its own route for the third broker.
        client.resource(after).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            VirtualService own = vs(NAME + "-broker-2");
            assertNotNull(own);
            assertTrue(own.getMetadata().getOwnerReferences().get(0).getController());
            assertEquals(List.of("pb2-pulsar.example.com"), own.getSpec().getHosts());
        });
    }

    TreeSet<String> istioKeys() {
        return KINDS.entrySet().stream().flatMap(e -> client.resources(e.getValue()).inNamespace(NS).list().getItems()
                .stream().map(o -> e.getKey() + "/" + o.getMetadata().getName()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    VirtualService vs(String name) {
        return client.resources(VirtualService.class).inNamespace(NS).withName(name).get();
    }

    PulsarBroker broker() {
        return client.resources(PulsarBroker.class).inNamespace(NS).withName(NAME).get();
    }

    JsonNode tree(Object o) {
        return Http.json(client.getKubernetesSerialization().asJson(o));
    }

    /** An edit as a user makes it: on a conflict with the operator's writes, read again and retry. Returns what was stored. */
    <T extends HasMetadata> T update(Class<T> kind, String name, Consumer<T> change) {
        List<T> stored = new java.util.ArrayList<>();
        await().atMost(TIMEOUT).ignoreException(KubernetesClientException.class).until(() -> {
            T current = client.resources(kind).inNamespace(NS).withName(name).get();
            change.accept(current);
            stored.add(client.resource(current).update());
            return true;
        });
        return stored.get(0);
    }
}
