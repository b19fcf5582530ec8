package io.pulsarmesh.operator.artifact;

import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What {@link MockApiServer} hands a test: a client of the mock API server the launched operator talks to (an
 * integration test cannot inject the application's beans), and the server-side applies the server received.
 */
public final class ApiServer {
    private final KubernetesClient client;
    private final ServerSideApplyDispatcher dispatcher;

    ApiServer(KubernetesClient client, ServerSideApplyDispatcher dispatcher) {
        this.client = client;
        this.dispatcher = dispatcher;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Server-side applies received so far, by field manager. */
    public Map<String, Integer> appliesByManager() {
        return dispatcher.appliesByManager();
    }
}
