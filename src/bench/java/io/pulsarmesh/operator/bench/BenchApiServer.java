package io.pulsarmesh.operator.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.pulsarmesh.operator.artifact.LoopbackApiServer;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.testsupport.AccessReviews;
import io.pulsarmesh.operator.testsupport.IstioCrds;

/**
 * The fabric8 mock API server in CRUD mode on loopback, as the operator-in-the-loop tests use it, with the project's
 * CRDs and Istio's stand-in CRDs installed, and every request counted ({@link RequestTally}) as it is dispatched.
 * The server's own log of recorded requests is drained and dropped, so a long run holds no request bodies.
 *
 * <p>One correction makes it answer like a real API server: the mock ignores set-based label requirements
 * ({@code key in (a,b)}), which the operator's informers use to watch only their own component's objects, so each
 * informer would receive and cache every managed object. They are rewritten into the equality-based requirements the
 * mock does honour: {@code key=a} for one value, and for the component label, whose values are known,
 * {@code key!=x} for every other component.
 *
 * <p>And its writes find the object they are about by key, not by a scan of the whole store ({@link IndexedStore}).
 */
final class BenchApiServer implements AutoCloseable {
    final RequestTally tally = new RequestTally();
    private final KubernetesMockServer server;
    /** The mock's store, indexed ({@link IndexedStore}). */
    private final IndexedStore store;
    private final Thread drain;
    private volatile boolean closed;

    private BenchApiServer() {
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                tally.record(request.getHeader("User-Agent"), request.getMethod(), request.getPath());
                if (AccessReviews.isRulesReview(request)) {
                    return AccessReviews.leaseRules(request); // the authorizer the mock lacks (leader election)
                }
                MockResponse forbidden = AccessReviews.refusedLeaseRequest(request);
                if (forbidden != null) {
                    return forbidden;
                }
                String path = withEqualitySelectors(request.getPath());
                return super.dispatch(path.equals(request.getPath()) ? request
                        : new RecordedRequest(request.getHttpVersion(), request.method(), path, request.getHeaders(),
                                request.getBody()));
            }

            @Override
            public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
                IndexedStore.Found found = new IndexedStore.Found();
                Map.Entry<AttributeSet, String> entry = store.find(query, found);
                if (!found.known) {
                    IndexedStore.SCANNED.incrementAndGet();
                    return super.findResource(query);
                }
                IndexedStore.ANSWERED.incrementAndGet();
                if (IndexedStore.CHECK) {
                    // Thrown here, an error would only leave the request unanswered: counted, and the scan's answer
                    // given; the benchmark fails at its end if any differed. The keys are the store's own objects.
                    Map.Entry<AttributeSet, String> scanned = super.findResource(query);
                    if ((scanned == null ? null : scanned.getKey()) != (entry == null ? null : entry.getKey())) {
                        IndexedStore.MISMATCHES.incrementAndGet();
                        IndexedStore.FIRST_MISMATCH.compareAndSet(null, "the index found " + entry + " for " + query
                                + ", the scan " + scanned);
                    }
                    return scanned;
                }
                return entry;
            }
        };
        store = IndexedStore.install(dispatcher);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        drain = new Thread(() -> {
            while (!closed) {
                try {
                    server.takeRequest(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-request-log-drain");
        drain.setDaemon(true);
        drain.start();
    }

    /** A started server with the CRDs of {@code crdDir} (the project's) and Istio's stand-ins. */
    static BenchApiServer start(Path crdDir) throws IOException {
        BenchApiServer s = new BenchApiServer();
        try (KubernetesClient c = s.client("setup")) {
            LoopbackApiServer.installCrds(c, crdDir);
            IstioCrds.install(c);
            // The ingress gateway the example's brokers select, with every port they need, as an Istio install has
            // it: their prerequisite check finds it (otherwise each broker would report it missing).
            IstioCrds.installIngressGateway(c);
        }
        return s;
    }

    static final List<String> COMPONENTS = List.of(Labels.ZOOKEEPER, Labels.BOOKIE, Labels.AUTO_RECOVERY, Labels.BROKER,
            Labels.PROXY);
    private static final Pattern SET_REQUIREMENT = Pattern.compile("\\s*([^\\s,()!=]+)\\s+in\\s+\\(([^)]*)\\)\\s*");

    /** The request path with the set-based requirements of its label selector rewritten (see the class comment). */
    static String withEqualitySelectors(String path) {
        int q = path == null ? -1 : path.indexOf('?');
        if (q < 0 || !path.contains("labelSelector=")) {
            return path;
        }
        String[] params = path.substring(q + 1).split("&");
        boolean changed = false;
        for (int i = 0; i < params.length; i++) {
            if (params[i].startsWith("labelSelector=")) {
                String selector = URLDecoder.decode(params[i].substring("labelSelector=".length()), StandardCharsets.UTF_8);
                String rewritten = equalitySelector(selector);
                if (!rewritten.equals(selector)) {
                    params[i] = "labelSelector=" + URLEncoder.encode(rewritten, StandardCharsets.UTF_8);
                    changed = true;
                }
            }
        }
        return changed ? path.substring(0, q + 1) + String.join("&", params) : path;
    }

    static String equalitySelector(String selector) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        List<String> requirements = new ArrayList<>();
        for (int i = 0; i < selector.length(); i++) {
            char ch = selector.charAt(i);
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (ch == ',' && depth == 0) {
                requirements.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        requirements.add(selector.substring(start));
        for (String r : requirements) {
            Matcher m = SET_REQUIREMENT.matcher(r);
            if (!m.matches()) {
                out.add(r.trim());
                continue;
            }
            String key = m.group(1);
            List<String> values = Arrays.stream(m.group(2).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
            if (values.size() == 1) {
                out.add(key + "=" + values.get(0));
            } else if (key.equals(Labels.COMPONENT) && COMPONENTS.containsAll(values)) {
                COMPONENTS.stream().filter(c -> !values.contains(c)).forEach(c -> out.add(key + "!=" + c));
            } else {
                out.add(r.trim());
            }
        }
        return String.join(",", out);
    }

    String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
    }

    /** A client of the benchmark, told apart from the operator by its User-Agent {@code pmo-bench-<name>}. */
    KubernetesClient client(String name) {
        return client(url(), name);
    }

    /** A client of the benchmark for the server at {@code url} (from another process). */
    static KubernetesClient client(String url, String name) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default")
                .withUserAgent(RequestTally.USER_AGENT_PREFIX + name).withRequestTimeout(60_000)
                .withConnectionTimeout(10_000).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        closed = true;
        drain.interrupt();
        server.destroy();
    }
}
