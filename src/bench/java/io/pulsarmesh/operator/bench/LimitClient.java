package io.pulsarmesh.operator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The limit's plain client, in a process of its own like the operator (and on the same cores, see {@link Placement}).
 *
 * <p>Each limit run starts one and first has it create the objects of as many warm-up clusters as each operator
 * converges before it is measured, so that both are measured equally warm ({@code bench.limit-client=fresh}); with
 * {@code shared}, one process serves every limit run of the benchmark and is the warmer the more runs it has made. For
 * each run, {@code connect <url>} opens its connection to that run's API server (before the clock) and prints
 * {@code ready}; {@code go} (the custom resources have been created) lists them, renders exactly the objects the
 * operator would create for them, creates them with {@code threads} requests in flight and prints
 * {@code created <count>}. It exits at the end of its input.
 */
public final class LimitClient {
    private LimitClient() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        KubernetesClient client = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("connect ")) {
                if (client != null) {
                    client.close();
                }
                client = BenchApiServer.client(line.substring("connect ".length()).trim(), "limit");
                client.namespaces().withName("default").get(); // the connection, before the clock
                System.out.println("ready");
            } else if (line.equals("go") && client != null) {
                System.out.println("created " + createAll(client, pool));
            } else {
                System.out.println("error: unexpected " + line);
            }
            System.out.flush();
        }
        System.exit(0);
    }

    private static int createAll(KubernetesClient client, ExecutorService pool) throws Exception {
        List<CustomResource<?, ?>> created = new ArrayList<>();
        for (Class<? extends CustomResource<?, ?>> kind : OperatorBenchmark.CR_KINDS) {
            created.addAll(client.resources(kind).inAnyNamespace().list().getItems());
        }
        List<HasMetadata> desired = BenchClusters.desired(created);
        List<Future<?>> futures = new ArrayList<>();
        for (HasMetadata o : desired) {
            futures.add(pool.submit(() -> client.resource(o).create()));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return desired.size();
    }

    /** The started process. */
    static final class Process implements AutoCloseable {
        private final java.lang.Process process;
        private final BufferedReader out;
        private final Writer in;
        private final Path log;

        Process(List<String> prefix, int threads, Path log) throws IOException {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), LimitClient.class.getName(), String.valueOf(threads)));
            this.log = log;
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Connects to the API server at {@code url}. */
        void connect(String url) throws IOException {
            send("connect " + url);
            expect("ready");
        }

        /** Starts the creation and returns when every object is created: their count. */
        int go() throws IOException {
            send("go");
            return Integer.parseInt(expect("created ").substring("created ".length()).trim());
        }

        double cpuMillis() throws IOException {
            return OperatorProcess.cpuMillis(process.pid());
        }

        private void send(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        private String expect(String prefix) throws IOException {
            String line = out.readLine();
            if (line == null || !line.startsWith(prefix)) {
                throw new IllegalStateException("the limit's client answered " + line + " instead of '" + prefix
                        + "'; see " + log);
            }
            return line;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
