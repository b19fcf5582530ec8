package io.pulsarmesh.operator.config;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * The operator's leader election (a {@code coordination.k8s.io} Lease), which the operator SDK extension looks up in
 * the prod profile. Replicas that are not leader start their informers (they are ready) and reconcile nothing; a
 * leader that cannot renew its lease exits, and its pod restarts as a standby. {@code null} switches it off.
 */
public class LeaderElectionProducer {
    private static final Logger LOG = Logger.getLogger(LeaderElectionProducer.class);

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        return configuration(config.leaderElection());
    }

    static LeaderElectionConfiguration configuration(OperatorConfig.LeaderElection le) {
        if (!le.enabled()) {
            LOG.info("Leader election is off: run a single replica");
            return null;
        }
        String identity = System.getenv("POD_NAME");
        return new LeaderElectionConfiguration(le.leaseName(), le.leaseNamespace().orElse(null), le.leaseDuration(),
                le.renewDeadline(), le.retryPeriod(), identity != null && !identity.isBlank() ? identity : null, null,
                true);
    }
}
