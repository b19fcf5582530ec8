package io.pulsarmesh.operator.model.istio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.api.security.v1beta1.RuleBuilder;
import io.fabric8.istio.api.api.security.v1beta1.RuleFromBuilder;
import io.fabric8.istio.api.api.security.v1beta1.RuleToBuilder;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.DestinationRuleBuilder;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.AuthorizationPolicyBuilder;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.istio.api.security.v1.PeerAuthenticationBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pulsarmesh.operator.api.common.v1alpha1.AuthRule;
import io.pulsarmesh.operator.model.common.Meta;
import io.pulsarmesh.operator.model.common.Names;

/**
 * The mTLS and authorization objects of one group of pods (a component's StatefulSet or Deployment):
 *
 * <ul>
 * <li>a PeerAuthentication selecting the pods, STRICT or PERMISSIVE; none for {@code mtls.mode: none};</li>
 * <li>a DestinationRule with {@code ISTIO_MUTUAL} per Service of the pods (none for {@code mtls.mode: none});</li>
 * <li>an ALLOW AuthorizationPolicy made of the rules the component builds with {@link #rule}, plus the user's
 * {@code authRules}. ALLOW denies whatever no rule matches, so the policy admits exactly these flows.</li>
 * </ul>
 *
 * <p>All three carry the component's labels and an owner reference to its custom resource, under the name of the
 * pods' workload ({@code <name>-broker}: the name sn-operator users patch with {@code .*-broker$}).
 */
public final class IstioPolicies {
    private IstioPolicies() {
    }

    /**
     * PeerAuthentication, DestinationRules and AuthorizationPolicy of one group of pods; nothing when the component is
     * not in the mesh.
     */
    public static List<HasMetadata> objects(HasMetadata owner, String name, Map<String, String> labels,
            Map<String, String> selector, Collection<String> services, List<Rule> rules, Mesh mesh) {
        if (!mesh.enabled()) {
            return List.of();
        }
        List<HasMetadata> out = new ArrayList<>();
        PeerAuthentication pa = peerAuthentication(owner, name, labels, selector, mesh);
        if (pa != null) {
            out.add(pa);
        }
        out.addAll(destinationRules(owner, labels, services, mesh));
        out.add(authorizationPolicy(owner, name, labels, selector, rules, mesh));
        return out;
    }

    /** The PeerAuthentication of the pods, or {@code null} when the mode leaves mTLS to the namespace or mesh. */
    public static PeerAuthentication peerAuthentication(HasMetadata owner, String name, Map<String, String> labels,
            Map<String, String> selector, Mesh mesh) {
        if (mesh.mtls() == Mesh.Mtls.NONE) {
            return null;
        }
        // STRICT only once the pods run in the mesh (MeshEnrollment): until then pods joining it still take plain text.
        PeerAuthenticationMutualTLSMode mode = mesh.mtls() == Mesh.Mtls.STRICT && mesh.enrolled()
                ? PeerAuthenticationMutualTLSMode.STRICT
                : PeerAuthenticationMutualTLSMode.PERMISSIVE;
        return new PeerAuthenticationBuilder()
                .withMetadata(Meta.owned(owner, name, labels))
                .withNewSpec().withNewSelector().withMatchLabels(selector).endSelector()
                .withNewMtls().withMode(mode).endMtls().endSpec()
                .build();
    }

    /** One DestinationRule per Service: clients in the mesh always use Istio's mutual TLS towards it. */
    public static List<DestinationRule> destinationRules(HasMetadata owner, Map<String, String> labels,
            Collection<String> services, Mesh mesh) {
        if (mesh.mtls() == Mesh.Mtls.NONE || !mesh.enrolled()) {
            // Before the pods are enrolled, Istio's automatic mTLS picks plain text towards pods without a sidecar.
            return List.of();
        }
        String namespace = owner.getMetadata().getNamespace();
        List<DestinationRule> out = new ArrayList<>();
        for (String service : services) {
            out.add(new DestinationRuleBuilder()
                    .withMetadata(Meta.owned(owner, service, labels))
                    .withNewSpec().withHost(Names.serviceFqdn(service, namespace))
                    .withNewTrafficPolicy().withNewTls().withMode(ClientTLSSettingsTLSmode.ISTIO_MUTUAL).endTls()
                    .endTrafficPolicy().endSpec()
                    .build());
        }
        return out;
    }

    /** An ALLOW policy for the pods with the given rules, then the user's {@code authRules}. */
    public static AuthorizationPolicy authorizationPolicy(HasMetadata owner, String name, Map<String, String> labels,
            Map<String, String> selector, List<Rule> rules, Mesh mesh) {
        List<Rule> all = new ArrayList<>(rules);
        all.addAll(userRules(mesh.authRules()));
        return new AuthorizationPolicyBuilder()
                .withMetadata(Meta.owned(owner, name, labels))
                .withNewSpec().withNewSelector().withMatchLabels(selector).endSelector()
                .withAction(AuthorizationPolicyAction.ALLOW)
                .withRules(all).endSpec()
                .build();
    }

    /**
     * A rule admitting the given principals and namespaces (either may be empty; both empty admits any source) on the
     * given ports (sorted, as Istio wants strings).
     */
    public static Rule rule(Collection<String> principals, Collection<String> namespaces, Collection<Integer> ports) {
        RuleBuilder b = new RuleBuilder();
        if (!principals.isEmpty() || !namespaces.isEmpty()) {
            b.withFrom(new RuleFromBuilder().withNewSource()
                    .withPrincipals(principals.isEmpty() ? null : List.copyOf(new TreeSet<>(principals)))
                    .withNamespaces(namespaces.isEmpty() ? null : List.copyOf(new TreeSet<>(namespaces)))
                    .endSource().build());
        }
        b.withTo(new RuleToBuilder().withNewOperation().withPorts(portStrings(ports)).endOperation().build());
        return b.build();
    }

    /**
     * The rule for the component's clients inside the cluster: with STRICT mTLS the mesh workloads of the namespace
     * (the cluster's own components and its clients there); with PERMISSIVE or no managed mTLS any source, since
     * plain-text clients have no identity to check.
     */
    public static Rule peers(Mesh mesh, String namespace, Collection<Integer> ports) {
        return mesh.mtls() == Mesh.Mtls.STRICT ? rule(List.of(), List.of(namespace), ports)
                : rule(List.of(), List.of(), ports);
    }

    /** The operator's identity, on the given ports. */
    public static Rule operator(Mesh mesh, String operatorIdentity, Collection<Integer> ports) {
        return rule(List.of(principal(mesh, operatorIdentity)), List.of(), ports);
    }

    /** The metrics scrapers' identities on the metrics ports; no rule when none are configured. */
    public static List<Rule> scrapers(Mesh mesh, List<String> identities, Collection<Integer> ports) {
        if (identities == null || identities.isEmpty()) {
            return List.of();
        }
        return List.of(rule(identities.stream().map(id -> principal(mesh, id)).toList(), List.of(), ports));
    }

    /** {@code namespace/serviceAccount} as a principal of the mesh's trust domain. */
    public static String principal(Mesh mesh, String identity) {
        int slash = identity.indexOf('/');
        return slash < 0 ? mesh.principal("default", identity)
                : mesh.principal(identity.substring(0, slash), identity.substring(slash + 1));
    }

    /** The user's {@code authRules} as Istio rules: each source's principals and namespaces, each operation's ports. */
    static List<Rule> userRules(List<AuthRule> authRules) {
        List<Rule> out = new ArrayList<>();
        for (AuthRule r : authRules) {
            RuleBuilder b = new RuleBuilder();
            if (r.getFromSource() != null) {
                for (AuthRule.Source s : r.getFromSource()) {
                    b.addToFrom(new RuleFromBuilder().withNewSource()
                            .withPrincipals(s.getPrincipals() == null || s.getPrincipals().isEmpty() ? null : s.getPrincipals())
                            .withNamespaces(s.getNamespaces() == null || s.getNamespaces().isEmpty() ? null : s.getNamespaces())
                            .endSource().build());
                }
            }
            if (r.getToOperation() != null) {
                for (AuthRule.Operation o : r.getToOperation()) {
                    b.addToTo(new RuleToBuilder().withNewOperation()
                            .withPorts(o.getPorts() == null || o.getPorts().isEmpty() ? null : o.getPorts())
                            .endOperation().build());
                }
            }
            out.add(b.build());
        }
        return out;
    }

    static List<String> portStrings(Collection<Integer> ports) {
        return new TreeSet<>(ports).stream().map(String::valueOf).toList();
    }
}
