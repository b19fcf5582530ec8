package io.pulsarmesh.operator.config;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * The operator's leader election (a {@code coordination.k8s.io} Lease), which the operator SDK extension looks up in
 * the prod profile. Replicas that are not leader start their informers (they are ready) and reconcile nothing; a
 * leader that cannot renew its lease exits, and its pod restarts as a standby. {@code null} switches it off.
 *
 * <p>The operator SDK's own exit on losing the lease is off: it calls {@link System#exit} from the callback, and the
 * callback also runs when the operator stops on {@code SIGTERM}, inside the JVM's shutdown, where {@code System.exit}
 * blocks for good; the pod then hangs until it is killed at the end of its grace period. Instead the exit happens on
 * a thread of its own ({@link #exitOnLostLease}): when the lease is lost while running, the JVM shuts down as usual
 * (hooks run, exit code 1); during a shutdown that is already under way, that thread waits and the shutdown goes on.
 */
public class LeaderElectionProducer {
    private static final Logger LOG = Logger.getLogger(LeaderElectionProducer.class);

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        return configuration(config.leaderElection(), LeaderElectionProducer::exitOnLostLease);
    }

    static LeaderElectionConfiguration configuration(OperatorConfig.LeaderElection le, Runnable onStopLeading) {
        if (!le.enabled()) {
            LOG.info("Leader election is off: run a single replica");
            return null;
        }
        String identity = System.getenv("POD_NAME");
        return new LeaderElectionConfiguration(le.leaseName(), le.leaseNamespace().orElse(null), le.leaseDuration(),
                le.renewDeadline(), le.retryPeriod(), identity != null && !identity.isBlank() ? identity : null,
                new LeaderCallbacks(() -> {
                }, onStopLeading, leader -> {
                }), false);
    }

    /** Ends the process with code 1 from a thread of its own (see the class comment). */
    static void exitOnLostLease() {
        Thread exit = new Thread(() -> {
            LOG.info("No longer the leader: exiting, to restart as a standby (nothing happens if the operator is "
                    + "already stopping)");
            System.exit(1);
        }, "leader-election-exit");
        exit.setDaemon(true);
        exit.start();
    }
}
