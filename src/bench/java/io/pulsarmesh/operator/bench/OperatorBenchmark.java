package io.pulsarmesh.operator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.artifact.AotTraining;
import io.pulsarmesh.operator.testsupport.FakeWorkloadController;

/**
 * Measures the packaged operator against a mock API server and prints the figures beside the targets of the
 * benchmark issue. For each cluster count N (default 1, 10, 50), on a fresh API server each time:
 *
 * <ol>
 * <li><b>Start-up</b>: the operator process is spawned; time until {@code /q/health/ready} is UP, resident memory
 * then, and the requests it made on the way (its informers' lists and watches).</li>
 * <li><b>First convergence</b>: the operator converges {@code bench.operator-warmup} other clusters, which are then
 * removed: it is measured warm, as an operator that has run for a while.</li>
 * <li><b>Convergence</b>: N copies of {@code kubernetes/examples/pulsar-cluster-istio.yaml} (coordinator, ZooKeeper,
 * BookKeeper, brokers with gateway, proxies; Istio on) are created, one namespace each; time until every custom
 * resource reports {@code Ready=True} and the server holds exactly the objects {@code render} produces for them
 * (the mesh's steady state: STRICT mTLS and DestinationRules). The operator's requests by verb, counted at the server, until its writes have stopped.</li>
 * <li><b>Idle</b>: the operator's CPU time and writes in a window ({@code bench.idle}) after convergence.</li>
 * <li><b>Memory</b>: resident memory and heap in use after convergence and after the idle window.</li>
 * <li><b>Full resync</b>: the operator is restarted on the converged clusters and reconciles every custom resource:
 * its writes (the goal is none), its time to ready and its resident memory with the clusters.</li>
 * <li><b>The limit</b>, on another fresh API server: the same custom resources are created, then a plain client
 * creates exactly the rendered objects as fast as it can ({@code bench.limit-threads} requests at a time), and the
 * same fake workload controller makes the workloads ready. Its time (to objects created, and to workloads ready),
 * and its writes, are what the operator's are compared with. Its client is, like the operator, a new process that
 * first does the same for {@code bench.operator-warmup} other clusters, which are then removed
 * ({@code bench.limit-client=fresh}); with {@code shared}, one process serves every limit run.</li>
 * </ol>
 *
 * A fake StatefulSet/Deployment controller ({@link FakeWorkloadController}, the one the operator-in-the-loop tests
 * use) runs in this process and stands in for the StatefulSet controller, the kubelet and Istio's injector. The
 * benchmark measures and prints; it fails only when the operator does not converge within a generous timeout.
 */
public final class OperatorBenchmark {
    static final List<Class<? extends CustomResource<?, ?>>> CR_KINDS = List.of(PulsarCoordinator.class,
            ZooKeeperCluster.class, BookKeeperCluster.class, PulsarBroker.class, PulsarProxy.class);
    static final Duration POLL = Duration.ofMillis(100);
    /**
     * Namespaces (clusters) whose workloads the fake controller steps at the same time, as a cluster's nodes start
     * pods independently: one after the other, each tick's requests would queue behind the operator's on the mock.
     */
    static final int WORKLOAD_WORKERS = Integer.getInteger("bench.workload-workers", 4);
    /** The mock server logs every request at INFO; kept here so the setting is not collected with the logger. */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    final Path project;
    final Path out;
    final Path example;
    final Path operator;
    final List<String> jvmOptions;
    final Duration idle;
    final int limitThreads;
    final Placement placement;
    /**
     * Clusters each operator process converges, and that are then removed, before its convergence is measured (0: its
     * first convergence after its start is measured).
     */
    final int operatorWarmup;
    /**
     * Whether one limit's client serves every limit run ({@code bench.limit-client=shared}, started with the first);
     * otherwise ({@code fresh}, the default) each limit run starts a new one and warms it up as each operator is.
     */
    final boolean sharedLimitClient;
    /** The shared limit's client. */
    LimitClient.Process limit;

    OperatorBenchmark(Path project, Path out, Path operator, List<String> jvmOptions, Duration idle, int limitThreads,
            Placement placement, int operatorWarmup, boolean sharedLimitClient) {
        this.project = project;
        this.out = out;
        this.example = project.resolve("kubernetes/examples/pulsar-cluster-istio.yaml");
        this.operator = operator;
        this.jvmOptions = jvmOptions;
        this.idle = idle;
        this.limitThreads = limitThreads;
        this.placement = placement;
        this.operatorWarmup = operatorWarmup;
        this.sharedLimitClient = sharedLimitClient;
    }

    public static void main(String[] args) {
        try {
            run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            // Threads of the mock server and of informers would keep the JVM alive.
            System.exit(1);
        }
    }

    static void run() throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        Path project = Path.of("").toAbsolutePath();
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        String exe = System.getProperty("bench.operator", "");
        Path operator = exe.isBlank() ? Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"))
                : Path.of(exe);
        if (!Files.exists(operator)) {
            throw new IllegalStateException(operator + " does not exist: build it first (mvn -B package -DskipTests)");
        }
        List<String> baseOptions = Arrays.stream(System.getProperty("bench.operator-jvm-options", "").split("\\s+"))
                .filter(s -> !s.isBlank()).toList();
        Duration idle = Duration.parse("PT" + System.getProperty("bench.idle", "20s").toUpperCase());
        int threads = Integer.parseInt(System.getProperty("bench.limit-threads", "4"));
        List<Integer> counts = Arrays.stream(System.getProperty("bench.clusters", "1,10,50").split(","))
                .map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none")).map(Integer::parseInt).toList();
        int startups = Integer.parseInt(System.getProperty("bench.startups", "5"));
        int warmup = Integer.parseInt(System.getProperty("bench.warmup", "10"));
        int repeat = Math.max(1, Integer.parseInt(System.getProperty("bench.repeat", "4")));
        int operatorWarmup = Integer.parseInt(System.getProperty("bench.operator-warmup", "10"));
        String limitClient = System.getProperty("bench.limit-client", "fresh").trim();
        if (!limitClient.equals("fresh") && !limitClient.equals("shared")) {
            throw new IllegalArgumentException("bench.limit-client must be fresh or shared, not " + limitClient);
        }
        Files.createDirectories(out);
        Placement placement = Placement.fromProperties();
        System.out.println("placement: " + placement.describe().get("note"));
        Map<String, Object> classData = new LinkedHashMap<>();
        List<String> jvmOptions = exe.isBlank() ? withClassData(operator, baseOptions, out, classData) : baseOptions;

        OperatorBenchmark bench = new OperatorBenchmark(project, out, operator, jvmOptions, idle, threads, placement,
                operatorWarmup, limitClient.equals("shared"));
        Results results = new Results(operator, jvmOptions, idle, threads);
        results.put("placement", placement.describe());
        results.put("classData", classData);
        results.put("operatorWarmupClusters", operatorWarmup);
        results.put("limitClient", limitClient);
        long start = System.nanoTime();
        if (startups > 0) {
            results.put("startup", bench.startups(startups));
        }
        // From here on, the API server's side and the measured clients on cores of their own (in split mode).
        placement.pinThisJvm();
        if (warmup > 0) {
            // The mock API server and the fake workload controller run in this JVM: their code is compiled by the JIT
            // as they work. Unwarmed, the first measured run pays for it (and the limit, which runs after the
            // operator, much less): a run of each, not recorded, first. (After the start-ups: the compilations it
            // leaves queued would slow them.)
            System.out.printf("%n=== warm-up: %d cluster(s), not recorded ===%n", warmup);
            bench.operatorRun(warmup, new LinkedHashMap<>(), false);
            bench.limitRun(warmup, new LinkedHashMap<>());
        }
        for (int n : counts) {
            System.out.printf("%n=== %d cluster(s) ===%n", n);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("clusters", n);
            run.put("loadAverageBefore", loadAverage());
            bench.operatorRun(n, run, true);
            bench.limitRun(n, run);
            List<Map<String, Object>> pairs = new ArrayList<>(List.of(run));
            for (int i = 1; i < repeat; i++) {
                // Convergence and the limit again, each on a fresh API server; the other figures are the first's.
                // Every other pair runs the limit first: the API server's JIT is still at work from one run to the
                // next, and what it still compiles slows whichever run comes first. With an even number of pairs
                // (the default, 4), each order comes as often.
                Map<String, Object> again = new LinkedHashMap<>();
                if (i % 2 == 1) {
                    bench.limitRun(n, again);
                    bench.operatorRun(n, again, false);
                } else {
                    bench.operatorRun(n, again, false);
                    bench.limitRun(n, again);
                }
                pairs.add(again);
            }
            List<Double> operatorSeconds = each(pairs, "convergence", "seconds");
            List<Double> limitSeconds = each(pairs, "limit", "workloadsReadySeconds");
            List<Double> operatorCpu = each(pairs, "convergence", "operatorCpuMs").stream().map(ms -> ms / 1000).toList();
            List<Double> limitCpu = each(pairs, "limit", "clientCpuMs").stream().map(ms -> ms / 1000).toList();
            List<Double> firstSeconds = pairs.get(0).get("operatorWarmup") instanceof Map<?, ?>
                    ? each(pairs, "operatorWarmup", "seconds") : List.of();
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("operatorSeconds", operatorSeconds);
            timing.put("limitSeconds", limitSeconds);
            timing.put("operatorSecondsMedian", median(operatorSeconds));
            timing.put("limitSecondsMedian", median(limitSeconds));
            // The measured client's CPU in each pair: the operator's, the limit's client's.
            timing.put("operatorCpuSeconds", operatorCpu);
            timing.put("limitClientCpuSeconds", limitCpu);
            if (!firstSeconds.isEmpty()) {
                // Each operator process's first convergence (its warm-up clusters), right after its start.
                timing.put("operatorFirstConvergenceSeconds", firstSeconds);
                timing.put("operatorFirstConvergenceSecondsMedian", median(firstSeconds));
            }
            // Each pair ran back to back, with the API server's JIT in the same state: the ratio of each pair.
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < operatorSeconds.size(); i++) {
                ratios.add(operatorSeconds.get(i) / limitSeconds.get(i));
            }
            timing.put("ratios", ratios);
            timing.put("ratioMedian", median(ratios));
            run.put("timing", timing);
            run.put("loadAverageAfter", loadAverage());
            results.add(run);
        }
        results.put("benchmarkWallSeconds", (System.nanoTime() - start) / 1e9);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("answeredByIndex", IndexedStore.ANSWERED.get());
        index.put("leftToScan", IndexedStore.SCANNED.get());
        if (IndexedStore.CHECK) {
            index.put("checkedAgainstScan", IndexedStore.ANSWERED.get());
            index.put("differentFromScan", IndexedStore.MISMATCHES.get());
            System.out.printf("store index: %d lookups answered by the index and made by the scan too, %d different; "
                    + "%d left to the scan%n", IndexedStore.ANSWERED.get(), IndexedStore.MISMATCHES.get(),
                    IndexedStore.SCANNED.get());
        }
        results.put("storeIndex", index);
        results.write(out);
        System.out.println();
        System.out.println(results.markdown());
        System.out.println("Results: " + out.resolve("results.json") + ", " + out.resolve("results.md"));
        if (IndexedStore.MISMATCHES.get() > 0) {
            throw new IllegalStateException("the store's index answered " + IndexedStore.MISMATCHES.get()
                    + " lookup(s) differently from the mock's scan; the first: " + IndexedStore.FIRST_MISMATCH.get());
        }
        // Vert.x and informer threads of the mock server may linger: the figures are written, so leave.
        System.exit(0);
    }

    /**
     * The operator's JVM options with the class data the JVM image gives it: on JDK 25 and later, the AOT cache of a
     * training run ({@link AotTraining}, as the image's build stage runs it: a start and the convergence of the Istio
     * example, then SIGTERM) written by the JVM that is measured; on older JDKs, the class data archive of Quarkus'
     * AppCDS mode that the bench build wrote ({@code app-cds.jsa}, static initialisation only).
     */
    static List<String> withClassData(Path jar, List<String> base, Path out, Map<String, Object> record)
            throws Exception {
        int feature = OperatorProcess.operatorJavaFeatureVersion();
        List<String> options = new ArrayList<>(base);
        if (feature < 25 && options.remove("-XX:+UseCompactObjectHeaders")) {
            System.out.printf("JDK %d: without -XX:+UseCompactObjectHeaders (a JDK 25 option of the image)%n", feature);
        }
        record.put("java", OperatorProcess.operatorJava());
        record.put("javaFeatureVersion", feature);
        if (feature >= 25) {
            List<String> command = new ArrayList<>();
            command.add(OperatorProcess.operatorJava());
            command.addAll(options);
            command.add("-XX:AOTCacheOutput=app.aot");
            command.addAll(List.of("-Dquarkus.operator-sdk.enable-ssa=false", "-jar", jar.getFileName().toString()));
            Path dir = jar.toAbsolutePath().getParent();
            long t0 = System.nanoTime();
            AotTraining.Result r = AotTraining.train(command, Map.of(), dir, out.resolve("aot-training.log"),
                    dir.resolve("app.aot"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("class data: AOT cache trained in %.1f s (%s)%n", seconds, r);
            record.put("kind", "AOT cache (training run: start and one cluster's convergence)");
            record.put("trainingSeconds", seconds);
            record.put("bytes", r.bytesWritten());
            options.add("-XX:AOTCache=app.aot");
        } else {
            System.out.printf("class data: the AppCDS archive of the bench build (JDK %d has no AOT cache)%n", feature);
            record.put("kind", "AppCDS archive (static initialisation)");
            options.addAll(List.of("-XX:SharedArchiveFile=app-cds.jsa", "-Xshare:auto"));
        }
        record.put("options", options);
        return options;
    }

    /**
     * Start-up on its own: {@code count} starts of the operator, one after the other, against one API server that holds
     * no cluster, after one start that is not counted. The uncounted start brings the mock API server, which runs in
     * this JVM, to the state of a long-running API server (its request handling compiled by the JIT); without it the
     * first measured start waits mostly for the mock. Each start is measured from spawning the process to
     * {@code /q/health/ready} answering UP; the operator is stopped and the machine left alone for a second in between.
     */
    Map<String, Object> startups(int count) throws Exception {
        List<Double> ready = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> startedIn = new ArrayList<>();
        try (BenchApiServer api = BenchApiServer.start(project.resolve("kubernetes/crds"))) {
            for (int i = 0; i <= count; i++) {
                Path log = out.resolve("operator-startup-" + i + ".log");
                try (OperatorProcess op = OperatorProcess.start(List.of(), operator, jvmOptions, api.url(), log)) {
                    double ms = op.awaitReady(Duration.ofSeconds(60));
                    if (i > 0) {
                        ready.add(ms);
                        rss.add(op.rssMiB());
                        cpu.add(op.cpuMillis());
                        startedIn.add(op.quarkusStartedIn());
                    }
                }
                Thread.sleep(1000);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("starts", count);
        m.put("readyMs", ready);
        m.put("readyMsMedian", median(ready));
        m.put("readyMsMin", ready.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        m.put("readyMsMax", ready.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        m.put("rssMiBMedian", median(rss));
        m.put("cpuMsMedian", median(cpu));
        m.put("quarkusStartedInMsMedian", median(startedIn.stream().filter(Objects::nonNull).toList()));
        System.out.printf("start-up (%d starts against a warm API server): ready after %.0f ms (median; %.0f–%.0f), "
                + "RSS %.0f MiB, CPU %.0f ms%n", count, median(ready), m.get("readyMsMin"), m.get("readyMsMax"),
                median(rss), median(cpu));
        return m;
    }

    /** A figure of each pair, in order. */
    static List<Double> each(List<Map<String, Object>> pairs, String... path) {
        return pairs.stream().map(p -> Results.num(p, path)).toList();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Start-up, convergence, steady state and memory of the operator with {@code n} clusters; with {@code full} false
     * (a warm-up or a repetition), start-up and convergence only: no idle window, no resync, no files.
     */
    void operatorRun(int n, Map<String, Object> run, boolean full) throws Exception {
        try (BenchApiServer api = BenchApiServer.start(project.resolve("kubernetes/crds"));
                KubernetesClient driver = api.client("driver");
                FakeWorkloadController workloads = new FakeWorkloadController(api.client("workloads"))
                        .withWorkers(WORKLOAD_WORKERS).start()) {
            RequestTally.Counts beforeStart = api.tally.snapshot();
            // The files of a cluster count are the first pair's; later runs (and a warm-up) log apart.
            Path log = out.resolve("operator-" + n + (full ? "" : "-repeat") + ".log");
            try (OperatorProcess op = OperatorProcess.start(placement.client(), operator, jvmOptions, api.url(),
                    log)) {
                // Start-up.
                double readyMs = op.awaitReady(Duration.ofSeconds(60));
                Map<String, Object> startup = new LinkedHashMap<>();
                startup.put("readyMs", readyMs);
                startup.put("rssMiB", op.rssMiB());
                startup.put("cpuMs", op.cpuMillis());
                startup.put("requests", api.tally.snapshot().minus(beforeStart).byVerb(RequestTally.OPERATOR));
                run.put("startup", startup);
                System.out.printf("start-up: ready after %.0f ms, RSS %.0f MiB%n", readyMs, op.rssMiB());
                if (operatorWarmup > 0) {
                    run.put("operatorWarmup", warmUpOperator(api, driver, op, operatorWarmup));
                }
                double reconciliationsBefore = OperatorProcess.componentReconciliations(op.metrics());

                // Convergence.
                BenchClusters.Workloads workloadWatch = new BenchClusters.Workloads(driver);
                // The custom resources are read from the example, and the watch on them is started, before the
                // clock: the benchmark's own preparation is not the operator's time (nor, below, the limit's).
                List<CustomResource<?, ?>> toCreate = BenchClusters.customResources(example, n);
                ReadyWatch watch = new ReadyWatch(driver);
                RequestTally.Counts before = api.tally.snapshot();
                double cpuBefore = op.cpuMillis();
                CpuShare serverCpuBefore = CpuShare.now();
                long t0 = System.nanoTime();
                watch.startClock(t0);
                List<CustomResource<?, ?>> created = BenchClusters.create(driver, toCreate);
                List<HasMetadata> desired = BenchClusters.desired(created);
                Duration timeout = Duration.ofSeconds(120 + 6L * n);
                long deadline = t0 + timeout.toNanos();
                double readyAt = Double.NaN;
                double workloadsReadyAt = Double.NaN;
                List<String> differences = List.of("not checked");
                while (System.nanoTime() < deadline) {
                    if (Double.isNaN(workloadsReadyAt) && workloadWatch.ready(desired)) {
                        workloadsReadyAt = (System.nanoTime() - t0) / 1e9;
                    }
                    if (Double.isNaN(readyAt) && watch.allReady(created.size())) {
                        readyAt = (System.nanoTime() - t0) / 1e9;
                    }
                    if (!Double.isNaN(readyAt)) {
                        differences = BenchClusters.differences(driver, desired);
                        if (differences.isEmpty() && watch.allReady(created.size())) {
                            break;
                        }
                    }
                    Thread.sleep(POLL.toMillis());
                }
                double checkedAt = (System.nanoTime() - t0) / 1e9;
                // CPU until here: the limit's is taken when its workloads are ready, before anything else.
                double operatorCpu = op.cpuMillis() - cpuBefore;
                CpuShare serverCpuNow = CpuShare.now();
                double serverCpu = serverCpuNow.millisSince(serverCpuBefore);
                Map<String, Long> serverCpuByThread = serverCpuNow.byGroupSince(serverCpuBefore);
                if (Double.isNaN(readyAt) || !differences.isEmpty()) {
                    throw new IllegalStateException("the operator did not converge " + n + " cluster(s) within "
                            + timeout + ": " + watch.notReady() + " not Ready; " + first(differences, 10)
                            + "; see " + log);
                }
                // Converged when every custom resource was Ready and the operator had written its objects for the
                // last time: the state the check found. (Not when the check, which lists every object, ended: that
                // would add the benchmark's own time on the API server's core.)
                double convergedAt = Math.max(readyAt, (api.tally.lastObjectWrite(t0) - t0) / 1e9);
                // The operator's writes that follow convergence (Events, a last status) still belong to it.
                awaitQuiet(api, Duration.ofSeconds(3), Duration.ofSeconds(30));
                RequestTally.Counts conv = api.tally.snapshot().minus(before);
                String metricsAfter = op.metrics();
                Map<String, Object> convergence = new LinkedHashMap<>();
                convergence.put("customResources", created.size());
                convergence.put("objects", desired.size());
                convergence.put("allReadySeconds", readyAt);
                convergence.put("workloadsReadySeconds", workloadsReadyAt);
                convergence.put("seconds", convergedAt);
                convergence.put("checkedSeconds", checkedAt);
                convergence.put("operatorCpuMs", operatorCpu);
                convergence.put("apiServerCpuMs", serverCpu);
                convergence.put("apiServerCpuByThreadMs", serverCpuByThread);
                convergence.put("requests", conv.byVerb(RequestTally.OPERATOR));
                convergence.put("reads", conv.reads(RequestTally.OPERATOR));
                convergence.put("writes", conv.writes(RequestTally.OPERATOR));
                convergence.put("objectWrites", conv.objectWrites(RequestTally.OPERATOR));
                convergence.put("writesByResource", conv.writesByResource(RequestTally.OPERATOR));
                convergence.put("readyStateChanges", watch.stateChanges());
                convergence.put("statusVersionsSeen", watch.statusVersions());
                convergence.put("componentReconciliations",
                        OperatorProcess.componentReconciliations(metricsAfter) - reconciliationsBefore);
                convergence.put("fakeControllerRequests", conv.total("workloads"));
                run.put("convergence", convergence);
                Map<String, Object> memory = new LinkedHashMap<>();
                memory.put("rssMiBConverged", op.rssMiB());
                memory.put("rssAnonMiBConverged", op.statusMiB("RssAnon"));
                memory.put("rssFileMiBConverged", op.statusMiB("RssFile"));
                memory.put("heapMiBConverged", OperatorProcess.heapMiB(metricsAfter));
                memory.put("heapCommittedMiBConverged", OperatorProcess.committedMiB(metricsAfter, "heap"));
                memory.put("nonHeapCommittedMiBConverged", OperatorProcess.committedMiB(metricsAfter, "nonheap"));
                System.out.printf("convergence: all Ready after %.2f s, settled after %.2f s; operator %d reads, %d writes "
                        + "(%d objects, %d custom resources), CPU %.1f s (API server's side %.1f s)%n", readyAt,
                        convergedAt, conv.reads(RequestTally.OPERATOR), conv.writes(RequestTally.OPERATOR),
                        desired.size(), created.size(), operatorCpu / 1000, serverCpu / 1000);

                run.put("memory", memory);
                watch.close();
                workloadWatch.close();
                if (!full) {
                    return;
                }
                // Idle: nothing changes; no reconciliation is due (the production interval is 10 minutes).
                run.put("idle", idle(api, op));
                String metricsIdle = op.metrics();
                memory.put("rssMiBIdle", op.rssMiB());
                memory.put("heapMiBIdle", OperatorProcess.heapMiB(metricsIdle));
                memory.put("heapCommittedMiB", OperatorProcess.committedMiB(metricsIdle, "heap"));
                startup.put("quarkusStartedInMs", op.quarkusStartedIn());
                Files.writeString(out.resolve("operator-" + n + "-statuses.txt"), watch.trace());
                Files.writeString(out.resolve("operator-" + n + "-writes.txt"), api.tally.operatorWritesSince(t0));
                Files.writeString(out.resolve("operator-" + n + "-metrics.txt"), metricsIdle);
            }
            // A full resync: a new operator process finds the converged clusters and reconciles every one of them.
            run.put("resync", resync(api, n));
            Files.writeString(out.resolve("operator-" + n + "-requests.txt"), api.tally.snapshot().minus(beforeStart)
                    .byKey().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .reduce("", (a, b) -> a + b + "\n"));
        }
    }

    /**
     * Brings a freshly started operator to the state of one that has been running for a while, as the limit's client
     * is (one process for every limit run, warm after the warm-up run): the operator converges {@code clusters}
     * clusters in the namespaces {@code warmup-<i>}, and the benchmark then deletes them with everything created for
     * them. The mock has no garbage collector: the benchmark deletes the custom resources, then the rendered objects
     * and the Events; the fake controller deletes the pods of deleted workloads. Records the time and the operator's
     * CPU of this first convergence after its start (the JVM cold, its JIT compiling as it goes), and fails unless the
     * API server is back to holding nothing of them and the operator has stopped writing.
     */
    Map<String, Object> warmUpOperator(BenchApiServer api, KubernetesClient driver, OperatorProcess op, int clusters)
            throws Exception {
        List<CustomResource<?, ?>> toCreate = BenchClusters.customResources(example, clusters,
                BenchClusters.WARMUP_PREFIX);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusters", clusters);
        double cpu0 = op.cpuMillis();
        List<CustomResource<?, ?>> created;
        List<HasMetadata> desired;
        try (ReadyWatch watch = new ReadyWatch(driver)) {
            long t0 = System.nanoTime();
            watch.startClock(t0);
            created = BenchClusters.create(driver, toCreate);
            desired = BenchClusters.desired(created);
            long deadline = t0 + Duration.ofSeconds(120 + 6L * clusters).toNanos();
            List<String> differences = List.of("not checked");
            while (System.nanoTime() < deadline) {
                if (watch.allReady(created.size())) {
                    differences = BenchClusters.differences(driver, desired);
                    if (differences.isEmpty()) {
                        break;
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
            if (!differences.isEmpty() || !watch.allReady(created.size())) {
                throw new IllegalStateException("the operator did not converge the " + clusters
                        + " warm-up cluster(s): " + watch.notReady() + " not Ready; " + first(differences, 10));
            }
            m.put("seconds", (System.nanoTime() - t0) / 1e9);
        }
        m.put("operatorCpuMs", op.cpuMillis() - cpu0);

        removeWarmup(api, driver, created, desired, true, m);
        System.out.printf("operator warm-up: %d cluster(s) converged in %.2f s after its start (CPU %.1f s), "
                + "then removed%n", clusters, Results.num(m, "seconds"), Results.num(m, "operatorCpuMs") / 1000);
        return m;
    }

    /**
     * Removes warm-up clusters and everything created for them, and checks that the server holds nothing of them. With
     * {@code operator}, the operator's last writes (statuses, Events) are waited for first; then the custom resources
     * go, components before their coordinator (created coordinator first), and once the operator has seen that (it
     * writes nothing more for them), what was created for them: an object deleted while its custom resource is still
     * being reconciled would be created again. The time it took goes into {@code record} ({@code removalSeconds}).
     */
    private void removeWarmup(BenchApiServer api, KubernetesClient driver, List<CustomResource<?, ?>> created,
            List<HasMetadata> desired, boolean operator, Map<String, Object> record) throws Exception {
        long t0 = System.nanoTime();
        if (operator) {
            quiet(api, "after converging its warm-up clusters");
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            driver.resource(created.get(i)).delete();
        }
        if (operator) {
            quiet(api, "after its warm-up clusters' custom resources were deleted");
        }
        List<String> namespaces = created.stream().map(cr -> cr.getMetadata().getNamespace()).distinct().toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> left = List.of("not checked");
        while (System.nanoTime() < deadline) {
            // Deleting what is already gone is answered 404 and changes nothing: each round deletes what is left.
            for (HasMetadata d : desired) {
                driver.resource(d).delete();
            }
            left = new ArrayList<>(BenchClusters.differences(driver, List.of()));
            for (String ns : namespaces) {
                // The fake controller deletes the pods of deleted workloads.
                if (!driver.pods().inNamespace(ns).list().getItems().isEmpty()) {
                    left.add("pods in " + ns);
                }
                for (Class<? extends CustomResource<?, ?>> kind : CR_KINDS) {
                    if (!driver.resources(kind).inNamespace(ns).list().getItems().isEmpty()) {
                        left.add(kind.getSimpleName() + " in " + ns);
                    }
                }
            }
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("the warm-up clusters were not removed: " + first(left, 10));
        }
        // The operator's writes on the way end, then its Events go too.
        if (operator) {
            quiet(api, "after its warm-up clusters' objects were deleted");
        }
        for (String ns : namespaces) {
            driver.v1().events().inNamespace(ns).delete();
            if (!driver.v1().events().inNamespace(ns).list().getItems().isEmpty()) {
                throw new IllegalStateException("the Events of " + ns + " were not deleted");
            }
        }
        record.put("removalSeconds", (System.nanoTime() - t0) / 1e9);
    }

    /** Waits until the operator has written nothing for 2 s; fails after 30 s. */
    private static void quiet(BenchApiServer api, String when) throws InterruptedException {
        if (!awaitQuiet(api, Duration.ofSeconds(2), Duration.ofSeconds(30))) {
            throw new IllegalStateException("the operator kept writing " + when);
        }
    }

    static final List<String> COMPONENT_KINDS = List.of("ZooKeeperCluster", "BookKeeperCluster", "PulsarBroker",
            "PulsarProxy");

    /** The operator's CPU time and writes in a window in which nothing happens. */
    Map<String, Object> idle(BenchApiServer api, OperatorProcess op) throws Exception {
        RequestTally.Counts before = api.tally.snapshot();
        double cpu0 = op.cpuMillis();
        long t0 = System.nanoTime();
        Thread.sleep(idle.toMillis());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = op.cpuMillis() - cpu0;
        RequestTally.Counts window = api.tally.snapshot().minus(before);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("windowSeconds", seconds);
        m.put("cpuMs", cpu);
        m.put("cpuPercentOfOneCore", cpu / (seconds * 10));
        m.put("writes", window.writes(RequestTally.OPERATOR));
        m.put("reads", window.reads(RequestTally.OPERATOR));
        System.out.printf("idle: CPU %.0f ms in %.1f s (%.1f%% of a core), %d writes%n", cpu, seconds, cpu / (seconds * 10),
                window.writes(RequestTally.OPERATOR));
        return m;
    }

    /**
     * A full resync of the converged clusters: a new operator process lists everything and reconciles every custom
     * resource. Waits until each component kind has been reconciled N times and the operator's writes have stopped,
     * and counts its requests from its start (the goal is no write).
     */
    Map<String, Object> resync(BenchApiServer api, int clusters) throws Exception {
        RequestTally.Counts before = api.tally.snapshot();
        Path log = out.resolve("operator-" + clusters + "-restart.log");
        try (OperatorProcess op = OperatorProcess.start(placement.client(), operator, jvmOptions, api.url(), log)) {
            double readyMs = op.awaitReady(Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofSeconds(60 + 2L * clusters).toNanos();
            boolean full = false;
            Map<String, Double> recs = Map.of();
            while (!full && System.nanoTime() < deadline) {
                Thread.sleep(250);
                recs = reconciliationsByKind(op.metrics());
                full = recs.values().stream().allMatch(v -> v >= clusters);
            }
            awaitQuiet(api, Duration.ofSeconds(3), Duration.ofSeconds(30));
            RequestTally.Counts counts = api.tally.snapshot().minus(before);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("readyMs", readyMs);
            m.put("fullResync", full);
            m.put("componentReconciliations", recs.values().stream().mapToDouble(Double::doubleValue).sum());
            m.put("writes", counts.writes(RequestTally.OPERATOR));
            m.put("writesByResource", counts.writesByResource(RequestTally.OPERATOR));
            m.put("requests", counts.byVerb(RequestTally.OPERATOR));
            m.put("rssMiB", op.rssMiB());
            m.put("heapMiB", OperatorProcess.heapMiB(op.metrics()));
            System.out.printf("full resync by a restarted operator: ready after %.0f ms, %.0f component reconciliations%s,"
                    + " %d writes, RSS %.0f MiB%n", readyMs, recs.values().stream().mapToDouble(Double::doubleValue).sum(),
                    full ? "" : " (not every component was reconciled)", counts.writes(RequestTally.OPERATOR), op.rssMiB());
            return m;
        }
    }

    /** {@code pulsar_operator_reconciliations_total} by kind, whatever the outcome. */
    static Map<String, Double> reconciliationsByKind(String metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : COMPONENT_KINDS) {
            out.put(k, OperatorProcess.sum(metrics, "pulsar_operator_reconciliations_total", "kind=\"" + k + "\""));
        }
        return out;
    }

    /** The same custom resources, and the rendered objects created by a plain client as fast as it can. */
    void limitRun(int n, Map<String, Object> run) throws Exception {
        if (sharedLimitClient && limit == null) {
            limit = new LimitClient.Process(placement.client(), limitThreads, out.resolve("limit-client.log"));
        }
        LimitClient.Process client = sharedLimitClient ? limit
                : new LimitClient.Process(placement.client(), limitThreads, out.resolve("limit-client.log"));
        try (BenchApiServer api = BenchApiServer.start(project.resolve("kubernetes/crds"));
                KubernetesClient driver = api.client("driver");
                FakeWorkloadController workloads = new FakeWorkloadController(api.client("workloads"))
                        .withWorkers(WORKLOAD_WORKERS).start();
                BenchClusters.Workloads workloadWatch = new BenchClusters.Workloads(driver)) {
            client.connect(api.url());
            if (!sharedLimitClient && operatorWarmup > 0) {
                run.put("limitWarmup", warmUpLimit(api, driver, workloadWatch, client, operatorWarmup));
            }
            RequestTally.Counts before = api.tally.snapshot();
            CpuShare serverCpuBefore = CpuShare.now();
            double clientCpuBefore = client.cpuMillis();
            List<CustomResource<?, ?>> toCreate = BenchClusters.customResources(example, n);
            long t0 = System.nanoTime();
            List<CustomResource<?, ?>> created = BenchClusters.create(driver, toCreate);
            int objects = client.go();
            double createdAt = (System.nanoTime() - t0) / 1e9;
            double clientCpu = client.cpuMillis() - clientCpuBefore;
            List<HasMetadata> desired = BenchClusters.desired(created);
            awaitLimitWorkloads(objects, desired, workloadWatch, t0, n, "");
            double readyAt = (System.nanoTime() - t0) / 1e9;
            RequestTally.Counts counts = api.tally.snapshot().minus(before);
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("objects", desired.size());
            l.put("objectsCreatedSeconds", createdAt);
            l.put("workloadsReadySeconds", readyAt);
            l.put("writes", counts.writes("limit"));
            l.put("requests", counts.byVerb("limit"));
            l.put("threads", limitThreads);
            l.put("clientCpuMs", clientCpu);
            CpuShare serverCpuNow = CpuShare.now();
            l.put("apiServerCpuMs", serverCpuNow.millisSince(serverCpuBefore));
            l.put("apiServerCpuByThreadMs", serverCpuNow.byGroupSince(serverCpuBefore));
            run.put("limit", l);
            System.out.printf("limit: %d objects created after %.2f s, workloads ready after %.2f s, %d writes%n",
                    desired.size(), createdAt, readyAt, counts.writes("limit"));
        } finally {
            if (!sharedLimitClient) {
                client.close();
            }
        }
    }

    /**
     * Checks that the limit's client created exactly the {@code desired} objects ({@code objects} of them), then waits
     * until their workloads are ready, at most 120 s + 6 s per cluster after {@code t0}.
     */
    private static void awaitLimitWorkloads(int objects, List<HasMetadata> desired,
            BenchClusters.Workloads workloadWatch, long t0, int clusters, String what) throws InterruptedException {
        if (objects != desired.size()) {
            throw new IllegalStateException("the limit's client created " + objects + " " + what + "objects, not "
                    + desired.size());
        }
        long deadline = t0 + Duration.ofSeconds(120 + 6L * clusters).toNanos();
        while (!workloadWatch.ready(desired)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the limit's " + what + "workloads did not become ready");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * The limit's counterpart of the operator's first convergence: on the limit run's API server, before the clock,
     * its new client creates the objects of {@code clusters} other clusters as it will for the measured ones, the
     * workloads become ready, and everything is removed. Its client is then as warm as each operator is when measured.
     */
    Map<String, Object> warmUpLimit(BenchApiServer api, KubernetesClient driver, BenchClusters.Workloads workloadWatch,
            LimitClient.Process client, int clusters) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusters", clusters);
        double cpu0 = client.cpuMillis();
        long t0 = System.nanoTime();
        List<CustomResource<?, ?>> created = BenchClusters.create(driver,
                BenchClusters.customResources(example, clusters, BenchClusters.WARMUP_PREFIX));
        int objects = client.go();
        List<HasMetadata> desired = BenchClusters.desired(created);
        awaitLimitWorkloads(objects, desired, workloadWatch, t0, clusters, "warm-up ");
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("clientCpuMs", client.cpuMillis() - cpu0);
        removeWarmup(api, driver, created, desired, false, m);
        System.out.printf("limit warm-up: %d cluster(s) created and ready in %.2f s after its client's start (CPU %.1f s), "
                + "then removed%n", clusters, Results.num(m, "seconds"), Results.num(m, "clientCpuMs") / 1000);
        return m;
    }

    /**
     * Waits until the operator has written nothing for {@code quiet}, at most {@code max}; whether it was quiet by
     * then.
     */
    static boolean awaitQuiet(BenchApiServer api, Duration quiet, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        long last = api.tally.snapshot().writes(RequestTally.OPERATOR);
        long lastChange = System.nanoTime();
        while (System.nanoTime() < end && System.nanoTime() - lastChange < quiet.toNanos()) {
            Thread.sleep(200);
            long now = api.tally.snapshot().writes(RequestTally.OPERATOR);
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
        return System.nanoTime() - lastChange >= quiet.toNanos();
    }

    /** The machine's load averages (1, 5, 15 minutes): other work on the machine shows here. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static String first(List<String> items, int count) {
        return items.size() <= count ? items.toString()
                : items.subList(0, count) + " and " + (items.size() - count) + " more";
    }

    /**
     * Follows the custom resources' Ready conditions through informers: which are Ready now, and how often each one's
     * Ready condition changed state (status or reason) on the way, the measure of status writes that were due.
     */
    static final class ReadyWatch implements AutoCloseable {
        private final Map<String, String> state = new ConcurrentHashMap<>();
        private final Map<String, Integer> changes = new ConcurrentHashMap<>();
        private final Map<String, String> versions = new ConcurrentHashMap<>();
        private final Map<String, Integer> statusVersions = new ConcurrentHashMap<>();
        private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
        private final KubernetesSerialization json;
        private final java.util.Queue<String> trace = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile long t0 = System.nanoTime();

        ReadyWatch(KubernetesClient client) {
            json = client.getKubernetesSerialization();
            for (Class<? extends CustomResource<?, ?>> kind : CR_KINDS) {
                informers.add(inform(client, kind));
            }
        }

        /** The times of the trace count from here (the watch is started before the clock, on no resource yet). */
        void startClock(long t0) {
            this.t0 = t0;
        }

        private <T extends CustomResource<?, ?>> SharedIndexInformer<T> inform(KubernetesClient client, Class<T> kind) {
            return client.resources(kind).inAnyNamespace().inform(new ResourceEventHandler<T>() {
                @Override
                public void onAdd(T cr) {
                    seen(cr);
                }

                @Override
                public void onUpdate(T old, T cr) {
                    seen(cr);
                }

                @Override
                public void onDelete(T cr, boolean unknown) {
                }
            }, 0);
        }

        private void seen(CustomResource<?, ?> cr) {
            String key = BenchClusters.key(cr);
            Condition ready = BenchClusters.ready(cr);
            String now = ready == null ? "none" : ready.getStatus() + "/" + ready.getReason();
            if (trace.size() < 100_000) {
                trace.add(String.format(java.util.Locale.ROOT, "%9.1f %s %s %s", (System.nanoTime() - t0) / 1e6, key,
                        now, cr.getStatus() == null ? "" : json.asJson(cr.getStatus())));
            }
            String before = state.put(key, now);
            if (ready != null && !Objects.equals(before, now)) {
                changes.merge(key, 1, Integer::sum);
            }
            String status = cr.getStatus() == null ? null : json.asJson(cr.getStatus());
            if (status != null && !Objects.equals(versions.put(key, status), status)) {
                statusVersions.merge(key, 1, Integer::sum);
            }
        }

        boolean allReady(int expected) {
            return state.size() >= expected && state.values().stream().allMatch(s -> s.startsWith("True/"));
        }

        List<String> notReady() {
            return state.entrySet().stream().filter(e -> !e.getValue().startsWith("True/"))
                    .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        }

        /** Every status seen, with the milliseconds since the custom resources were created. */
        String trace() {
            return String.join("\n", trace) + "\n";
        }

        int stateChanges() {
            return changes.values().stream().mapToInt(Integer::intValue).sum();
        }

        int statusVersions() {
            return statusVersions.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public void close() {
            informers.forEach(SharedIndexInformer::close);
        }
    }
}
