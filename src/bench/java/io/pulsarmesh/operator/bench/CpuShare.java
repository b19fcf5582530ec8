package io.pulsarmesh.operator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of this JVM (the API server's side: the mock, the fake workload controller, the benchmark's watches),
 * in all and by group of threads (their names without numbers), and what the JVM itself used besides (the collector,
 * the JIT). Where the API server's core goes in each run.
 */
final class CpuShare {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** CPU nanoseconds by thread id. */
    private final Map<Long, Long> nanosByThread;
    /** Group by thread id. */
    private final Map<Long, String> groupByThread;
    private final double processMillis;
    private final long gcMillis;
    private final long jitMillis;

    private CpuShare(Map<Long, Long> nanosByThread, Map<Long, String> groupByThread) {
        this.nanosByThread = nanosByThread;
        this.groupByThread = groupByThread;
        this.processMillis = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
        this.gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
        this.jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    static CpuShare now() {
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> groups = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = THREADS.getThreadCpuTime(t.getThreadId());
            if (ns >= 0) {
                nanos.put(t.getThreadId(), ns);
                groups.put(t.getThreadId(), group(t.getThreadName()));
            }
        }
        return new CpuShare(nanos, groups);
    }

    static String group(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }

    /** Milliseconds of CPU of the whole JVM since {@code before}. */
    double millisSince(CpuShare before) {
        return processMillis - before.processMillis;
    }

    /** Milliseconds of CPU since {@code before}, by group, largest first; {@code jvm} is what no Java thread used. */
    Map<String, Long> byGroupSince(CpuShare before) {
        Map<String, Long> groups = new TreeMap<>();
        long threads = 0;
        for (Map.Entry<Long, Long> e : nanosByThread.entrySet()) {
            long d = e.getValue() - before.nanosByThread.getOrDefault(e.getKey(), 0L);
            threads += d;
            groups.merge(groupByThread.get(e.getKey()), d, Long::sum);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        groups.entrySet().stream().filter(e -> e.getValue() >= 50_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue() / 1_000_000));
        out.put("jvm (collector, compiler, threads that ended)", Math.round(millisSince(before) - threads / 1e6));
        out.put("of which collections (elapsed)", gcMillis - before.gcMillis);
        out.put("of which compilation (elapsed)", jitMillis - before.jitMillis);
        return out;
    }
}
