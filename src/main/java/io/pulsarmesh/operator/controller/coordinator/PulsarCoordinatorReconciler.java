package io.pulsarmesh.operator.controller.coordinator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.pulsarmesh.operator.config.OperatorConfig;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimited;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinatorStatus;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.coordinator.CoordinatorStatusModel;
import io.pulsarmesh.operator.model.coordinator.CoordinatorStatusModel.Aggregate;
import io.pulsarmesh.operator.model.coordinator.CoordinatorStatusModel.Component;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.status.EventSink;
import io.pulsarmesh.operator.status.ProgressThrottle;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

/**
 * Reconciles PulsarCoordinator: finds its components by the {@code k8s.streamnative.io/coordinator-name} label and
 * reports whether all of them are ready.
 *
 * <p>Each coordinator is reconciled at most once per second: the changes of its components within that second (several
 * come up at once in a new cluster) are summed up in one status write instead of one each. A change that arrives
 * meanwhile is not lost, its reconciliation is only postponed to the end of the second.
 */
@RateLimited(maxReconciliations = 1, within = 1, unit = java.util.concurrent.TimeUnit.SECONDS)
@ControllerConfiguration(name = PulsarCoordinatorReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = java.util.concurrent.TimeUnit.MINUTES))
@RBACRule(apiGroups = "zookeeper.streamnative.io", resources = "zookeeperclusters", verbs = { "get", "list", "watch" })
@RBACRule(apiGroups = "bookkeeper.streamnative.io", resources = "bookkeeperclusters", verbs = { "get", "list", "watch" })
@RBACRule(apiGroups = "pulsar.streamnative.io", resources = { "pulsarbrokers", "pulsarproxies" }, verbs = { "get", "list", "watch" })
@RBACRule(apiGroups = "zookeeper.streamnative.io", resources = "zookeeperclusters", verbs = { "patch" })
@RBACRule(apiGroups = "bookkeeper.streamnative.io", resources = "bookkeeperclusters", verbs = { "patch" })
@RBACRule(apiGroups = "pulsar.streamnative.io", resources = { "pulsarbrokers", "pulsarproxies" }, verbs = { "patch" })
@RBACRule(apiGroups = "", resources = "pods", verbs = { "get", "list", "watch" })
@RBACRule(apiGroups = "apps", resources = "daemonsets", verbs = { "get" })
@RBACRule(apiGroups = "security.istio.io", resources = { "peerauthentications", "authorizationpolicies" }, verbs = { "get", "list", "watch" })
@RBACRule(apiGroups = "", resources = "events", verbs = { "create", "patch" })
public class PulsarCoordinatorReconciler implements Reconciler<PulsarCoordinator> {
    public static final String NAME = "pulsar-coordinator";
    public static final String REASON_READY = "ClusterReady";
    public static final String REASON_NOT_READY = "ClusterNotReady";

    private static final List<Class<? extends CustomResource<?, ? extends ComponentStatus>>> KINDS = List.of(
            ZooKeeperCluster.class, BookKeeperCluster.class, PulsarBroker.class, PulsarProxy.class);

    @Inject
    EventSink events;
    @Inject
    MeshMigrationDriver migration;
    @Inject
    io.pulsarmesh.operator.metrics.MigrationMetrics migrationMetrics;
    @Inject
    io.pulsarmesh.operator.controller.ReconcileMetrics metrics;
    @Inject
    OperatorConfig config;

    @Override
    public List<EventSource<?, PulsarCoordinator>> prepareEventSources(EventSourceContext<PulsarCoordinator> context) {
        List<EventSource<?, PulsarCoordinator>> sources = new ArrayList<>();
        for (var kind : KINDS) {
            sources.add(componentSource(kind, context));
        }
        sources.add(podSource(context));
        metrics.managed("PulsarCoordinator", () -> context.getPrimaryCache().list().count());
        return sources;
    }

    /** The cluster's pods (they carry the coordinator's label), for the migration's enrolment checks. */
    private static InformerEventSource<Pod, PulsarCoordinator> podSource(EventSourceContext<PulsarCoordinator> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, PulsarCoordinator.class)
                .withName("Pod")
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + "," + Labels.COORDINATOR_NAME)
                .withItemStore(new io.pulsarmesh.operator.kube.PrunedPodStore())
                .withSecondaryToPrimaryMapper(r -> Set.of(new ResourceID(
                        r.getMetadata().getLabels().get(Labels.COORDINATOR_NAME), r.getMetadata().getNamespace())))
                .build(), context);
    }

    private static <R extends CustomResource<?, ?>> InformerEventSource<R, PulsarCoordinator> componentSource(
            Class<R> kind, EventSourceContext<PulsarCoordinator> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, PulsarCoordinator.class)
                .withName(kind.getSimpleName())
                .withLabelSelector(Labels.COORDINATOR_NAME)
                .withSecondaryToPrimaryMapper(r -> Set.of(new ResourceID(
                        r.getMetadata().getLabels().get(Labels.COORDINATOR_NAME), r.getMetadata().getNamespace())))
                .build(), context);
    }

    @Override
    public UpdateControl<PulsarCoordinator> reconcile(PulsarCoordinator coordinator, Context<PulsarCoordinator> ctx) {
        List<Component> found = new ArrayList<>();
        List<CustomResource<?, ?>> components = new ArrayList<>();
        for (var kind : KINDS) {
            for (CustomResource<?, ? extends ComponentStatus> c : ctx.getSecondaryResources(kind)) {
                components.add(c);
                ComponentStatus st = c.getStatus();
                Condition ready = st == null ? null : Conditions.find(st.getConditions(), Conditions.READY).orElse(null);
                Integer replicas = c.getSpec() instanceof io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec s
                        ? s.getReplicas() : null;
                found.add(new Component(c.getKind(), c.getMetadata().getName(), ready, replicas,
                        st == null ? null : st.getReadyReplicas(), st == null ? null : st.getOnMeshReplicas(),
                        st == null ? null : st.getDataplaneMode(), st == null ? null
                                : Conditions.find(st.getConditions(), io.pulsarmesh.operator.model.istio.PodsInMesh.CONDITION)
                                        .orElse(null)));
            }
        }
        Aggregate aggregate = CoordinatorStatusModel.aggregate(found);
        Long generation = coordinator.getMetadata().getGeneration();
        PulsarCoordinatorStatus old = coordinator.getStatus();
        List<Condition> previous = old != null ? old.getConditions() : List.of();
        Condition ready = Conditions.of(Conditions.READY, aggregate.ready(), aggregate.reason(), aggregate.message(),
                generation);
        boolean wasReady = Conditions.isTrue(previous, Conditions.READY);
        if (aggregate.ready() && !wasReady) {
            events.record(coordinator, EventSink.NORMAL, REASON_READY, aggregate.message());
        } else if (!aggregate.ready() && wasReady) {
            events.record(coordinator, EventSink.WARNING, REASON_NOT_READY, aggregate.message());
        }
        PulsarCoordinatorStatus status = new PulsarCoordinatorStatus();
        status.setObservedGeneration(generation);
        List<Condition> conditions = Conditions.with(previous, ready, Instant.now());
        Condition mesh = CoordinatorStatusModel.meshEnrolment(found, generation);
        conditions = mesh == null ? Conditions.without(conditions, io.pulsarmesh.operator.model.istio.PodsInMesh.CONDITION)
                : Conditions.with(conditions, mesh, Instant.now());
        status.setConditions(conditions);
        status.setComponents(aggregate.components());
        status.setReadyComponents(aggregate.readyComponents());
        MeshMigrationDriver.Step step = migration.step(coordinator, components,
                new ArrayList<>(ctx.getSecondaryResources(Pod.class)), ctx.getClient());
        status.setMeshMigration(step.status());
        String ns = coordinator.getMetadata().getNamespace();
        String name = coordinator.getMetadata().getName();
        migrationMetrics.observe(ns, name, step.state(), step.progress());
        if (step.previous() != step.state().phase()) {
            MeshMigrationStatus before = old != null ? old.getMeshMigration() : null;
            boolean timed = before != null && before.getLastTransitionTime() != null;
            migrationMetrics.transition(ns, name, step.previous(), step.state().phase(),
                    timed ? MeshMigrationDriver.since(before, java.time.Instant.now()) : null);
            if (step.state().phase() == io.pulsarmesh.operator.migration.MeshPhase.STALLED) {
                migrationMetrics.stalled(ns, name);
            }
        }
        UpdateControl<PulsarCoordinator> control;
        java.time.Duration wait = Objects.equals(status, old) ? java.time.Duration.ZERO
                : progress().delay(ResourceID.fromResource(coordinator).toString(), old, status, System.nanoTime());
        if (Objects.equals(status, old)) {
            control = UpdateControl.noUpdate();
        } else if (!wait.isZero()) {
            // Only which components are ready yet changed, and the last write was recent: written when the interval
            // is over, or at once with the next change of state.
            control = UpdateControl.<PulsarCoordinator> noUpdate().rescheduleAfter(wait);
        } else {
            PulsarCoordinator fresh = new PulsarCoordinator();
            fresh.setMetadata(new ObjectMetaBuilder().withName(coordinator.getMetadata().getName())
                    .withNamespace(coordinator.getMetadata().getNamespace()).build());
            fresh.setStatus(status);
            control = UpdateControl.patchStatus(fresh);
        }
        // While a migration is under way, look again even without events: a stall is a matter of time.
        if (step.moving() && (control.getScheduleDelay().isEmpty()
                || control.getScheduleDelay().get() > config.migration().pollInterval().toMillis())) {
            return control.rescheduleAfter(config.migration().pollInterval());
        }
        return control;
    }

    private volatile ProgressThrottle progress;

    /** What of the coordinator's status is progress: which components are ready yet, and their pod counts. */
    private ProgressThrottle progress() {
        ProgressThrottle p = progress;
        if (p == null) {
            p = new ProgressThrottle(config.status().progressInterval(), Set.of("readyComponents"), "components",
                    Set.of("ready", "reason", "readyReplicas", "onMeshReplicas"), Set.of(Conditions.REASON_NO_COMPONENTS,
                            Conditions.REASON_COMPONENTS_NOT_READY, Conditions.REASON_ALL_COMPONENTS_READY));
            progress = p;
        }
        return p;
    }
}
