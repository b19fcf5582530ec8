package io.pulsarmesh.operator.bench;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator (the JVM application, or a native executable) as a process of its own, pointed at the
 * benchmark's API server, and what can be read about it from outside: readiness ({@code /q/health/ready}), resident
 * memory and CPU time ({@code /proc}), heap and reconciliations ({@code /q/metrics}).
 *
 * <p>The mock API server has no server-side apply, so the operator runs with
 * {@code quarkus.operator-sdk.enable-ssa=false} (a structural comparison and JSON patches instead of apply).
 */
final class OperatorProcess implements AutoCloseable {
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");
    private static final long CLOCK_TICKS = clockTicks();
    /**
     * How often readiness is asked while the operator starts: often enough for a figure good to 20 ms, rarely enough
     * that answering (the health checks run for each request) does not slow the start it measures.
     */
    static final long READY_POLL_MS = 20;

    final Process process;
    final long spawnedAt;
    final int httpPort;
    final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private OperatorProcess(Process process, long spawnedAt, int httpPort, Path log) {
        this.process = process;
        this.spawnedAt = spawnedAt;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts the operator.
     *
     * @param prefix what the command runs under ({@link Placement}), or nothing
     * @param executable the runner jar ({@code *.jar}, run with this JVM's {@code java}) or a native executable
     * @param jvmOptions options of the operator's JVM (ignored for a native executable)
     */
    static OperatorProcess start(List<String> prefix, Path executable, List<String> jvmOptions, String apiServer,
            Path log) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(prefix);
        boolean jar = executable.toString().endsWith(".jar");
        if (jar) {
            cmd.add(operatorJava());
            cmd.addAll(jvmOptions);
        } else {
            cmd.add(executable.toString());
        }
        List<String> props = new ArrayList<>(List.of(
                "-Dkubernetes.master=" + apiServer,
                "-Dkubernetes.auth.tryKubeConfig=false",
                "-Dkubernetes.auth.tryServiceAccount=false",
                "-Dkubernetes.namespace=default",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.operator-sdk.enable-ssa=false"));
        if (jar) {
            cmd.addAll(props);
            // From the jar's folder, as the class data archive (app-cds.jsa beside it) was written: its class path
            // must be the one the archive recorded.
            cmd.add("-jar");
            cmd.add(executable.getFileName().toString());
        } else {
            cmd.addAll(props);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (jar) {
            pb.directory(executable.toAbsolutePath().getParent().toFile());
        }
        Map<String, String> env = pb.environment();
        // Nothing of the machine's own cluster configuration may reach the benchmarked operator.
        env.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.equals("KUBECONFIG") || k.startsWith("QUARKUS_")
                || k.startsWith("PULSAR_OPERATOR_"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new OperatorProcess(p, t0, port, log);
    }

    /**
     * The {@code java} that runs the operator's jar: {@code bench.operator-java} (a JDK's home or its {@code java}), or
     * this JVM's.
     */
    static String operatorJava() {
        String configured = System.getProperty("bench.operator-java", "").trim();
        if (configured.isEmpty()) {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
        Path p = Path.of(configured);
        return Files.isDirectory(p) ? p.resolve("bin").resolve("java").toString() : p.toString();
    }

    /** The feature version of {@link #operatorJava()} (17, 25, ...), from its JDK's {@code release} file. */
    static int operatorJavaFeatureVersion() throws IOException {
        return io.pulsarmesh.operator.artifact.AotTraining
                .javaFeatureVersion(Path.of(operatorJava()).toRealPath().getParent().getParent());
    }

    /** Milliseconds from spawning the process to {@code /q/health/ready} answering UP. */
    double awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with code " + process.exitValue() + "; see " + log);
            }
            if (Files.readString(log).contains("enable-ssa is set to 'false' but it is build time fixed to 'true'")) {
                throw new IllegalStateException(log + ": this operator was built with server-side apply, which the "
                        + "mock API server lacks; package it with -Pbench (quarkus.operator-sdk.enable-ssa=false)");
            }
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return (System.nanoTime() - spawnedAt) / 1e6;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(READY_POLL_MS);
        }
        throw new IllegalStateException("the operator was not ready within " + timeout + "; see " + log);
    }

    /** The "started in" figure Quarkus logs, in milliseconds; {@code null} when not found. */
    Double quarkusStartedIn() throws IOException {
        Matcher m = STARTED_IN.matcher(Files.readString(log));
        return m.find() ? Double.parseDouble(m.group(1)) * 1000 : null;
    }

    /** Resident set size in MiB. */
    double rssMiB() throws IOException {
        return statusMiB("VmRSS");
    }

    /**
     * A size of {@code /proc/PID/status} in MiB: {@code VmRSS}, or its parts {@code RssAnon} (the heap, metaspace,
     * code, stacks and what the JVM allocates) and {@code RssFile} (pages of mapped files: the AOT cache or class data
     * archive, the JDK's modules, the jars).
     */
    double statusMiB(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no " + field + " for " + process.pid());
    }

    /** User plus system CPU time so far, in milliseconds. */
    double cpuMillis() throws IOException {
        return cpuMillis(process.pid());
    }

    /** User plus system CPU time so far of the process {@code pid}, in milliseconds. */
    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1000.0 / CLOCK_TICKS;
    }

    /** The Prometheus text of {@code /q/metrics}. */
    String metrics() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of every sample of {@code name} whose labels contain all of {@code labels}. */
    static double sum(String metrics, String name, String... labels) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** Heap in use in MiB (every heap pool of {@code jvm_memory_used_bytes}). */
    static double heapMiB(String metrics) {
        return sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024);
    }

    /** Memory committed in the area {@code heap} or {@code nonheap} (metaspace, code cache), in MiB. */
    static double committedMiB(String metrics, String area) {
        return sum(metrics, "jvm_memory_committed_bytes", "area=\"" + area + "\"") / (1024 * 1024);
    }

    /**
     * Reconciliations of components (ZooKeeper, BookKeeper, brokers, proxies) so far, whatever their outcome, from the
     * operator's own counter (the coordinator's are not counted there).
     */
    static double componentReconciliations(String metrics) {
        return sum(metrics, "pulsar_operator_reconciliations_total");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
