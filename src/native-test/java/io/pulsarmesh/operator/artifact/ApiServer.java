package io.pulsarmesh.operator.artifact;

import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What {@link MockApiServer} hands a test: a client of the mock API server the launched operator talks to (an
 * integration test cannot inject the application's beans), the server-side applies the server received, and the
 * faults it injects.
 */
public final class ApiServer {
    private final KubernetesClient client;
    private final ServerSideApplyDispatcher dispatcher;
    private final Faults faults;

    ApiServer(KubernetesClient client, ServerSideApplyDispatcher dispatcher, Faults faults) {
        this.client = client;
        this.dispatcher = dispatcher;
        this.faults = faults;
    }

    /** Faults the server injects into the operator's requests. */
    public Faults faults() {
        return faults;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Server-side applies received so far, by field manager. */
    public Map<String, Integer> appliesByManager() {
        return dispatcher.appliesByManager();
    }
}
