package io.pulsarmesh.operator.model.istio;

import java.util.List;
import java.util.Locale;

import io.pulsarmesh.operator.api.common.v1alpha1.AuthRule;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioGateway;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.MtlsSpec;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.CoordinatorIstio;

/**
 * The Istio settings a component actually runs with: its own {@code spec.istio}, with {@code revision},
 * {@code trustDomain} and {@code mtls.mode} that it leaves unset taken from its coordinator, then from the built-in
 * defaults (no revision label, {@code cluster.local}, {@code strict}). The data plane is the component's own
 * {@code dataplaneMode} (default sidecar), which a coordinator writes when its migration reaches the component.
 *
 * @param enabled the component's pods join the mesh and get Istio policies
 * @param mtls mutual TLS mode
 * @param revision control-plane revision for {@code istio.io/rev}; {@code null} when the default one injects
 * @param trustDomain trust domain of workload identities
 * @param dataplane sidecar or ambient
 * @param authRules the user's extra ALLOW rules
 * @param gateways the ingress gateways requested ({@code gateways}, else {@code gateway}); empty when none
 * @param enrolled the component's pods already run in the mesh ({@link MeshEnrollment}); until they do, STRICT is
 *        relaxed to PERMISSIVE and no DestinationRule forces mTLS, so pods joining one by one keep talking to those
 *        not yet in the mesh
 */
public record Mesh(boolean enabled, Mtls mtls, String revision, String trustDomain, Dataplane dataplane,
        List<AuthRule> authRules, List<IstioGateway> gateways, boolean enrolled) {

    /** Settings whose pods are taken as enrolled (desired state in the steady mesh). */
    public Mesh(boolean enabled, Mtls mtls, String revision, String trustDomain, Dataplane dataplane,
            List<AuthRule> authRules, List<IstioGateway> gateways) {
        this(enabled, mtls, revision, trustDomain, dataplane, authRules, gateways, true);
    }

    /** The same settings with the observed enrolment of the component's pods. */
    public Mesh withEnrolled(boolean podsEnrolled) {
        return new Mesh(enabled, mtls, revision, trustDomain, dataplane, authRules, gateways, podsEnrolled);
    }

    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
    public static final String DEFAULT_REVISION = "default";

    /** Mutual TLS of a component's inbound traffic. */
    public enum Mtls {
        /** Only mTLS from mesh workloads: PeerAuthentication STRICT. */
        STRICT,
        /** mTLS and plain text: PeerAuthentication PERMISSIVE. */
        PERMISSIVE,
        /**
         * The operator does not manage mTLS for the component: no PeerAuthentication and no DestinationRule, so the
         * namespace's or the mesh's own policy applies (valid in ambient too, where mTLS cannot be disabled).
         */
        NONE
    }

    /** How pods join the mesh. */
    public enum Dataplane {
        SIDECAR,
        AMBIENT
    }

    /** Out of the mesh. */
    public static final Mesh OFF = new Mesh(false, Mtls.STRICT, null, DEFAULT_TRUST_DOMAIN, Dataplane.SIDECAR,
            List.of(), List.of());

    /** A component's mesh without a coordinator. */
    public static Mesh of(IstioSpec own) {
        return resolve(own, null);
    }

    /** A component's mesh: its own values first, then its coordinator's ({@code null} when it has none). */
    public static Mesh resolve(IstioSpec own, CoordinatorIstio coordinator) {
        IstioSpec o = own != null ? own : new IstioSpec();
        CoordinatorIstio c = coordinator != null ? coordinator : new CoordinatorIstio();
        boolean enabled = Boolean.TRUE.equals(o.getEnabled());
        String mode = first(mode(o.getMtls()), mode(c.getMtls()), "strict");
        String revision = first(o.getRevision(), c.getRevision(), null);
        if (revision != null && (revision.isBlank() || DEFAULT_REVISION.equals(revision))) {
            revision = null;
        }
        String trustDomain = first(o.getTrustDomain(), c.getTrustDomain(), DEFAULT_TRUST_DOMAIN);
        // The data plane is the component's own: a coordinator does not lend it as a default but writes it into each
        // component when its migration reaches it, so the components never switch all at once.
        String dataplane = first(o.getDataplaneMode(), null, "sidecar");
        List<IstioGateway> gateways = o.getGateways() != null && !o.getGateways().isEmpty() ? o.getGateways()
                : o.getGateway() != null ? List.of(o.getGateway()) : List.of();
        return new Mesh(enabled, Mtls.valueOf(mode.toUpperCase(Locale.ROOT)), revision, trustDomain,
                Dataplane.valueOf(dataplane.toUpperCase(Locale.ROOT)),
                o.getAuthRules() != null ? o.getAuthRules() : List.of(), gateways);
    }

    /** A data plane from its spelling in a spec ({@code null} or blank: sidecar). */
    public static Dataplane dataplane(String value) {
        return value == null || value.isBlank() ? Dataplane.SIDECAR : Dataplane.valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The single gateway the broker exposes, or {@code null}. */
    public IstioGateway gateway() {
        return enabled && !gateways.isEmpty() ? gateways.get(0) : null;
    }

    /** {@code <trustDomain>/ns/<namespace>/sa/<serviceAccount>}, the identity Istio gives a workload. */
    public String principal(String namespace, String serviceAccount) {
        return trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    private static String mode(MtlsSpec m) {
        return m != null ? m.getMode() : null;
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return fallback;
    }
}
