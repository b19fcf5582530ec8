package io.pulsarmesh.operator.artifact;

import static org.awaitility.Awaitility.await;
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

/**
 * The packaged operator launched by a test itself, for tests that must signal, kill or restart it (Quarkus' launcher
 * starts one process per class and stops it itself): the artifact the build packaged
 * ({@code target/quarkus-artifact.properties}: the JVM jar, or the native executable with {@code -Pnative}), with the
 * settings {@link MockApiServer} gives every launched operator, and its output in a log file under {@code target/}.
 */
final class LaunchedOperator implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    private LaunchedOperator(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Launches the operator with the server's settings and {@code extraProperties} ({@code -Dname=value}). */
    static LaunchedOperator start(Map<String, String> serverProperties, List<String> extraProperties, String name)
            throws IOException {
        return start(Path.of(System.getProperty("java.home"), "bin", "java"), serverProperties, extraProperties, name);
    }

    /** The same, the JVM artifact run by {@code java} (ignored for a native executable). */
    static LaunchedOperator start(Path java, Map<String, String> serverProperties, List<String> extraProperties,
            String name) throws IOException {
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        Path path = Path.of("target").resolve(artifact.getProperty("path"));
        boolean jar = "jar".equals(artifact.getProperty("type"));
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        if (jar) {
            cmd.add(java.toString());
        } else {
            cmd.add(path.toAbsolutePath().toString());
        }
        serverProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + (k.equals("quarkus.http.port") ? port : v)));
        cmd.addAll(extraProperties);
        if (jar) {
            cmd.add("-jar");
            cmd.add(path.toAbsolutePath().toString());
        }
        Path log = Path.of("target", name + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.equals("KUBECONFIG")
                || k.startsWith("QUARKUS_") || k.startsWith("PULSAR_OPERATOR_"));
        return new LaunchedOperator(pb.start(), port, log);
    }

    /** Waits until {@code /q/health/ready} answers UP. */
    LaunchedOperator awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertTrue(process.isAlive(), "the operator exited; see " + log);
            try {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Ends the process at once (SIGKILL), as a node failure or an OOM kill does: nothing of it runs any more. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
