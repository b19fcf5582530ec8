package io.pulsarmesh.operator.kube;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulsarmesh.operator.status.EventSink;

/** Writes core/v1 Events, the kind {@code kubectl describe} and {@code kubectl events} show. */
@ApplicationScoped
public class KubernetesEventSink implements EventSink {
    static final String COMPONENT = "pulsar-mesh-operator";
    private static final Logger LOG = Logger.getLogger(KubernetesEventSink.class);

    @Inject
    KubernetesClient client;

    @Override
    public void record(HasMetadata about, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = about.getMetadata().getNamespace();
        // Events about one object often come in the same millisecond (a migration that resumes records two at once):
        // a 32-bit random suffix keeps their names apart; with 12 bits one such pair in 4096 collided and the second
        // Event was refused as a duplicate name.
        String name = about.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        Event event = new EventBuilder()
                .withNewMetadata().withName(name.toLowerCase(Locale.ROOT)).withNamespace(ns).endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(about.getApiVersion()).withKind(about.getKind()).withName(about.getMetadata().getName())
                .withNamespace(ns).withUid(about.getMetadata().getUid())
                .withResourceVersion(about.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(truncate(message))
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(System.getenv().getOrDefault("HOSTNAME", COMPONENT))
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(event).create();
        } catch (RuntimeException e) {
            LOG.warnf("Could not record %s event %s for %s/%s: %s", type, reason, ns, about.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
    }
}
