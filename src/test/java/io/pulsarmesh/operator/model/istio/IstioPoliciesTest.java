package io.pulsarmesh.operator.model.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.api.security.v1beta1.RuleFrom;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.pulsarmesh.operator.api.common.v1alpha1.AuthRule;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.common.Labels;

class IstioPoliciesTest {
    static final String NS = "ns1";
    static final Map<String, String> SELECTOR = Labels.selector(Labels.ZOOKEEPER, "z1");
    static final Map<String, String> LABELS = Labels.objectLabels(Labels.ZOOKEEPER, "z1", Map.of("team", "a"));

    static ZooKeeperCluster owner() {
        ZooKeeperCluster zk = new ZooKeeperCluster();
        zk.setMetadata(new ObjectMetaBuilder().withName("z1").withNamespace(NS).withUid("uid-z1").build());
        return zk;
    }

    static Mesh mesh(Mesh.Mtls mtls, String trustDomain, List<AuthRule> authRules) {
        return new Mesh(true, mtls, null, trustDomain, Mesh.Dataplane.SIDECAR, authRules, List.of());
    }

    static Mesh mesh(Mesh.Mtls mtls) {
        return mesh(mtls, "cluster.local", List.of());
    }

    static List<HasMetadata> objects(Mesh mesh, List<Rule> rules) {
        return IstioPolicies.objects(owner(), "z1-zk", LABELS, SELECTOR, List.of("z1-zk", "z1-zk-headless"), rules,
                mesh);
    }

    static List<String> kindsAndNames(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Principals, namespaces and ports of a rule, as one line (for compact assertions). */
    static String describe(Rule rule) {
        StringBuilder sb = new StringBuilder();
        for (RuleFrom f : orEmpty(rule.getFrom())) {
            sb.append("from");
            if (!orEmpty(f.getSource().getPrincipals()).isEmpty()) {
                sb.append(" principals=").append(f.getSource().getPrincipals());
            }
            if (!orEmpty(f.getSource().getNamespaces()).isEmpty()) {
                sb.append(" namespaces=").append(f.getSource().getNamespaces());
            }
            sb.append("; ");
        }
        sb.append("to ports=").append(rule.getTo().stream().map(t -> t.getOperation().getPorts()).toList());
        return sb.toString();
    }

    static AuthRule authRule(List<String> principals, List<String> namespaces, List<String> ports) {
        AuthRule.Source s = new AuthRule.Source();
        s.setPrincipals(principals);
        s.setNamespaces(namespaces);
        AuthRule.Operation op = new AuthRule.Operation();
        op.setPorts(ports);
        AuthRule r = new AuthRule();
        r.setFromSource(List.of(s));
        r.setToOperation(List.of(op));
        return r;
    }

    static void assertOwnedMetadata(HasMetadata o, String name) {
        assertEquals(name, o.getMetadata().getName(), o.getKind());
        assertEquals(NS, o.getMetadata().getNamespace(), o.getKind());
        assertEquals(LABELS, o.getMetadata().getLabels(), o.getKind());
        assertEquals(1, o.getMetadata().getOwnerReferences().size());
        OwnerReference ref = o.getMetadata().getOwnerReferences().get(0);
        assertEquals("ZooKeeperCluster", ref.getKind());
        assertEquals("zookeeper.streamnative.io/v1alpha1", ref.getApiVersion());
        assertEquals("z1", ref.getName());
        assertEquals("uid-z1", ref.getUid());
        assertTrue(ref.getController());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "STRICT, STRICT", "PERMISSIVE, PERMISSIVE" })
    void peerAuthenticationMode(Mesh.Mtls mode, PeerAuthenticationMutualTLSMode expected) {
        List<HasMetadata> objects = objects(mesh(mode), List.of());
        assertEquals(List.of("PeerAuthentication/z1-zk", "DestinationRule/z1-zk", "DestinationRule/z1-zk-headless",
                "AuthorizationPolicy/z1-zk"), kindsAndNames(objects));
        PeerAuthentication pa = (PeerAuthentication) objects.get(0);
        assertEquals("security.istio.io/v1", pa.getApiVersion());
        assertOwnedMetadata(pa, "z1-zk");
        assertEquals(expected, pa.getSpec().getMtls().getMode());
        assertEquals(SELECTOR, pa.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void mtlsNoneLeavesOnlyTheAuthorizationPolicy() {
        List<HasMetadata> objects = objects(mesh(Mesh.Mtls.NONE), List.of());
        assertEquals(List.of("AuthorizationPolicy/z1-zk"), kindsAndNames(objects));
        assertNull(IstioPolicies.peerAuthentication(owner(), "z1-zk", LABELS, SELECTOR, mesh(Mesh.Mtls.NONE)));
        assertEquals(List.of(), IstioPolicies.destinationRules(owner(), LABELS, List.of("z1-zk"), mesh(Mesh.Mtls.NONE)));
    }

    @Test
    void nothingOutOfTheMesh() {
        Mesh off = new Mesh(false, Mesh.Mtls.STRICT, null, "cluster.local", Mesh.Dataplane.SIDECAR,
                List.of(authRule(List.of("x"), List.of(), List.of("1"))), List.of());
        assertEquals(List.of(), objects(off, List.of(IstioPolicies.peers(off, NS, List.of(2181)))));
    }

    @Test
    void destinationRulePerServiceWithIstioMutual() {
        List<DestinationRule> rules = IstioPolicies.destinationRules(owner(), LABELS, List.of("z1-zk", "z1-zk-headless"),
                mesh(Mesh.Mtls.STRICT));
        assertEquals(2, rules.size());
        assertEquals("z1-zk.ns1.svc.cluster.local", rules.get(0).getSpec().getHost());
        assertEquals("z1-zk-headless.ns1.svc.cluster.local", rules.get(1).getSpec().getHost());
        for (DestinationRule dr : rules) {
            assertEquals("networking.istio.io/v1", dr.getApiVersion());
            assertEquals(ClientTLSSettingsTLSmode.ISTIO_MUTUAL, dr.getSpec().getTrafficPolicy().getTls().getMode());
        }
        assertOwnedMetadata(rules.get(0), "z1-zk");
        assertOwnedMetadata(rules.get(1), "z1-zk-headless");
        // PERMISSIVE only relaxes what the pods accept; clients in the mesh still use mTLS.
        assertEquals(2, IstioPolicies.destinationRules(owner(), LABELS, List.of("a", "b"), mesh(Mesh.Mtls.PERMISSIVE))
                .size());
    }

    @Test
    void authorizationPolicyAllowsWithTheComponentSelector() {
        Mesh mesh = mesh(Mesh.Mtls.STRICT);
        List<Rule> rules = List.of(IstioPolicies.peers(mesh, NS, List.of(2181)));
        AuthorizationPolicy ap = (AuthorizationPolicy) objects(mesh, rules).get(3);
        assertEquals("security.istio.io/v1", ap.getApiVersion());
        assertOwnedMetadata(ap, "z1-zk");
        assertEquals(AuthorizationPolicyAction.ALLOW, ap.getSpec().getAction());
        assertEquals(SELECTOR, ap.getSpec().getSelector().getMatchLabels());
        assertEquals(List.of("from namespaces=[ns1]; to ports=[[2181]]"),
                ap.getSpec().getRules().stream().map(IstioPoliciesTest::describe).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "STRICT     | from namespaces=[ns1]; to ports=[[2181, 8000]]",
            "PERMISSIVE | to ports=[[2181, 8000]]",
            "NONE       | to ports=[[2181, 8000]]",
    })
    void peersRuleBySourceNamespaceOnlyUnderStrict(Mesh.Mtls mode, String expected) {
        Rule peers = IstioPolicies.peers(mesh(mode), NS, List.of(8000, 2181));
        assertEquals(expected, describe(peers));
        if (mode != Mesh.Mtls.STRICT) {
            assertTrue(orEmpty(peers.getFrom()).isEmpty(), "no source at all: plain-text clients have no identity");
        }
    }

    @Test
    void operatorPrincipalUsesTheTrustDomain() {
        Mesh mesh = mesh(Mesh.Mtls.STRICT, "corp.example", List.of());
        assertEquals("from principals=[corp.example/ns/ops/sa/pulsar-operator]; to ports=[[2181]]",
                describe(IstioPolicies.operator(mesh, "ops/pulsar-operator", List.of(2181))));
        assertEquals("corp.example/ns/ops/sa/op", IstioPolicies.principal(mesh, "ops/op"));
        assertEquals("corp.example/ns/default/sa/op", IstioPolicies.principal(mesh, "op"),
                "an identity without namespace is in the default namespace");
        assertEquals("cluster.local/ns/pulsar-mesh-operator/sa/pulsar-mesh-operator",
                IstioPolicies.principal(mesh(Mesh.Mtls.STRICT), "pulsar-mesh-operator/pulsar-mesh-operator"));
    }

    @Test
    void portsAreSortedNumericallyAsUniqueStrings() {
        Rule r = IstioPolicies.rule(List.of("b", "a", "b"), List.of(), List.of(9990, 10000, 2181, 8000, 2181));
        assertEquals(List.of("2181", "8000", "9990", "10000"), r.getTo().get(0).getOperation().getPorts());
        assertEquals(List.of("a", "b"), r.getFrom().get(0).getSource().getPrincipals());
        assertTrue(orEmpty(r.getFrom().get(0).getSource().getNamespaces()).isEmpty());
    }

    @Test
    void ruleWithPrincipalsAndNamespacesInOneSource() {
        Rule r = IstioPolicies.rule(List.of("td/ns/x/sa/y"), List.of("ns2", "ns1"), List.of(1));
        assertEquals(1, r.getFrom().size());
        assertEquals("from principals=[td/ns/x/sa/y] namespaces=[ns1, ns2]; to ports=[[1]]", describe(r));
    }

    @Test
    void userAuthRulesComeAfterTheOperatorsRules() {
        AuthRule first = authRule(List.of("cluster.local/ns/apps/sa/producer"), null, List.of("6650", "8080"));
        AuthRule.Source second1 = new AuthRule.Source();
        second1.setNamespaces(List.of("monitoring"));
        AuthRule.Source second2 = new AuthRule.Source();
        second2.setPrincipals(List.of("cluster.local/ns/x/sa/y"));
        AuthRule second = new AuthRule();
        second.setFromSource(List.of(second1, second2));
        AuthRule.Operation op = new AuthRule.Operation();
        op.setPorts(List.of("8000"));
        second.setToOperation(List.of(op));
        Mesh mesh = mesh(Mesh.Mtls.STRICT, "cluster.local", List.of(first, second));

        List<Rule> own = List.of(IstioPolicies.peers(mesh, NS, List.of(2181)),
                IstioPolicies.operator(mesh, "op-ns/op", List.of(2181, 9990)));
        AuthorizationPolicy ap = IstioPolicies.authorizationPolicy(owner(), "z1-zk", LABELS, SELECTOR, own, mesh);
        assertEquals(List.of(
                "from namespaces=[ns1]; to ports=[[2181]]",
                "from principals=[cluster.local/ns/op-ns/sa/op]; to ports=[[2181, 9990]]",
                "from principals=[cluster.local/ns/apps/sa/producer]; to ports=[[6650, 8080]]",
                "from namespaces=[monitoring]; from principals=[cluster.local/ns/x/sa/y]; to ports=[[8000]]"),
                ap.getSpec().getRules().stream().map(IstioPoliciesTest::describe).toList());
    }

    @Test
    void userRuleWithoutSourceOrPorts() {
        AuthRule open = new AuthRule();
        AuthRule.Operation op = new AuthRule.Operation();
        op.setPorts(List.of("6650"));
        open.setToOperation(List.of(op));
        Mesh mesh = mesh(Mesh.Mtls.PERMISSIVE, "cluster.local", List.of(open));
        AuthorizationPolicy ap = IstioPolicies.authorizationPolicy(owner(), "z1-zk", LABELS, SELECTOR, List.of(), mesh);
        assertEquals(1, ap.getSpec().getRules().size());
        assertEquals("to ports=[[6650]]", describe(ap.getSpec().getRules().get(0)));
    }
}
