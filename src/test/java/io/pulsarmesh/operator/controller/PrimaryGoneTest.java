package io.pulsarmesh.operator.controller;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** A reconciliation's error is "the resource was deleted meanwhile" only on a 404 and with the resource gone. */
@EnableKubernetesMockClient(crud = true)
class PrimaryGoneTest {
    KubernetesClient client;

    static ConfigMap primary() {
        return new ConfigMapBuilder().withNewMetadata().withName("private-cloud").withNamespace("team-a").endMetadata()
                .build();
    }

    static KubernetesClientException status(int code) {
        return new KubernetesClientException("answered " + code, code, null);
    }

    @Test
    void aNotFoundForAResourceThatIsGone() {
        assertTrue(PrimaryGone.test(primary(), client, status(404)));
        assertTrue(PrimaryGone.test(primary(), client, new IllegalStateException("status write", status(404))),
                "as the cause of another error");
    }

    @Test
    void aNotFoundWhileTheResourceIsStillThereIsAnError() {
        client.resource(primary()).create();
        assertFalse(PrimaryGone.test(primary(), client, status(404)));
    }

    @Test
    void otherErrorsAreErrorsEvenWithTheResourceGone() {
        assertFalse(PrimaryGone.test(primary(), client, status(409)));
        assertFalse(PrimaryGone.test(primary(), client, status(500)));
        assertFalse(PrimaryGone.test(primary(), client, new IllegalStateException("no code")));
    }
}
