package io.pulsarmesh.operator.controller;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether a reconciliation failed because its custom resource was deleted while it ran: a request answered 404 (its
 * status write, most often), and the API server no longer has the resource. Then there is nothing to report: no
 * status can be written to it, an Event about it would only be noise, and a retry would find nothing to do.
 */
public final class PrimaryGone {
    private static final Logger LOG = Logger.getLogger(PrimaryGone.class);

    private PrimaryGone() {
    }

    /**
     * {@code true} when {@code error} is, or was caused by, a 404 and {@code primary} is no longer there (logged at
     * debug level).
     */
    public static boolean test(HasMetadata primary, KubernetesClient client, Throwable error) {
        if (!notFound(error)) {
            return false;
        }
        boolean gone;
        try {
            gone = client.resource(primary).get() == null;
        } catch (KubernetesClientException e) {
            return false; // cannot tell: report the error as any other
        }
        if (gone) {
            LOG.debugf("%s %s/%s was deleted while it was reconciled: nothing to write", primary.getKind(),
                    primary.getMetadata().getNamespace(), primary.getMetadata().getName());
        }
        return gone;
    }

    static boolean notFound(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == 404) {
                return true;
            }
        }
        return false;
    }
}
