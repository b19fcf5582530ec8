package io.pulsarmesh.operator.artifact;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * How the packaged operator ends, with leader election on as in production: on {@code SIGTERM} (a pod deleted, a
 * rolling update of the operator) it stops within seconds, far inside the pod's 30 s grace period; a leader that can no
 * longer renew its Lease exits with code 1, so that its pod restarts as a standby.
 *
 * <p>The process is launched here, not by Quarkus' test launcher, because the test must signal it and read its exit
 * code: the artifact the build packaged ({@code target/quarkus-artifact.properties}: the JVM jar, or the native
 * executable with {@code -Pnative}), with the same settings {@link MockApiServer} gives the other tests.
 */
class ShutdownIT {
    static final String LEASE = "pulsar-mesh-operator-lease";
    static final Duration GRACE = Duration.ofSeconds(30);

    MockApiServer resource;
    ApiServer api;
    Process operator;
    Path log;

    @BeforeEach
    void startServer() {
        resource = new MockApiServer();
        Map<String, String> props = resource.start();
        api = resource.apiServer();
        serverProperties = props;
    }

    Map<String, String> serverProperties;

    @AfterEach
    void stop() throws InterruptedException {
        if (operator != null && operator.isAlive()) {
            operator.destroyForcibly();
            operator.waitFor(10, TimeUnit.SECONDS);
        }
        resource.stop();
    }

    @Test
    void aSigtermedLeaderStopsWithinSeconds() throws Exception {
        int port = launch(List.of());
        awaitReadyAndLeading(port);

        long t0 = System.nanoTime();
        operator.destroy(); // SIGTERM, as the kubelet sends it
        boolean exited = operator.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(exited, "still running " + GRACE + " after SIGTERM (the kubelet would kill it); see " + log);
        assertTrue(seconds < 10, "took " + seconds + " s to stop after SIGTERM; see " + log);
        assertEquals(143, operator.exitValue(), "the exit code of a process ended by SIGTERM; see " + log);
        String out = Files.readString(log);
        assertTrue(out.contains("is shutting down"), "the operator SDK's orderly stop is in the log: " + log);
    }

    @Test
    void aLeaderThatCannotRenewItsLeaseExitsWithCodeOne() throws Exception {
        int port = launch(List.of("-Dpulsar.operator.leader-election.lease-duration=4s",
                "-Dpulsar.operator.leader-election.renew-deadline=3s",
                "-Dpulsar.operator.leader-election.retry-period=1s"));
        awaitReadyAndLeading(port);

        // Every renewal fails from now on (the API server is unreachable for the lease, or another writer won it).
        api.faults().fail("PUT", "/leases/" + LEASE, 503, "ServiceUnavailable", Integer.MAX_VALUE);
        api.faults().fail("PATCH", "/leases/" + LEASE, 503, "ServiceUnavailable", Integer.MAX_VALUE);
        boolean exited = operator.waitFor(30, TimeUnit.SECONDS);
        assertTrue(exited, "a leader that cannot renew its lease keeps running; see " + log);
        assertEquals(1, operator.exitValue(), "see " + log);
        assertTrue(Files.readString(log).contains("No longer the leader"), "the reason is in the log: " + log);
    }

    /** Launches the packaged operator against the mock API server; returns its HTTP port. */
    int launch(List<String> extraProperties) throws IOException {
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        Path path = Path.of("target").resolve(artifact.getProperty("path"));
        boolean jar = "jar".equals(artifact.getProperty("type"));
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        if (jar) {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        } else {
            cmd.add(path.toAbsolutePath().toString());
        }
        serverProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + (k.equals("quarkus.http.port") ? port : v)));
        cmd.addAll(extraProperties);
        if (jar) {
            cmd.add("-jar");
            cmd.add(path.toAbsolutePath().toString());
        }
        log = Path.of("target", "shutdown-it-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.equals("KUBECONFIG")
                || k.startsWith("QUARKUS_") || k.startsWith("PULSAR_OPERATOR_"));
        operator = pb.start();
        return port;
    }

    void awaitReadyAndLeading(int port) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertTrue(operator.isAlive(), "the operator exited; see " + log);
            try {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Lease lease = api.client().leases().inNamespace(MockApiServer.LEASE_NAMESPACE).withName(LEASE).get();
            return lease != null && lease.getSpec().getHolderIdentity() != null;
        });
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
