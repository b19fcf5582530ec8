package io.pulsarmesh.operator.migration;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.istio.api.api.security.v1beta1.Operation;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.api.security.v1beta1.RuleFrom;
import io.fabric8.istio.api.api.security.v1beta1.RuleTo;
import io.fabric8.istio.api.api.security.v1beta1.Source;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Settings in a cluster's namespace that the ambient data plane cannot honour; a migration to ambient refuses to
 * start (or to move on) while any exists, so nothing rolls into a mesh that would break it.
 *
 * <ul>
 * <li>A PeerAuthentication that disables mTLS ({@code DISABLE}, also per port): ambient always does mTLS.</li>
 * <li>An AuthorizationPolicy that selects workloads by labels (not attached to a waypoint with {@code targetRefs})
 * and uses layer-7 attributes (methods, paths, hosts, request principals, {@code when} conditions on the request):
 * ztunnel enforces
 * layer 4 only, and turns such a policy into deny-all.</li>
 * </ul>
 * The operator's own objects never do either; these checks find objects written by others.
 */
public final class AmbientRefusals {
    private AmbientRefusals() {
    }

    public static List<String> of(List<PeerAuthentication> peerAuthentications,
            List<AuthorizationPolicy> authorizationPolicies) {
        List<String> out = new ArrayList<>();
        for (PeerAuthentication pa : peerAuthentications) {
            if (pa.getSpec() == null) {
                continue;
            }
            boolean disables = pa.getSpec().getMtls() != null && pa.getSpec().getMtls().getMode() != null
                    && "DISABLE".equals(pa.getSpec().getMtls().getMode().name());
            if (pa.getSpec().getPortLevelMtls() != null) {
                disables |= pa.getSpec().getPortLevelMtls().values().stream()
                        .anyMatch(m -> m != null && m.getMode() != null && "DISABLE".equals(m.getMode().name()));
            }
            if (disables) {
                out.add("PeerAuthentication " + id(pa) + " disables mTLS, which ambient always uses (remove it or set "
                        + "PERMISSIVE)");
            }
        }
        for (AuthorizationPolicy ap : authorizationPolicies) {
            if (ap.getSpec() == null || ap.getSpec().getTargetRef() != null
                    || (ap.getSpec().getTargetRefs() != null && !ap.getSpec().getTargetRefs().isEmpty())) {
                continue;
            }
            if (ap.getSpec().getRules() != null && ap.getSpec().getRules().stream().anyMatch(AmbientRefusals::layer7)) {
                out.add("AuthorizationPolicy " + id(ap) + " uses layer-7 attributes without a waypoint, which ztunnel "
                        + "would enforce as deny-all (attach it to a waypoint with targetRefs, or keep to ports and "
                        + "principals)");
            }
        }
        return out;
    }

    static boolean layer7(Rule r) {
        // Conditions on the connection (source.ip, source.namespace, destination.port, connection.sni...) are layer 4
        // and ztunnel enforces them; those on the request (request.*, experimental.*) need a waypoint.
        if (r.getWhen() != null && r.getWhen().stream().anyMatch(c -> c.getKey() != null
                && (c.getKey().startsWith("request.") || c.getKey().startsWith("experimental.")))) {
            return true;
        }
        if (r.getTo() != null) {
            for (RuleTo to : r.getTo()) {
                Operation o = to.getOperation();
                if (o != null && (notEmpty(o.getMethods()) || notEmpty(o.getNotMethods()) || notEmpty(o.getPaths())
                        || notEmpty(o.getNotPaths()) || notEmpty(o.getHosts()) || notEmpty(o.getNotHosts()))) {
                    return true;
                }
            }
        }
        if (r.getFrom() != null) {
            for (RuleFrom from : r.getFrom()) {
                Source s = from.getSource();
                if (s != null && (notEmpty(s.getRequestPrincipals()) || notEmpty(s.getNotRequestPrincipals()))) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    static String id(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
}
