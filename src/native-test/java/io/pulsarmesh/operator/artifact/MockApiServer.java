package io.pulsarmesh.operator.artifact;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fabric8 mock API server ({@link LoopbackApiServer}: CRUD mode, plain HTTP on loopback, server-side apply as
 * {@link ServerSideApplyDispatcher} does it) for an integration test, with the project's CRDs from
 * {@code kubernetes/crds/} installed as a user installs them before the operator: the packaged operator runs its
 * production configuration, which applies no CRDs.
 *
 * <p>The launched operator gets, as system properties: the server's URL ({@code kubernetes.master}; the Quarkus
 * property {@code quarkus.kubernetes-client.api-server-url} is fixed at build time), no kubeconfig or service account
 * (so a {@code KUBECONFIG} of the environment is not read), a 1 s Istio discovery interval and a free HTTP port. A
 * test gets an {@link ApiServer} in a field of that type.
 */
public class MockApiServer implements QuarkusTestResourceLifecycleManager {
    /**
     * The mock logs every request at INFO, and warns on every list and watch that it ignores set-based label
     * selectors ({@code component in (...)}: the operator's informers then see the other components' objects too,
     * and map them by owner reference). Both would bury the operator's own log.
     */
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver"),
            java.util.logging.Logger.getLogger("io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor"));

    static final String LEASE_NAMESPACE = LoopbackApiServer.LEASE_NAMESPACE;
    private LoopbackApiServer api;

    @Override
    public Map<String, String> start() {
        QUIETED.forEach(l -> l.setLevel(java.util.logging.Level.SEVERE));
        api = LoopbackApiServer.start();
        // A free port for each launch ("0"); otherwise a later launch reuses the port the first one was given.
        Map<String, String> settings = api.operatorSettings("0");
        settings.put("pulsar.operator.istio.discovery-interval", "1s");
        return settings;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(apiServer(), f -> f.getType() == ApiServer.class);
    }

    /** What a test that launches the operator itself (not through Quarkus' launcher) gets of the server. */
    ApiServer apiServer() {
        return new ApiServer(api.client, api.crud, api.faults);
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
    }
}
