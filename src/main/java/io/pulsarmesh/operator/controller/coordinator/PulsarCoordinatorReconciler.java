package io.pulsarmesh.operator.controller.coordinator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.pulsarmesh.operator.controller.ComponentReconciler;
import io.pulsarmesh.operator.controller.ObjectApplier;
import io.pulsarmesh.operator.controller.SharedInformerEventSource;
import io.pulsarmesh.operator.controller.SharedInformers;
import io.pulsarmesh.operator.controller.PrimaryGone;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.pulsarmesh.operator.model.coordinator.ToolSetModel;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.PodsInMesh;
import io.pulsarmesh.operator.status.WorkloadState;
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
 * <p>Each coordinator is reconciled at most once per 250 ms: the changes of its components within that time (several
 * come up at once in a new cluster) are summed up in one reconciliation. A change that arrives meanwhile is not lost,
 * its reconciliation is only postponed to the end of the period. (Once per second, the last component's readiness
 * reached the cluster's up to a second late; what only reports progress is spaced out by the status's progress
 * interval anyway. Benchmark, 50 clusters: 10–15 more status writes, within the budget.)
 */
@RateLimited(maxReconciliations = 1, within = 250, unit = java.util.concurrent.TimeUnit.MILLISECONDS)
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
@RBACRule(apiGroups = "", resources = "configmaps", verbs = { "get", "list", "watch", "create", "update", "patch", "delete" })
@RBACRule(apiGroups = "apps", resources = "deployments", verbs = { "get", "list", "watch", "create", "update", "patch", "delete" })
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
    @Inject
    SharedInformers sharedInformers;

    @Override
    public List<EventSource<?, PulsarCoordinator>> prepareEventSources(EventSourceContext<PulsarCoordinator> context) {
        List<EventSource<?, PulsarCoordinator>> sources = new ArrayList<>();
        for (var kind : KINDS) {
            sources.add(componentSource(kind, context));
        }
        sources.add(podSource(context));
        for (Class<? extends HasMetadata> kind : TOOLSET_KINDS) {
            sources.add(toolSetSource(kind, context));
        }
        metrics.managed("PulsarCoordinator", () -> context.getPrimaryCache().list().count());
        return sources;
    }

    /** Kinds of the toolset's objects, which the coordinator owns. */
    static final List<Class<? extends HasMetadata>> TOOLSET_KINDS = List.of(ConfigMap.class, Deployment.class);

    /** The toolset's objects (owned by the coordinator). */
    private static <R extends HasMetadata> InformerEventSource<R, PulsarCoordinator> toolSetSource(Class<R> kind,
            EventSourceContext<PulsarCoordinator> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, PulsarCoordinator.class)
                .withName(kind.getSimpleName())
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + "," + Labels.COMPONENT + "="
                        + ToolSetModel.COMPONENT)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(PulsarCoordinator.class))
                .build(), context);
    }

    /**
     * The cluster's pods (they carry the coordinator's label), for the migration's enrolment checks: every change of
     * one wakes its coordinator. From the informer of the operator's pods the component controllers share
     * ({@link SharedInformers}).
     */
    private EventSource<Pod, PulsarCoordinator> podSource(EventSourceContext<PulsarCoordinator> context) {
        return new SharedInformerEventSource<>("Pod", sharedInformers.pods(context),
                pod -> {
                    String name = ComponentReconciler.coordinatorName(pod);
                    return name == null ? Set.of() : Set.of(new ResourceID(name, pod.getMetadata().getNamespace()));
                },
                (pods, coordinator) -> pods.inNamespace(coordinator.getMetadata().getNamespace())
                        .filter(p -> coordinator.getMetadata().getName().equals(ComponentReconciler.coordinatorName(p))));
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
                                : Conditions.find(st.getConditions(), PodsInMesh.CONDITION).orElse(null)));
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
        conditions = mesh == null ? Conditions.without(conditions, PodsInMesh.CONDITION)
                : Conditions.with(conditions, mesh, Instant.now());
        status.setConditions(conditions);
        status.setComponents(aggregate.components());
        status.setReadyComponents(aggregate.readyComponents());
        status.setToolSet(toolSet(coordinator, components, ctx));
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
            control = io.pulsarmesh.operator.controller.StatusWrite.of(fresh, ctx, ssa);
        }
        // While a migration is under way, look again even without events: a stall is a matter of time.
        return step.moving() ? ComponentReconciler.sooner(control, config.migration().pollInterval()) : control;
    }

    /**
     * Applies the toolset ({@link ToolSetModel}) for the coordinator's brokers, or prunes it when disabled, and reports
     * it. {@code null} when it is not enabled.
     */
    private PulsarCoordinatorStatus.ToolSetStatus toolSet(PulsarCoordinator coordinator,
            List<CustomResource<?, ?>> components, Context<PulsarCoordinator> ctx) {
        PulsarBroker broker = components.stream().filter(PulsarBroker.class::isInstance).map(PulsarBroker.class::cast)
                .min(java.util.Comparator.comparing(b -> b.getMetadata().getName())).orElse(null);
        Mesh mesh = broker == null ? Mesh.OFF
                : Mesh.resolve(broker.getSpec().getIstio(), coordinator.getSpec().getIstio());
        List<HasMetadata> desired = ToolSetModel.desired(coordinator, broker, mesh, config.modelSettings());
        ObjectApplier.Result applied = ObjectApplier.apply(coordinator, desired, TOOLSET_KINDS, ctx, ssa);
        if (applied.changed()) {
            events.record(coordinator, EventSink.NORMAL, ComponentReconciler.REASON_APPLIED, "toolset: "
                    + applied.summary());
        }
        if (!ToolSetModel.enabled(coordinator)) {
            return null;
        }
        PulsarCoordinatorStatus.ToolSetStatus t = new PulsarCoordinatorStatus.ToolSetStatus();
        if (broker == null) {
            t.setMessage("no PulsarBroker carries this coordinator's label yet: the toolset follows the brokers");
            return t;
        }
        if (!applied.conflicts().isEmpty()) {
            t.setMessage("objects with the toolset's names exist and are not owned by this coordinator: "
                    + String.join(", ", applied.conflicts()));
            return t;
        }
        Deployment d = applied.get(Deployment.class, ToolSetModel.name(coordinator));
        WorkloadState state = WorkloadState.of(d);
        t.setDeployment(ToolSetModel.name(coordinator));
        t.setBroker(broker.getMetadata().getName());
        t.setReplicas(state.desired());
        t.setReadyReplicas(state.ready());
        List<Pod> pods = ctx.getSecondaryResources(Pod.class).stream().filter(p -> p.getMetadata().getLabels() != null
                && ToolSetModel.COMPONENT.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
        PodsInMesh.Result enrolment = PodsInMesh.of(mesh, pods, state.rolledOut(), coordinator.getMetadata().getNamespace());
        t.setOnMeshReplicas(enrolment.onMeshReplicas());
        t.setDataplaneMode(enrolment.dataplaneMode());
        return t;
    }

    /**
     * A coordinator deleted while it was reconciled (its status write answered 404): nothing to write, nothing to
     * retry. Any other error is the SDK's to log and retry.
     */
    @Override
    public ErrorStatusUpdateControl<PulsarCoordinator> updateErrorStatus(PulsarCoordinator coordinator,
            Context<PulsarCoordinator> ctx, Exception e) {
        if (PrimaryGone.test(coordinator, ctx.getClient(), e)) {
            return ErrorStatusUpdateControl.<PulsarCoordinator> noStatusUpdate().withNoRetry();
        }
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    @ConfigProperty(name = "quarkus.operator-sdk.enable-ssa", defaultValue = "true")
    boolean ssa;

    private volatile ProgressThrottle progress;

    /** What of the coordinator's status is progress: which components are ready yet, and their pod counts. */
    private ProgressThrottle progress() {
        ProgressThrottle p = progress;
        if (p == null) {
            p = new ProgressThrottle(config.status().progressInterval(), Set.of("readyComponents", "toolSet"), "components",
                    Set.of("ready", "reason", "readyReplicas", "onMeshReplicas"), Set.of(Conditions.REASON_NO_COMPONENTS,
                            Conditions.REASON_COMPONENTS_NOT_READY, Conditions.REASON_ALL_COMPONENTS_READY));
            progress = p;
        }
        return p;
    }
}
