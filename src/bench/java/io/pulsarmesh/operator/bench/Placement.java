package io.pulsarmesh.operator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which cores the benchmark's processes run on ({@code bench.placement}).
 *
 * <ul>
 * <li>{@code split} (the default where there are two cores or more): the API server's side (this JVM: the mock API
 * server, the fake workload controller, the benchmark's own watches) on the first half of the cores, and the client
 * being measured (the operator, or the limit's plain client) on the other half. In a cluster the operator runs on a
 * node of its own, not on the API server's; on one machine sharing its cores, the operator's own CPU slows the API
 * server it waits for, which a real API server does not feel. Both clients get the same cores, so the comparison
 * stays even.</li>
 * <li>{@code shared}: every process on every core, as the operating system schedules them.</li>
 * </ul>
 *
 * The AOT cache's training and the start-ups on their own run before any of it, on the whole machine: the start-up
 * target is for the operator on the whole machine.
 */
final class Placement {
    final String mode;
    final String serverCpus;
    final String clientCpus;

    private Placement(String mode, String serverCpus, String clientCpus) {
        this.mode = mode;
        this.serverCpus = serverCpus;
        this.clientCpus = clientCpus;
    }

    static Placement fromProperties() {
        String mode = System.getProperty("bench.placement", "split").trim();
        int cores = Runtime.getRuntime().availableProcessors();
        String all = cores == 1 ? "0" : "0-" + (cores - 1);
        if (mode.equals("shared")) {
            return new Placement("shared", all, all);
        }
        if (!mode.equals("split")) {
            throw new IllegalArgumentException("bench.placement must be split or shared, not " + mode);
        }
        if (cores < 2) {
            System.out.println("placement: one core only, shared");
            return new Placement("shared", all, all);
        }
        if (!tasksetWorks()) {
            System.out.println("placement: taskset (util-linux) not found, shared");
            return new Placement("shared", all, all);
        }
        int half = cores / 2;
        return new Placement("split", range(0, half - 1), range(half, cores - 1));
    }

    private static String range(int from, int to) {
        return from == to ? String.valueOf(from) : from + "-" + to;
    }

    boolean split() {
        return mode.equals("split");
    }

    /** Pins every thread of this JVM (and so the threads it starts later) to the API server's cores. */
    void pinThisJvm() throws IOException, InterruptedException {
        if (!split()) {
            return;
        }
        // taskset walks the threads one by one and fails when one ends meanwhile: again, a few times.
        List<String> command = List.of("taskset", "-a", "-p", "-c", serverCpus,
                String.valueOf(ProcessHandle.current().pid()));
        for (int attempt = 1;; attempt++) {
            try {
                run(command);
                return;
            } catch (IOException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The command prefix of a measured client process (the operator, the limit's client). */
    List<String> client() {
        return split() ? List.of("taskset", "-c", clientCpus) : List.of();
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("apiServerCpus", serverCpus);
        m.put("clientCpus", clientCpus);
        m.put("note", split()
                ? "the mock API server, the fake workload controller and the benchmark on cores " + serverCpus
                        + "; the operator and the limit's client, each a process of its own, on cores " + clientCpus
                        + " (the training and the start-ups on their own before, on all)"
                : "all processes on all cores");
        return m;
    }

    private static boolean tasksetWorks() {
        try {
            return run(List.of("taskset", "-p", String.valueOf(ProcessHandle.current().pid()))) == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0 && command.contains("-a")) {
            throw new IOException(String.join(" ", command) + " failed (" + rc + "): " + output);
        }
        return rc;
    }
}
