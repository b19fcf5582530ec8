package io.pulsarmesh.operator.roll;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pulsarmesh.operator.migration.PodEnrollment;
import io.pulsarmesh.operator.model.istio.MeshPods;
import io.pulsarmesh.operator.status.EventSink;

/**
 * Carries out {@link RollPlanner}'s decisions for a StatefulSet with the {@code OnDelete} update strategy: lists its
 * pods, asks for the ZooKeeper leader when the decision needs it, and restarts the chosen pod by deleting it (the
 * StatefulSet controller creates it again from the current template, on the same volume). Before the delete the pod
 * is annotated with the reason; the custom resource gets an Event whose reason is the restart's.
 */
@ApplicationScoped
public class PodRoller {
    private static final Logger LOG = Logger.getLogger(PodRoller.class);

    /** Annotation on a pod the operator restarts: why ({@link RollPlanner.RestartReason}). */
    public static final String RESTART_REASON = "pulsarmesh.io/restart-reason";
    /** Annotation on a ZooKeeperCluster: do not look for the leader, roll by ordinal (StreamNative's name). */
    public static final String IGNORE_LEADER_CHECK = "cloud.streamnative.io/ignore-leader-check";
    static final String REVISION_LABEL = "controller-revision-hash";

    @Inject
    LeaderFinder leaders;
    @Inject
    EventSink events;

    /**
     * A StatefulSet whose pods the operator restarts itself.
     *
     * @param headlessService for ZooKeeper, the Service that names each server (the leader is asked through it)
     */
    public record Rolled(String statefulSet, RollPlanner.Kind kind, String headlessService) {
    }

    /**
     * One step of the roll: at most one pod restarted.
     *
     * @param owner the custom resource the StatefulSet belongs to (the Event goes to it, its annotations are read)
     * @param sts the StatefulSet as cached, or {@code null}
     */
    public RollPlanner.Decision step(HasMetadata owner, Rolled rolled, StatefulSet sts, KubernetesClient client) {
        if (sts == null || sts.getStatus() == null) {
            return new RollPlanner.Done();
        }
        String ns = sts.getMetadata().getNamespace();
        RollPlanner.Workload w = workload(rolled, sts);
        if (w.observed() && w.updateRevision() != null && Objects.equals(sts.getStatus().getCurrentRevision(),
                w.updateRevision()) && sts.getStatus().getUpdatedReplicas() != null
                && sts.getStatus().getUpdatedReplicas() >= w.replicas()) {
            return new RollPlanner.Done(); // every pod updated, as the StatefulSet controller counts: no pod list
        }
        List<Pod> pods = pods(client, sts);
        List<RollPlanner.PodView> views = views(sts, pods);
        boolean skip = "true".equalsIgnoreCase(annotation(owner, IGNORE_LEADER_CHECK));
        RollPlanner.Decision d = RollPlanner.next(w, views, () -> skip ? RollPlanner.Leader.skippedCheck()
                : leaders.find(ns, rolled.headlessService(), views.stream().filter(RollPlanner.PodView::ready)
                        .map(RollPlanner.PodView::name).toList()));
        if (d instanceof RollPlanner.Restart r) {
            restart(owner, ns, r, client);
        }
        return d;
    }

    static RollPlanner.Workload workload(Rolled rolled, StatefulSet sts) {
        Long generation = sts.getMetadata().getGeneration();
        Long observed = sts.getStatus().getObservedGeneration();
        boolean seen = generation == null || (observed != null && observed >= generation);
        int replicas = sts.getSpec().getReplicas() != null ? sts.getSpec().getReplicas() : 1;
        return new RollPlanner.Workload(sts.getMetadata().getName(), rolled.kind(), replicas, seen,
                sts.getStatus().getUpdateRevision(), dataplane(MeshPods.templateLabels(sts)));
    }

    static List<RollPlanner.PodView> views(StatefulSet sts, List<Pod> pods) {
        String prefix = sts.getMetadata().getName() + "-";
        List<RollPlanner.PodView> views = new ArrayList<>();
        for (Pod p : pods) {
            String name = p.getMetadata().getName();
            if (!name.startsWith(prefix) || !ownedBy(p, sts)) {
                continue;
            }
            int ordinal;
            try {
                ordinal = Integer.parseInt(name.substring(prefix.length()));
            } catch (NumberFormatException e) {
                continue;
            }
            Map<String, String> labels = p.getMetadata().getLabels() != null ? p.getMetadata().getLabels() : Map.of();
            views.add(new RollPlanner.PodView(name, ordinal, PodEnrollment.ready(p),
                    p.getMetadata().getDeletionTimestamp() != null, labels.get(REVISION_LABEL), dataplane(labels)));
        }
        return views;
    }

    /** {@code ambient}, {@code sidecar} or {@code none}, from the mesh labels the operator sets. */
    static String dataplane(Map<String, String> labels) {
        if ("ambient".equals(labels.get(MeshPods.DATAPLANE_MODE))) {
            return "ambient";
        }
        return "true".equals(labels.get(MeshPods.INJECT)) ? "sidecar" : "none";
    }

    private static boolean ownedBy(Pod p, StatefulSet sts) {
        return p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController())
                        && Objects.equals(o.getUid(), sts.getMetadata().getUid()));
    }

    private static List<Pod> pods(KubernetesClient client, StatefulSet sts) {
        Map<String, String> selector = sts.getSpec().getSelector() != null
                ? sts.getSpec().getSelector().getMatchLabels()
                : null;
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return client.pods().inNamespace(sts.getMetadata().getNamespace()).withLabels(selector).list().getItems();
    }

    private static String annotation(HasMetadata owner, String key) {
        Map<String, String> a = owner.getMetadata().getAnnotations();
        return a != null ? a.get(key) : null;
    }

    private void restart(HasMetadata owner, String ns, RollPlanner.Restart r, KubernetesClient client) {
        try {
            client.pods().inNamespace(ns).withName(r.pod()).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"" + RESTART_REASON + "\":\"" + r.reason().value() + "\"}}}");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return; // gone already: the StatefulSet controller brings it back
            }
            throw e;
        }
        // The Event first: an operator that dies right after the delete (the roll goes on in its successor, from the
        // pods' revisions) has still told why this pod went.
        LOG.infof("Restarting %s/%s: %s", ns, r.pod(), r.message());
        events.record(owner, EventSink.NORMAL, r.reason().value(), "restarting " + r.message());
        client.pods().inNamespace(ns).withName(r.pod()).delete();
    }
}
