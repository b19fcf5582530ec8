package io.pulsarmesh.operator.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.pulsarmesh.operator.testsupport.AccessReviews;

/**
 * The fabric8 mock API server in CRUD mode, plain HTTP on loopback, with server-side apply as
 * {@link ServerSideApplyDispatcher} does it, the Lease authorizer of {@link AccessReviews}, injectable {@link Faults}
 * and the project's CRDs from {@code kubernetes/crds/} installed. The integration tests get it through
 * {@link MockApiServer}; the image build's training run ({@link AotTraining}) starts one of its own. Nothing here needs
 * a test framework on the class path.
 */
public final class LoopbackApiServer implements AutoCloseable {
    static final Path CRDS = Path.of("kubernetes", "crds");
    static final String LEASE_NAMESPACE = "pulsar-mesh-operator";

    final KubernetesMockServer server;
    final KubernetesClient client;
    final ServerSideApplyDispatcher crud;
    final Faults faults = new Faults();

    private LoopbackApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        crud = new ServerSideApplyDispatcher();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), expectations,
                new ExpectationsFirst(expectations, crud, faults), false);
        server.init();
        client = server.createClient();
    }

    /** A started server with the project's CRDs installed. */
    static LoopbackApiServer start() {
        LoopbackApiServer s = new LoopbackApiServer();
        try {
            installCrds(s.client);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The URL clients use ({@code kubernetes.master}). */
    String url() {
        return server.url("/");
    }

    /**
     * What an operator launched against this server is told, as configuration properties: the server's URL
     * ({@code kubernetes.master}; the Quarkus property {@code quarkus.kubernetes-client.api-server-url} is fixed at
     * build time), no kubeconfig or service account (so a {@code KUBECONFIG} of the environment is not read), its HTTP
     * port, and the Lease namespace (leader election is on, as in production).
     */
    Map<String, String> operatorSettings(String httpPort) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("quarkus.http.port", httpPort);
        settings.put("kubernetes.master", url());
        settings.put("kubernetes.auth.tryKubeConfig", "false");
        settings.put("kubernetes.auth.tryServiceAccount", "false");
        settings.put("pulsar.operator.leader-election.lease-namespace", LEASE_NAMESPACE);
        return settings;
    }

    static void installCrds(KubernetesClient client) {
        installCrds(client, CRDS);
    }

    /** Installs the project's 5 CRDs from {@code dir} (its {@code kubernetes/crds/}) on the server of {@code client}. */
    public static void installCrds(KubernetesClient client, Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> crds = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted().toList();
            if (crds.size() != 5) {
                throw new IllegalStateException("expected the 5 CRDs of the project in " + dir + ", found " + crds);
            }
            for (Path f : crds) {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                        .load(f.toFile()).item();
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /** The mock's own expectations ({@code /}, {@code /version}) first, the CRUD store for everything else. */
    static final class ExpectationsFirst extends Dispatcher {
        private final Map<ServerRequest, Queue<ServerResponse>> expectations;
        private final MockDispatcher mock;
        private final ServerSideApplyDispatcher crud;

        private final Faults faults;

        ExpectationsFirst(Map<ServerRequest, Queue<ServerResponse>> expectations, ServerSideApplyDispatcher crud,
                Faults faults) {
            this.faults = faults;
            this.expectations = expectations;
            this.mock = new MockDispatcher(expectations);
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            MockResponse fault = faults.answer(request);
            if (fault != null) {
                return fault;
            }
            if (AccessReviews.isRulesReview(request)) {
                return AccessReviews.leaseRules(request); // the authorizer the mock lacks (leader election asks it)
            }
            MockResponse forbidden = AccessReviews.refusedLeaseRequest(request);
            if (forbidden != null) {
                return forbidden; // a Lease request the install's Role does not allow
            }
            Queue<ServerResponse> queued = expectations
                    .get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
            return queued != null && !queued.isEmpty() ? mock.dispatch(request) : faults.tracked(crud.dispatch(request));
        }
    }
}
