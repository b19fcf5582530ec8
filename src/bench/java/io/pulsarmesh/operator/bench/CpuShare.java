package io.pulsarmesh.operator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of this JVM (the API server's side: the mock, the fake workload controller, the benchmark's watches)
 * by group of threads (their names without numbers), and what the JVM itself used besides (the collector, the JIT).
 * Where the API server's core goes in each run.
 */
final class CpuShare {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<String, Long> nanosByGroup;
    private final Map<Long, Long> nanosByThread;
    private final double processMillis;
    private final long gcMillis;
    private final long jitMillis;

    private CpuShare(Map<String, Long> nanosByGroup, Map<Long, Long> nanosByThread, double processMillis) {
        this.nanosByGroup = nanosByGroup;
        this.nanosByThread = nanosByThread;
        this.processMillis = processMillis;
        this.gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
        this.jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    static CpuShare now() {
        Map<Long, Long> byThread = new TreeMap<>();
        Map<String, Long> names = new TreeMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = THREADS.getThreadCpuTime(t.getThreadId());
            if (ns >= 0) {
                byThread.put(t.getThreadId(), ns);
                names.put(t.getThreadId() + "|" + group(t.getThreadName()), ns);
            }
        }
        return new CpuShare(names, byThread, OperatorBenchmark.ownCpuMillis());
    }

    static String group(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }

    /** Milliseconds of CPU since {@code before}, by group, largest first; {@code jvm} is what no Java thread used. */
    Map<String, Long> since(CpuShare before) {
        Map<String, Long> groups = new TreeMap<>();
        long threads = 0;
        for (Map.Entry<String, Long> e : nanosByGroup.entrySet()) {
            long id = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('|')));
            long d = e.getValue() - before.nanosByThread.getOrDefault(id, 0L);
            threads += d;
            groups.merge(e.getKey().substring(e.getKey().indexOf('|') + 1), d, Long::sum);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        groups.entrySet().stream().filter(e -> e.getValue() >= 50_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue() / 1_000_000));
        out.put("jvm (collector, compiler, threads that ended)", Math.round(processMillis - before.processMillis - threads / 1e6));
        out.put("of which collections (elapsed)", gcMillis - before.gcMillis);
        out.put("of which compilation (elapsed)", jitMillis - before.jitMillis);
        return out;
    }
}
