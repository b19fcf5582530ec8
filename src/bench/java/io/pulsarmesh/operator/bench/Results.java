package io.pulsarmesh.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The figures of one benchmark run: {@code results.json} (everything measured) and a Markdown table of the headline
 * figures beside the targets, with how they grow per cluster.
 */
final class Results {
    static final double TIME_RATIO_TARGET = 1.5;
    static final double WRITE_FACTOR_TARGET = 1.2;
    static final double READY_MS_TARGET_JVM = 2500;
    static final double READY_MS_TARGET_NATIVE = 100;
    static final double RSS_TARGET_JVM = 250;
    static final double RSS_TARGET_NATIVE = 80;

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final boolean nativeExecutable;

    Results(Path operator, List<String> jvmOptions, Duration idle, int limitThreads) {
        nativeExecutable = !operator.toString().endsWith(".jar");
        root.put("takenAt", Instant.now().toString());
        root.put("machine", machine());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("operator", nativeExecutable ? "native executable" : "JVM (quarkus-run.jar)");
        settings.put("operatorJvmOptions", nativeExecutable ? List.of() : jvmOptions);
        settings.put("serverSideApply", false);
        settings.put("serverSideApplyNote", "the fabric8 mock API server has no server-side apply: the operator runs "
                + "with quarkus.operator-sdk.enable-ssa=false (structural comparison and JSON patches)");
        settings.put("idleWindow", idle.toString());
        settings.put("limitThreads", limitThreads);
        settings.put("example", "kubernetes/examples/pulsar-cluster-istio.yaml, one namespace per cluster");
        root.put("settings", settings);
        root.put("runs", runs);
    }

    void add(Map<String, Object> run) {
        runs.add(run);
    }

    void put(String key, Object value) {
        root.put(key, value);
    }

    void write(Path dir) throws IOException {
        root.put("growthPerCluster", growth());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(dir.resolve("results.json"), mapper.writeValueAsString(root) + "\n");
        Files.writeString(dir.resolve("results.md"), markdown());
    }

    /** The Markdown table. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        if (root.get("startup") instanceof Map<?, ?> su) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) su;
            double target = nativeExecutable ? READY_MS_TARGET_NATIVE : READY_MS_TARGET_JVM;
            sb.append("Start-up against a warm API server, ").append(s.get("starts")).append(" starts: ready after **")
                    .append(fmt0(num(s, "readyMsMedian"))).append(" ms** (median; ").append(fmt0(num(s, "readyMsMin")))
                    .append("–").append(fmt0(num(s, "readyMsMax"))).append("; target ≤ ").append(fmt0(target))
                    .append(" ms), resident memory ").append(fmt0(num(s, "rssMiBMedian"))).append(" MiB, CPU ")
                    .append(fmt0(num(s, "cpuMsMedian"))).append(" ms.\n\n");
        }
        if (root.get("placement") instanceof Map<?, ?> p) {
            sb.append("Placement: ").append(p.get("mode")).append(" (").append(p.get("note")).append(").\n\n");
        }
        sb.append("Figures of one run are of the first repetition, which also measures idle, memory and resync; the ")
                .append("times of every repetition follow them.");
        if (root.get("operatorWarmupClusters") instanceof Number w && w.intValue() > 0) {
            sb.append(" Each operator process first converges ").append(w).append(" other cluster(s), which are then ")
                    .append("removed, and is measured warm");
            sb.append("fresh".equals(root.get("limitClient"))
                    ? "; so is each limit run's client, a new process that first creates their objects."
                    : "; one limit's client serves every limit run.");
        }
        sb.append("\n\n");
        sb.append("| Figure |");
        runs.forEach(r -> sb.append(" N = ").append(r.get("clusters")).append(" |"));
        sb.append(" Target |\n|---|");
        runs.forEach(r -> sb.append("---:|"));
        sb.append("---|\n");
        double rssTarget = nativeExecutable ? RSS_TARGET_NATIVE : RSS_TARGET_JVM;
        row(sb, "Start-up before the run, on a fresh API server (ms)", r -> fmt0(num(r, "startup", "readyMs")),
                "(see above)");
        row(sb, "Resident memory at ready (MiB)", r -> fmt0(num(r, "startup", "rssMiB")), "");
        row(sb, "Operator's first convergence after its start, not measured below: clusters / s (median of the pairs; "
                + "as polled, objects checked) / operator CPU, first pair (s)", r -> fmt0(num(r, "operatorWarmup", "clusters")) + " / "
                        + fmt2(num(r, "timing", "operatorFirstConvergenceSecondsMedian")) + " / "
                        + fmt1(num(r, "operatorWarmup", "operatorCpuMs") / 1000), "");
        row(sb, "Limit's client's first run after its start, not measured below: clusters / s (objects created, "
                + "workloads ready) / client CPU, first pair (s)", r -> fmt0(num(r, "limitWarmup", "clusters")) + " / "
                        + fmt2(num(r, "limitWarmup", "seconds")) + " / "
                        + fmt1(num(r, "limitWarmup", "clientCpuMs") / 1000), "");
        row(sb, "Custom resources / objects rendered", r -> fmt0(num(r, "convergence", "customResources")) + " / "
                + fmt0(num(r, "convergence", "objects")), "");
        row(sb, "Convergence: all Ready (s)", r -> fmt2(num(r, "convergence", "allReadySeconds")), "");
        row(sb, "Convergence: Ready and objects = render (s)", r -> fmt2(num(r, "convergence", "seconds")), "");
        row(sb, "(its workloads ready, as the fake controller reports them) (s)",
                r -> fmt2(num(r, "convergence", "workloadsReadySeconds")), "");
        row(sb, "Operator CPU during convergence (s)", r -> fmt1(num(r, "convergence", "operatorCpuMs") / 1000), "");
        row(sb, "Limit's client CPU (s)", r -> fmt1(num(r, "limit", "clientCpuMs") / 1000), "");
        row(sb, "API server side CPU (mock, fake controller, benchmark): operator's run / limit's run (s)",
                r -> fmt1(num(r, "convergence", "apiServerCpuMs") / 1000) + " / "
                        + fmt1(num(r, "limit", "apiServerCpuMs") / 1000), "");
        row(sb, "Limit: objects created (s)", r -> fmt2(num(r, "limit", "objectsCreatedSeconds")), "");
        row(sb, "Limit: objects created, workloads ready (s)", r -> fmt2(num(r, "limit", "workloadsReadySeconds")), "");
        row(sb, "Each repetition on a fresh API server: operator (s)", r -> series(r, "operatorSeconds"), "");
        row(sb, "Each repetition on a fresh API server: limit (s)", r -> series(r, "limitSeconds"), "");
        row(sb, "Each repetition: ratio", r -> series(r, "ratios"), "");
        row(sb, "Each repetition: CPU of the operator / of the limit's client (s)", r -> series(r, "operatorCpuSeconds")
                + " / " + series(r, "limitClientCpuSeconds"), "");
        row(sb, "**Time ratio operator / limit** (median of the repetitions)", r -> "**" + fmt2(timeRatio(r)) + "**",
                "≤ " + TIME_RATIO_TARGET + " at N = 50");
        row(sb, "Operator reads (get / list / watch)", r -> fmt0(verb(r, "get")) + " / " + fmt0(verb(r, "list")) + " / "
                + fmt0(verb(r, "watch")), "");
        row(sb, "Operator writes: objects (create / update / patch / delete)",
                r -> fmt0(verb(r, "create")) + " / " + fmt0(verb(r, "update")) + " / " + fmt0(verb(r, "patch")) + " / "
                        + fmt0(verb(r, "delete")), "");
        row(sb, "Operator writes: status / Events", r -> fmt0(verb(r, "status")) + " / " + fmt0(verb(r, "event")), "");
        row(sb, "Ready state changes of the custom resources", r -> fmt0(num(r, "convergence", "readyStateChanges")), "");
        row(sb, "**Operator writes / budget**", r -> "**" + fmt0(num(r, "convergence", "writes")) + " / "
                + fmt0(budget(r)) + "**", "≤ " + WRITE_FACTOR_TARGET + " × objects + 1 status write per CR per state change");
        row(sb, "Write ratio operator / limit", r -> fmt2(num(r, "convergence", "writes") / num(r, "limit", "writes")), "");
        row(sb, "Idle after convergence: CPU (% of one core) / writes", r -> fmt1(num(r, "idle", "cpuPercentOfOneCore"))
                + " / " + fmt0(num(r, "idle", "writes")), "");
        row(sb, "Full resync (a restarted operator): reconciliations / **writes**",
                r -> fmt0(num(r, "resync", "componentReconciliations")) + " / **" + fmt0(num(r, "resync", "writes")) + "**",
                "0 writes");
        row(sb, "Restarted operator with the clusters: ready (ms) / resident memory after resync (MiB)",
                r -> fmt0(num(r, "resync", "readyMs")) + " / " + fmt0(num(r, "resync", "rssMiB")), "");
        row(sb, "**Resident memory after convergence (MiB)**", r -> "**" + fmt0(num(r, "memory", "rssMiBConverged")) + "**",
                "≤ " + fmt0(rssTarget) + " at N = 50");
        row(sb, "of which anonymous / file-backed (MiB)", r -> fmt0(num(r, "memory", "rssAnonMiBConverged")) + " / "
                + fmt0(num(r, "memory", "rssFileMiBConverged")), "");
        row(sb, "Committed after convergence: heap / non-heap (metaspace, code cache) (MiB)",
                r -> fmt0(num(r, "memory", "heapCommittedMiBConverged")) + " / "
                        + fmt0(num(r, "memory", "nonHeapCommittedMiBConverged")), "");
        row(sb, "Heap in use after convergence / after the idle window (MiB)",
                r -> fmt0(num(r, "memory", "heapMiBConverged")) + " / " + fmt0(num(r, "memory", "heapMiBIdle")), "");
        Map<String, Object> g = growth();
        if (!g.isEmpty()) {
            sb.append("\nGrowth per added cluster (N = ").append(g.get("from")).append(" → ").append(g.get("to"))
                    .append("): convergence ").append(fmt2((Double) g.get("convergenceSeconds"))).append(" s (limit ")
                    .append(fmt2((Double) g.get("limitSeconds"))).append(" s), operator writes ")
                    .append(fmt1((Double) g.get("writes"))).append(", reads ").append(fmt1((Double) g.get("reads")))
                    .append(", resident memory ").append(fmt2((Double) g.get("rssMiB"))).append(" MiB, heap ")
                    .append(fmt2((Double) g.get("heapMiB"))).append(" MiB.\n");
        }
        return sb.toString();
    }

    /** Increments per cluster between the smallest and the largest cluster count. */
    private Map<String, Object> growth() {
        Map<String, Object> g = new LinkedHashMap<>();
        if (runs.size() < 2) {
            return g;
        }
        Map<String, Object> a = runs.get(0);
        Map<String, Object> b = runs.get(runs.size() - 1);
        double dn = num(b, "clusters") - num(a, "clusters");
        if (dn <= 0) {
            return g;
        }
        g.put("from", a.get("clusters"));
        g.put("to", b.get("clusters"));
        g.put("convergenceSeconds", (operatorSeconds(b) - operatorSeconds(a)) / dn);
        g.put("limitSeconds", (limitSeconds(b) - limitSeconds(a)) / dn);
        g.put("writes", (num(b, "convergence", "writes") - num(a, "convergence", "writes")) / dn);
        g.put("reads", (num(b, "convergence", "reads") - num(a, "convergence", "reads")) / dn);
        g.put("rssMiB", (num(b, "memory", "rssMiBConverged") - num(a, "memory", "rssMiBConverged")) / dn);
        g.put("heapMiB", (num(b, "memory", "heapMiBConverged") - num(a, "memory", "heapMiBConverged")) / dn);
        return g;
    }

    /** Operator / limit: the median of the repetitions' ratios (the one pair's without them). */
    static double timeRatio(Map<String, Object> r) {
        return r.get("timing") instanceof Map<?, ?> ? num(r, "timing", "ratioMedian")
                : operatorSeconds(r) / limitSeconds(r);
    }

    static double operatorSeconds(Map<String, Object> r) {
        return r.get("timing") instanceof Map<?, ?> ? num(r, "timing", "operatorSecondsMedian")
                : num(r, "convergence", "seconds");
    }

    static double limitSeconds(Map<String, Object> r) {
        return r.get("timing") instanceof Map<?, ?> ? num(r, "timing", "limitSecondsMedian")
                : num(r, "limit", "workloadsReadySeconds");
    }

    @SuppressWarnings("unchecked")
    static String series(Map<String, Object> r, String key) {
        if (!(r.get("timing") instanceof Map<?, ?> t) || !(t.get(key) instanceof List<?> l)) {
            return "";
        }
        return ((List<Number>) l).stream().map(x -> fmt2(x.doubleValue())).reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** 1.2 × the objects, plus one status write per Ready state change of a custom resource. */
    static double budget(Map<String, Object> r) {
        return WRITE_FACTOR_TARGET * num(r, "convergence", "objects") + num(r, "convergence", "readyStateChanges");
    }

    private void row(StringBuilder sb, String name, Function<Map<String, Object>, String> cell, String target) {
        sb.append("| ").append(name).append(" |");
        for (Map<String, Object> r : runs) {
            String v;
            try {
                v = cell.apply(r);
            } catch (RuntimeException e) {
                v = "–";
            }
            sb.append(' ').append(v).append(" |");
        }
        sb.append(' ').append(target).append(" |\n");
    }

    @SuppressWarnings("unchecked")
    static double num(Map<String, Object> r, String... path) {
        Object at = r;
        for (String p : path) {
            at = at instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(p) : null;
        }
        if (!(at instanceof Number n)) {
            throw new IllegalArgumentException("no figure " + String.join(".", path));
        }
        return n.doubleValue();
    }

    static double verb(Map<String, Object> r, String verb) {
        return num(r, "convergence", "requests", verb);
    }

    static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstLine(Path.of("/proc/cpuinfo"), "model name"));
        String mem = firstLine(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memory", mem);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return m;
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
