package io.pulsarmesh.operator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    static Placement fromProperties() throws IOException {
        String mode = System.getProperty("bench.placement", "split").trim();
        List<Integer> cpus = allowedCpus();
        String all = join(cpus);
        if (mode.equals("shared")) {
            return new Placement("shared", all, all);
        }
        if (!mode.equals("split")) {
            throw new IllegalArgumentException("bench.placement must be split or shared, not " + mode);
        }
        if (cpus.size() < 2) {
            System.out.println("placement: one core only, shared");
            return new Placement("shared", all, all);
        }
        if (!tasksetWorks()) {
            System.out.println("placement: taskset (util-linux) not found, shared");
            return new Placement("shared", all, all);
        }
        int half = cpus.size() / 2;
        return new Placement("split", join(cpus.subList(0, half)), join(cpus.subList(half, cpus.size())));
    }

    /** The CPUs this process may run on (its cpuset, which need not start at 0), from {@code /proc/self/status}. */
    static List<Integer> allowedCpus() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return parseList(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IOException("no Cpus_allowed_list in /proc/self/status");
    }

    /** {@code 0-2,5} as 0, 1, 2, 5. */
    static List<Integer> parseList(String list) {
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int c = from; c <= to; c++) {
                out.add(c);
            }
        }
        return out;
    }

    /** A list of CPUs as {@code taskset -c} takes it. */
    static String join(List<Integer> cpus) {
        return String.join(",", cpus.stream().map(String::valueOf).toList());
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
                ? "the mock API server, the fake workload controller and the benchmark on " + cpus(serverCpus)
                        + "; the operator and the limit's client, each a process of its own, on " + cpus(clientCpus)
                        + " (the training and the start-ups on their own before, on all)"
                : "all processes on all cores");
        return m;
    }

    private static String cpus(String list) {
        return (list.contains(",") ? "CPUs " : "CPU ") + list;
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
