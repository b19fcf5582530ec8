package io.pulsarmesh.operator.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.pulsarmesh.operator.model.common.ModelSettings;

/** Operator-wide settings ({@code pulsar.operator.*}, or {@code PULSAR_OPERATOR_*} environment variables). */
@ConfigMapping(prefix = "pulsar.operator")
public interface OperatorConfig {
    /** Image of components whose spec names none. */
    @WithDefault(ModelSettings.DEFAULT_IMAGE)
    String defaultImage();

    /**
     * Group that owns mounted volumes when a component sets no pod security context: a group id, or {@code none} (or
     * empty) on OpenShift, whose restricted-v2 constraint assigns a group per namespace and refuses a fixed one.
     */
    @WithDefault("0")
    Optional<String> podFsGroup();

    /** {@link #podFsGroup()} as a group id; {@code null} for {@code none} or empty. */
    static Long fsGroup(Optional<String> value) {
        String v = value.map(String::strip).orElse("");
        if (v.isEmpty() || v.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            return Long.valueOf(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pulsar.operator.pod-fs-group must be a group id or none, not: " + v, e);
        }
    }

    /** Istio identities the operator's authorization policies admit. */
    Istio istio();

    /** The sidecar to ambient migration. */
    Migration migration();

    /** Leader election between operator replicas. */
    LeaderElection leaderElection();

    /** Status writes. */
    Status status();

    interface Status {
        /**
         * At least this long between two status writes of a custom resource that only report progress (pod counts,
         * which components are ready yet); a change of state (the Ready condition's status or reason, any other field)
         * is written at once. {@code 0s} writes every change at once.
         */
        @WithDefault("5s")
        java.time.Duration progressInterval();
    }

    interface LeaderElection {
        /**
         * Replicas elect a leader through a Lease; only the leader reconciles, the others keep their caches warm and
         * take over when its lease runs out. Switch it off only for a single replica outside the cluster.
         */
        @WithDefault("true")
        boolean enabled();

        /** Name of the Lease. */
        @WithDefault("pulsar-mesh-operator-lease")
        String leaseName();

        /**
         * Namespace of the Lease: by default the operator's own (in a pod) or the current kubeconfig context's. A
         * replica run outside the cluster must name the installed operator's namespace to compete with it.
         */
        Optional<String> leaseNamespace();

        /** How long a lease holds without renewal; the time a standby waits before taking over a vanished leader. */
        @WithDefault("15s")
        java.time.Duration leaseDuration();

        /** The leader gives up if it cannot renew within this time. */
        @WithDefault("10s")
        java.time.Duration renewDeadline();

        /** How often candidates try to acquire or renew. */
        @WithDefault("2s")
        java.time.Duration retryPeriod();
    }

    interface Migration {
        /** A component not verified on its new data plane this long after it was switched makes the migration Stalled. */
        @WithDefault("10m")
        java.time.Duration stallTimeout();

        /** The ztunnel DaemonSet ({@code namespace/name}) that must be present and ready before anything moves to ambient. */
        @WithDefault("istio-system/ztunnel")
        String ztunnel();

        /** How often the coordinator looks again while a migration is under way. */
        @WithDefault("10s")
        java.time.Duration pollInterval();
    }

    default ModelSettings modelSettings() {
        return new ModelSettings(defaultImage(), fsGroup(podFsGroup()),
                new ModelSettings.MeshIdentities(istio().operatorIdentity(), istio().ingressGatewayIdentities(),
                        istio().metricsScraperIdentities().orElse(java.util.List.of())));
    }

    interface Istio {
        /**
         * The operator's own service account as {@code namespace/name}: admitted on every component port, so leader
         * checks and readiness calls work under STRICT mTLS when the operator is in the mesh.
         */
        @WithDefault(ModelSettings.MeshIdentities.DEFAULT_OPERATOR)
        String operatorIdentity();

        /** Service accounts ({@code namespace/name}) of the ingress gateways admitted on the brokers' gateway ports. */
        @WithDefault(ModelSettings.MeshIdentities.DEFAULT_INGRESS_GATEWAY)
        java.util.List<String> ingressGatewayIdentities();

        /**
         * Service accounts ({@code namespace/name}) of metrics scrapers admitted on the components' metrics ports, for
         * a Prometheus in the mesh that scrapes pods directly. Istio's metrics merging (the default) needs none.
         */
        java.util.Optional<java.util.List<String>> metricsScraperIdentities();

        /** How often to look for the Istio APIs again while the cluster does not serve them. */
        @WithDefault("30s")
        java.time.Duration discoveryInterval();
    }
}
