package io.pulsarmesh.operator.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.fabric8.istio.api.api.security.v1beta1.ConditionBuilder;
import io.fabric8.istio.api.api.security.v1beta1.OperationBuilder;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSBuilder;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.api.security.v1beta1.RuleBuilder;
import io.fabric8.istio.api.api.security.v1beta1.RuleFromBuilder;
import io.fabric8.istio.api.api.security.v1beta1.RuleToBuilder;
import io.fabric8.istio.api.api.security.v1beta1.SourceBuilder;
import io.fabric8.istio.api.api.type.v1beta1.PolicyTargetReferenceBuilder;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.AuthorizationPolicyBuilder;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.istio.api.security.v1.PeerAuthenticationBuilder;

/** Settings ambient cannot honour are found, named, and nothing else is. */
class AmbientRefusalsTest {
    static final String NS = "pulsar";

    static PeerAuthentication pa(String name, PeerAuthenticationMutualTLSMode mode, String port,
            PeerAuthenticationMutualTLSMode portMode) {
        var spec = new PeerAuthenticationBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec();
        if (mode != null) {
            spec.withNewMtls().withMode(mode).endMtls();
        }
        if (port != null) {
            spec.addToPortLevelMtls(port, new PeerAuthenticationMutualTLSBuilder().withMode(portMode).build());
        }
        return spec.endSpec().build();
    }

    static AuthorizationPolicy ap(String name, Rule... rules) {
        return new AuthorizationPolicyBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "pulsar").endSelector().withRules(rules)
                .endSpec().build();
    }

    static Rule to(UnaryOperator<OperationBuilder> op) {
        return new RuleBuilder().withTo(new RuleToBuilder().withOperation(op.apply(new OperationBuilder()).build()).build())
                .build();
    }

    static Rule from(UnaryOperator<SourceBuilder> source) {
        return new RuleBuilder().withFrom(new RuleFromBuilder().withSource(source.apply(new SourceBuilder()).build()).build())
                .build();
    }

    static List<String> refusals(List<PeerAuthentication> pas, List<AuthorizationPolicy> aps) {
        return AmbientRefusals.of(pas, aps);
    }

    @Test
    void peerAuthenticationDisablingMtlsIsRefusedAndNamed() {
        List<String> r = refusals(List.of(pa("plain", PeerAuthenticationMutualTLSMode.DISABLE, null, null)), List.of());
        assertEquals(1, r.size(), r.toString());
        assertTrue(r.get(0).startsWith("PeerAuthentication pulsar/plain disables mTLS"), r.get(0));
    }

    @Test
    void peerAuthenticationDisablingMtlsOnOnePortIsRefused() {
        List<String> r = refusals(List.of(pa("port", PeerAuthenticationMutualTLSMode.STRICT, "8000",
                PeerAuthenticationMutualTLSMode.DISABLE)), List.of());
        assertEquals(1, r.size(), r.toString());
        assertTrue(r.get(0).contains("pulsar/port"), r.get(0));
        // Only the port disables it, the workload level is unset.
        assertEquals(1, refusals(List.of(pa("port-only", null, "2181", PeerAuthenticationMutualTLSMode.DISABLE)),
                List.of()).size());
    }

    @Test
    void peerAuthenticationsThatKeepMtlsAreAccepted() {
        assertEquals(List.of(), refusals(List.of(
                pa("permissive", PeerAuthenticationMutualTLSMode.PERMISSIVE, null, null),
                pa("strict", PeerAuthenticationMutualTLSMode.STRICT, "8080", PeerAuthenticationMutualTLSMode.PERMISSIVE),
                pa("unset", PeerAuthenticationMutualTLSMode.UNSET, null, null),
                pa("empty", null, null, null),
                new PeerAuthenticationBuilder().withNewMetadata().withName("nospec").withNamespace(NS).endMetadata()
                        .build()),
                List.of()));
    }

    @Test
    void everyLayer7AttributeWithoutAWaypointIsRefused() {
        List<Rule> layer7 = List.of(
                to(o -> o.withMethods("GET")),
                to(o -> o.withNotMethods("DELETE")),
                to(o -> o.withPaths("/admin/*")),
                to(o -> o.withNotPaths("/metrics")),
                to(o -> o.withHosts("pulsar.example.com")),
                to(o -> o.withNotHosts("evil.example.com")),
                from(s -> s.withRequestPrincipals("issuer/subject")),
                from(s -> s.withNotRequestPrincipals("*")),
                new RuleBuilder().withWhen(new ConditionBuilder().withKey("request.headers[x-tenant]")
                        .withValues("public").build()).build());
        for (Rule rule : layer7) {
            List<String> r = refusals(List.of(), List.of(ap("l7", rule)));
            assertEquals(1, r.size(), "not refused: " + rule);
            assertTrue(r.get(0).startsWith("AuthorizationPolicy pulsar/l7 uses layer-7 attributes"), r.get(0));
        }
        // Conditions on the connection are layer 4: ztunnel enforces them.
        for (String key : List.of("source.ip", "source.namespace", "source.principal", "destination.port",
                "connection.sni")) {
            assertEquals(List.of(), refusals(List.of(), List.of(ap("l4", new RuleBuilder().withWhen(
                    new ConditionBuilder().withKey(key).withValues("x").build()).build()))), key);
        }
        // One layer-7 rule among layer-4 ones is enough.
        assertEquals(1, refusals(List.of(), List.of(ap("mixed", to(o -> o.withPorts("6650")),
                to(o -> o.withPorts("8080").withPaths("/admin/*"))))).size());
    }

    @Test
    void layer7PoliciesAttachedToAWaypointAreLeftAlone() {
        AuthorizationPolicy targetRefs = new AuthorizationPolicyBuilder(ap("waypoint", to(o -> o.withMethods("GET"))))
                .editSpec().withSelector(null).withTargetRefs(new PolicyTargetReferenceBuilder()
                        .withGroup("gateway.networking.k8s.io").withKind("Gateway").withName("waypoint").build())
                .endSpec().build();
        AuthorizationPolicy targetRef = new AuthorizationPolicyBuilder(ap("waypoint-one", to(o -> o.withPaths("/"))))
                .editSpec().withSelector(null).withTargetRef(new PolicyTargetReferenceBuilder()
                        .withGroup("gateway.networking.k8s.io").withKind("Gateway").withName("waypoint").build())
                .endSpec().build();
        assertEquals(List.of(), refusals(List.of(), List.of(targetRefs, targetRef)));
    }

    @Test
    void layer4PoliciesAreAccepted() {
        assertEquals(List.of(), refusals(List.of(), List.of(
                ap("ports", to(o -> o.withPorts("6650", "8080"))),
                ap("principals", from(s -> s.withPrincipals("cluster.local/ns/pulsar/sa/broker")
                        .withNamespaces("pulsar").withIpBlocks("10.0.0.0/8"))),
                ap("empty-rules"),
                ap("allow-all", new RuleBuilder().build()),
                new AuthorizationPolicyBuilder().withNewMetadata().withName("nospec").withNamespace(NS).endMetadata()
                        .build())));
    }

    @Test
    void everyOffenderIsListedPeerAuthenticationsFirst() {
        List<String> r = refusals(List.of(pa("a", PeerAuthenticationMutualTLSMode.DISABLE, null, null),
                pa("b", PeerAuthenticationMutualTLSMode.STRICT, null, null)),
                List.of(ap("c", to(o -> o.withMethods("GET"))), ap("d", to(o -> o.withPorts("80")))));
        assertEquals(2, r.size(), r.toString());
        assertTrue(r.get(0).contains("pulsar/a"), r.get(0));
        assertTrue(r.get(1).contains("pulsar/c"), r.get(1));
    }
}
