package io.pulsarmesh.operator.artifact;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * How the packaged operator ends, with leader election on as in production: on {@code SIGTERM} (a pod deleted, a
 * rolling update of the operator) it stops within seconds, far inside the pod's 30 s grace period; a leader that can no
 * longer renew its Lease exits with code 1, so that its pod restarts as a standby.
 */
class ShutdownIT {
    static final String LEASE = "pulsar-mesh-operator-lease";
    static final Duration GRACE = Duration.ofSeconds(30);

    MockApiServer resource;
    ApiServer api;
    Map<String, String> serverProperties;
    LaunchedOperator operator;

    @BeforeEach
    void startServer() {
        resource = new MockApiServer();
        serverProperties = resource.start();
        api = resource.apiServer();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (operator != null) {
            operator.close();
        }
        resource.stop();
    }

    @Test
    void aSigtermedLeaderStopsWithinSeconds() throws Exception {
        operator = LaunchedOperator.start(serverProperties, List.of(), "shutdown-it").awaitReady();
        awaitLeading();

        long t0 = System.nanoTime();
        operator.process.destroy(); // SIGTERM, as the kubelet sends it
        boolean exited = operator.process.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(exited, "still running " + GRACE + " after SIGTERM (the kubelet would kill it); see " + operator.log);
        assertTrue(seconds < 10, "took " + seconds + " s to stop after SIGTERM; see " + operator.log);
        assertEquals(143, operator.process.exitValue(), "the exit code of a process ended by SIGTERM; see " + operator.log);
        String out = Files.readString(operator.log);
        assertTrue(out.contains("is shutting down"), "the operator SDK's orderly stop is in the log: " + operator.log);
    }

    @Test
    void aLeaderThatCannotRenewItsLeaseExitsWithCodeOne() throws Exception {
        operator = LaunchedOperator.start(serverProperties, List.of(
                "-Dpulsar.operator.leader-election.lease-duration=4s",
                "-Dpulsar.operator.leader-election.renew-deadline=3s",
                "-Dpulsar.operator.leader-election.retry-period=1s"), "shutdown-it").awaitReady();
        awaitLeading();

        // Every renewal fails from now on (the API server is unreachable for the lease, or another writer won it).
        api.faults().fail("PUT", "/leases/" + LEASE, 503, "ServiceUnavailable", Integer.MAX_VALUE);
        api.faults().fail("PATCH", "/leases/" + LEASE, 503, "ServiceUnavailable", Integer.MAX_VALUE);
        boolean exited = operator.process.waitFor(30, TimeUnit.SECONDS);
        assertTrue(exited, "a leader that cannot renew its lease keeps running; see " + operator.log);
        assertEquals(1, operator.process.exitValue(), "see " + operator.log);
        assertTrue(Files.readString(operator.log).contains("No longer the leader"), "the reason is in the log: "
                + operator.log);
    }

    void awaitLeading() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Lease lease = api.client().leases().inNamespace(MockApiServer.LEASE_NAMESPACE).withName(LEASE).get();
            return lease != null && lease.getSpec().getHolderIdentity() != null;
        });
    }
}
