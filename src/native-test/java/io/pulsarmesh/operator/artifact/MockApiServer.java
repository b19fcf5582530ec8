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
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.pulsarmesh.operator.testsupport.AccessReviews;

/**
 * A fabric8 mock API server (CRUD mode, plain HTTP on loopback, server-side apply as {@link ServerSideApplyDispatcher}
 * does it) for an integration test, with the project's CRDs from {@code kubernetes/crds/} installed as a user
 * installs them before the operator: the packaged operator runs its production configuration, which applies no CRDs.
 *
 * <p>The launched operator gets, as system properties: the server's URL ({@code kubernetes.master}; the Quarkus
 * property {@code quarkus.kubernetes-client.api-server-url} is fixed at build time), no kubeconfig or service account
 * (so a {@code KUBECONFIG} of the environment is not read), a 1 s Istio discovery interval and a free HTTP port. A
 * test gets an {@link ApiServer} in a field of that type.
 */
public class MockApiServer implements QuarkusTestResourceLifecycleManager {
    static final Path CRDS = Path.of("kubernetes", "crds");
    /**
     * The mock logs every request at INFO, and warns on every list and watch that it ignores set-based label
     * selectors ({@code component in (...)}: the operator's informers then see the other components' objects too,
     * and map them by owner reference). Both would bury the operator's own log.
     */
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver"),
            java.util.logging.Logger.getLogger("io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor"));

    private KubernetesMockServer server;
    private KubernetesClient client;
    static final String LEASE_NAMESPACE = "pulsar-mesh-operator";
    private ServerSideApplyDispatcher crud;
    private final Faults faults = new Faults();

    @Override
    public Map<String, String> start() {
        QUIETED.forEach(l -> l.setLevel(java.util.logging.Level.SEVERE));
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        crud = new ServerSideApplyDispatcher();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), expectations,
                new ExpectationsFirst(expectations, crud, faults), false);
        server.init();
        client = server.createClient();
        installCrds(client);
        return Map.of(
                // A free port for each launch; otherwise a later launch reuses the port the first one was given.
                "quarkus.http.port", "0",
                "kubernetes.master", server.url("/"),
                "kubernetes.auth.tryKubeConfig", "false",
                "kubernetes.auth.tryServiceAccount", "false",
                "pulsar.operator.istio.discovery-interval", "1s",
                // Leader election is on, as in production: the operator must hold this Lease to reconcile.
                "pulsar.operator.leader-election.lease-namespace", LEASE_NAMESPACE);
    }

    static void installCrds(KubernetesClient client) {
        try (Stream<Path> files = Files.list(CRDS)) {
            List<Path> crds = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted().toList();
            if (crds.size() != 5) {
                throw new IllegalStateException("expected the 5 CRDs of the project in " + CRDS + ", found " + crds);
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
    public void inject(TestInjector injector) {
        injector.injectIntoFields(apiServer(), f -> f.getType() == ApiServer.class);
    }

    /** What a test that launches the operator itself (not through Quarkus' launcher) gets of the server. */
    ApiServer apiServer() {
        return new ApiServer(client, crud, faults);
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
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
