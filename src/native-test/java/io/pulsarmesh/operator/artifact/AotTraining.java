package io.pulsarmesh.operator.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;
import io.pulsarmesh.operator.testsupport.IstioCrds;

/**
 * The training run of the operator's class data: the operator started as it will run, against an API server of its
 * own, through its whole start and the convergence of a Pulsar cluster, then stopped with SIGTERM, so that its JVM
 * writes what it loaded on the way ({@code -XX:AOTCacheOutput} on JDK 25, {@code -XX:ArchiveClassesAtExit} on older
 * JDKs; the option is the caller's, in the command or its environment). A later start with that cache or archive
 * finds the classes of the informers, the JSON deserializers of the Kubernetes model and the reconcilers already
 * parsed and linked, instead of reading them from the jars.
 *
 * <p>The JVM image runs it in a build stage, with the image's own JVM and start script (a cache is only valid for the
 * JVM that wrote it); the benchmark runs it with the JVM it measures. It needs no cluster: the API server is
 * {@link LoopbackApiServer} (the fabric8 mock on loopback, with server-side apply as the operator uses it, the CRDs
 * from {@code kubernetes/crds/}, Istio's stand-ins and an ingress gateway), and {@link FakeWorkloadController} makes
 * the workloads ready. The cluster is {@code kubernetes/examples/pulsar-cluster-istio.yaml}. Paths are relative to
 * the working directory.
 *
 * <pre>
 * java -cp CLASSPATH io.pulsarmesh.operator.artifact.AotTraining [--expect FILE] -- COMMAND...
 * </pre>
 *
 * The operator is configured through its environment (the command may be a start script): the server's URL, no
 * kubeconfig or service account, a free HTTP port, the Lease namespace. Exit code 0 when the cluster became
 * {@code Ready}, the operator stopped and {@code FILE} (if given) was written; 1 otherwise, with the reason.
 */
public final class AotTraining {
    static final Path EXAMPLE = Path.of("kubernetes", "examples", "pulsar-cluster-istio.yaml");
    static final String NAMESPACE = "pulsar";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(180);
    /** The JVM writes the cache on its way out (JDK 25 assembles it in a child process): it may take a while. */
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(300);

    /** The mock logs every request at INFO (held here, so the setting is not collected with the loggers). */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("io.fabric8.mockwebserver"),
            Logger.getLogger("io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor"));

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path expect = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--expect") && i + 1 < args.length) {
                expect = Path.of(args[++i]);
            } else if (args[i].equals("--")) {
                command.addAll(List.of(args).subList(i + 1, args.length));
                break;
            } else {
                usage("unknown argument " + args[i]);
            }
        }
        if (command.isEmpty()) {
            usage("no command");
        }
        try {
            Result r = train(command, Map.of(), null, Path.of("aot-training-operator.log"), expect);
            System.out.println("AOT training: " + r);
            System.exit(0);
        } catch (TrainingFailed e) {
            System.err.println("AOT training failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: AotTraining [--expect FILE] -- COMMAND...");
        System.exit(2);
    }

    /** What a training run did. */
    public record Result(double readyMs, double convergedMs, int exitCode, long bytesWritten) {
        @Override
        public String toString() {
            return String.format("operator ready after %.0f ms, cluster Ready after %.0f ms, exit code %d%s", readyMs,
                    convergedMs, exitCode, bytesWritten >= 0 ? ", " + bytesWritten + " bytes written" : "");
        }
    }

    /** The training run failed: the operator did not start, did not converge the cluster, or wrote nothing. */
    public static final class TrainingFailed extends Exception {
        TrainingFailed(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code command} (the operator) through a start and a cluster's convergence and stops it.
     *
     * @param extraEnvironment added to the operator's environment
     * @param directory the operator's working directory ({@code null}: this one)
     * @param log where the operator's output goes
     * @param expect a file the operator's JVM must have written when it exits ({@code null}: none)
     */
    public static Result train(List<String> command, Map<String, String> extraEnvironment, Path directory, Path log,
            Path expect) throws IOException, InterruptedException, TrainingFailed {
        QUIETED.forEach(l -> l.setLevel(Level.SEVERE));
        if (expect != null) {
            Files.deleteIfExists(expect);
        }
        try (LoopbackApiServer api = LoopbackApiServer.start();
                FakeWorkloadController workloads = new FakeWorkloadController(api.client).start()) {
            IstioCrds.install(api.client);
            IstioCrds.installIngressGateway(api.client);
            int port = freePort();
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.equals("KUBECONFIG") || k.startsWith("QUARKUS_")
                    || k.startsWith("PULSAR_OPERATOR_"));
            env.putAll(operatorEnvironment(api, port));
            env.putAll(extraEnvironment);
            long t0 = System.nanoTime();
            Process operator = pb.start();
            try {
                awaitReady(operator, port, log);
                double readyMs = (System.nanoTime() - t0) / 1e6;
                List<HasMetadata> created = createExample(api.client);
                awaitAllReady(api.client, created, operator, log);
                double convergedMs = (System.nanoTime() - t0) / 1e6;
                operator.destroy(); // SIGTERM: an orderly stop, in which the JVM writes its cache or archive
                if (!operator.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new TrainingFailed("the operator did not stop within " + EXIT_TIMEOUT + " of SIGTERM; see "
                            + log);
                }
                int exit = operator.exitValue();
                if (exit != 0 && exit != 143) {
                    throw new TrainingFailed("the operator exited with " + exit + "; see " + log);
                }
                long bytes = -1;
                if (expect != null) {
                    if (!Files.isRegularFile(expect) || Files.size(expect) == 0) {
                        throw new TrainingFailed(expect + " was not written; see " + log);
                    }
                    bytes = Files.size(expect);
                }
                return new Result(readyMs, convergedMs, exit, bytes);
            } finally {
                if (operator.isAlive()) {
                    operator.destroyForcibly();
                    operator.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * The operator's settings as environment variables (the command may be a start script that passes them on): the
     * server's {@link LoopbackApiServer#operatorSettings}, each named as Quarkus and the Kubernetes client read a
     * property from the environment (upper case, {@code _} for every other character), and the client's namespace.
     */
    static Map<String, String> operatorEnvironment(LoopbackApiServer api, int httpPort) {
        Map<String, String> env = new LinkedHashMap<>();
        api.operatorSettings(Integer.toString(httpPort))
                .forEach((k, v) -> env.put(k.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), v));
        env.put("KUBERNETES_NAMESPACE", "default");
        return env;
    }

    /** The feature version (17, 25, ...) of the JDK at {@code home}, from its {@code release} file. */
    public static int javaFeatureVersion(Path home) throws IOException {
        java.util.Properties release = new java.util.Properties();
        try (InputStream in = Files.newInputStream(home.resolve("release"))) {
            release.load(in);
        }
        String version = release.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
        return Integer.parseInt(version.split("[.+-]")[0]);
    }

    static void awaitReady(Process operator, int port, Path log)
            throws IOException, InterruptedException, TrainingFailed {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!operator.isAlive()) {
                throw new TrainingFailed("the operator exited with " + operator.exitValue() + " before it was ready;"
                        + " see " + log);
            }
            try {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new TrainingFailed("the operator was not ready within " + READY_TIMEOUT + "; see " + log);
    }

    /** The example's custom resources, created in their namespace. */
    static List<HasMetadata> createExample(KubernetesClient client) throws IOException {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
        List<HasMetadata> created = new ArrayList<>();
        try (InputStream in = Files.newInputStream(EXAMPLE)) {
            for (HasMetadata item : client.load(in).items()) {
                created.add(client.resource(item).inNamespace(NAMESPACE).create());
            }
        }
        return created;
    }

    static void awaitAllReady(KubernetesClient client, List<HasMetadata> created, Process operator, Path log)
            throws InterruptedException, TrainingFailed {
        long deadline = System.nanoTime() + CONVERGE_TIMEOUT.toNanos();
        List<String> notReady = List.of();
        while (System.nanoTime() < deadline) {
            if (!operator.isAlive()) {
                throw new TrainingFailed("the operator exited with " + operator.exitValue() + " during the training;"
                        + " see " + log);
            }
            notReady = created.stream().filter(o -> !ready(client, o))
                    .map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
            if (notReady.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new TrainingFailed("not Ready within " + CONVERGE_TIMEOUT + ": " + notReady + "; see " + log);
    }

    @SuppressWarnings("unchecked")
    static boolean ready(KubernetesClient client, HasMetadata o) {
        GenericKubernetesResource live = client.genericKubernetesResources(o.getApiVersion(), o.getKind())
                .inNamespace(NAMESPACE).withName(o.getMetadata().getName()).get();
        if (live == null || !(live.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().filter(c -> c instanceof Map<?, ?>).map(c -> (Map<String, Object>) c)
                .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
