package io.pulsarmesh.operator.controller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.CoordinatorIstio;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.kube.IstioAvailability;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.MeshEnrollment;
import io.pulsarmesh.operator.model.istio.MeshPods;
import io.pulsarmesh.operator.model.istio.PodsInMesh;
import io.pulsarmesh.operator.model.istio.MeshPrerequisites;
import io.pulsarmesh.operator.kube.PrunedPodStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.pulsarmesh.operator.config.OperatorConfig;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.roll.PodRoller;
import io.pulsarmesh.operator.roll.RollPlanner;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.status.EventSink;
import io.pulsarmesh.operator.status.ProgressThrottle;
import io.pulsarmesh.operator.status.WorkloadState;

/**
 * The reconcile loop every workload kind shares; subclasses only name their model functions.
 *
 * <ol>
 * <li>Validate what the schema cannot. With problems nothing is written to the cluster: the status says
 * {@code Ready=False} with the problem's reason, and a Warning Event is recorded once.</li>
 * <li>Compute the desired objects (pure model) and apply them ({@link ObjectApplier}); one Normal Event lists what
 * changed.</li>
 * <li>Observe the workloads and write the status, only when it differs from the stored one.</li>
 * </ol>
 */
public abstract class ComponentReconciler<C extends CustomResource<? extends ComponentSpec, S>, S extends ComponentStatus>
        implements Reconciler<C> {
    public static final String REASON_APPLIED = "ObjectsApplied";
    public static final String REASON_NAME_CONFLICT = "NameConflict";
    public static final String REASON_READY = "ComponentReady";
    public static final String REASON_NOT_READY = "ComponentNotReady";
    public static final String REASON_ISTIO_NOT_INSTALLED = "IstioNotInstalled";
    public static final String REASON_ISTIO_WATCH_FAILED = "IstioWatchFailed";
    public static final String REASON_AMBIENT_PREREQUISITES = "AmbientPrerequisitesNotMet";
    public static final String REASON_AMBIENT_REFUSED = "AmbientRefused";
    static final String COORDINATOR_SOURCE = "PulsarCoordinator";
    static final String POD_SOURCE = "Pod";
    public static final String REASON_PODS_NOT_IN_MESH = "PodsNotInMesh";
    static final java.time.Duration JOINING_POLL = java.time.Duration.ofSeconds(5);
    static final java.time.Duration ROLL_POLL = java.time.Duration.ofSeconds(10);
    public static final String REASON_ROLL_BLOCKED = "RollBlocked";
    public static final String REASON_COORDINATOR_NOT_FOUND = "CoordinatorNotFound";

    private static final Logger LOG = Logger.getLogger(ComponentReconciler.class);

    @Inject
    OperatorConfig config;
    @Inject
    EventSink events;
    @Inject
    PodRoller roller;
    @ConfigProperty(name = "quarkus.operator-sdk.enable-ssa", defaultValue = "true")
    boolean ssa;
    @Inject
    ReconcileMetrics metrics;
    @Inject
    IstioAvailability istio;
    @Inject
    protected io.pulsarmesh.operator.kube.Prerequisites prerequisites;
    @Inject
    io.pulsarmesh.operator.metrics.ComponentMetrics componentMetrics;
    @Inject
    io.pulsarmesh.operator.controller.coordinator.MeshMigrationDriver ambientChecks;
    @Inject
    SharedInformers sharedInformers;

    private volatile ProgressThrottle progress;
    private volatile boolean istioSourcesRegistered;
    private volatile String istioWatchError;

    /** Problems the CRD schema cannot catch. May look at observed state (immutable choices). */
    protected abstract List<SpecProblem> validate(C cr, Mesh mesh, Context<C> ctx);

    /** Accepted fields the operator does not act on yet. */
    protected abstract List<String> notActedOn(C cr);

    /**
     * Every object of the component in its mesh, from the pure model: a function of the custom resource (its
     * metadata and spec), the mesh and {@link #settings()} only. A reconciliation whose inputs are those of the last
     * one, and whose objects have not changed since, does not call it ({@link AppliedMemo}).
     */
    protected abstract List<HasMetadata> desired(C cr, Mesh mesh);

    /** The component's main workload (StatefulSet or Deployment) as it is now; {@code null} before it exists. */
    protected abstract HasMetadata workload(C cr, Context<C> ctx);

    /** The component's main workload's rollout state. */
    protected WorkloadState observe(C cr, Context<C> ctx) {
        return state(workload(cr, ctx));
    }

    static WorkloadState state(HasMetadata workload) {
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet sts) {
            return WorkloadState.of(sts);
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
            return WorkloadState.of(d);
        }
        return WorkloadState.ABSENT;
    }

    /** Pod selector of the main workload. */
    protected abstract Map<String, String> selector(C cr);

    /**
     * The Kubernetes kinds this controller creates, watches and prunes: those of {@link ObjectApplier#MANAGED_KINDS}
     * its model produces. ZooKeeper, BookKeeper and brokers run StatefulSets (the default); proxies a Deployment. An
     * informer costs a list and a watch at every start, and a cache, so none is kept for a kind a component never has.
     */
    protected List<Class<? extends HasMetadata>> managedKinds() {
        return ObjectApplier.MANAGED_KINDS.stream()
                .filter(k -> k != io.fabric8.kubernetes.api.model.apps.Deployment.class).toList();
    }

    /** Values of the {@code cloud.streamnative.io/component} label this controller's objects carry. */
    protected abstract List<String> componentLabels();

    protected abstract S newStatus();

    protected abstract C newResource();

    /**
     * What must be ready for the component to be Ready: by default the main workload; kinds with more workloads
     * (bookies and auto-recovery) add theirs.
     */
    protected WorkloadState readiness(C cr, Context<C> ctx, WorkloadState main) {
        return main;
    }

    /**
     * StatefulSets whose pods the operator restarts itself ({@code OnDelete}): one at a time, in the order
     * {@link RollPlanner} decides. None by default.
     */
    protected List<PodRoller.Rolled> rolled(C cr) {
        return List.of();
    }

    /**
     * What the component needs from the mesh outside its own objects ({@link MeshPrerequisites}): ztunnel for pods in
     * ambient; brokers add their ingress gateway. Looked up at most once per discovery interval.
     */
    protected List<MeshPrerequisites.Check> prerequisites(C cr, Mesh mesh, boolean istioWatched, Context<C> ctx) {
        List<MeshPrerequisites.Check> checks = new ArrayList<>();
        if (istioWatched && mesh.enabled() && mesh.dataplane() == Mesh.Dataplane.AMBIENT) {
            checks.add(MeshPrerequisites.ztunnel(prerequisites.cached("ztunnel",
                    () -> ambientChecks.ztunnelProblem(ctx.getClient()))));
        }
        return checks;
    }

    /** Kind-specific status fields; {@code applied} is false when the spec was refused and nothing was applied. */
    protected void completeStatus(C cr, S status, WorkloadState state, Mesh mesh, boolean applied, Context<C> ctx) {
    }

    protected io.pulsarmesh.operator.model.common.ModelSettings settings() {
        return config.modelSettings();
    }

    @Override
    public List<EventSource<?, C>> prepareEventSources(EventSourceContext<C> context) {
        List<EventSource<?, C>> sources = new ArrayList<>(managedKinds().stream()
                .<EventSource<?, C>>map(kind -> informer(kind, ownedSelector(), context))
                .toList());
        sources.add(coordinatorSource(context));
        sources.add(podSource(context));
        metrics.managed(HasMetadata.getKind(context.getPrimaryResourceClass()), () -> context.getPrimaryCache().list().count());
        return sources;
    }

    private String ownedSelector() {
        return Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + "," + Labels.COMPONENT + " in ("
                + String.join(",", componentLabels()) + ")";
    }

    /**
     * The component's coordinator (named by its {@code k8s.streamnative.io/coordinator-name} label), whose Istio
     * settings are defaults for the component: a change to its spec reconciles every component that names it. Its
     * status, which changes with every component's and pod's progress, is not read here and wakes no component. A
     * change to the spec is a new generation (the status is a subresource), compared here instead of the specs' JSON,
     * which took two serializations at each of the coordinator's status writes in each component controller. The
     * four component controllers share one informer of coordinators ({@link SharedInformers}).
     */
    private EventSource<PulsarCoordinator, C> coordinatorSource(EventSourceContext<C> context) {
        SharedInformerEventSource<PulsarCoordinator, C> source = new SharedInformerEventSource<>(COORDINATOR_SOURCE,
                sharedInformers.coordinators(context),
                coordinator -> context.getPrimaryCache()
                        .list(coordinator.getMetadata().getNamespace(),
                                c -> coordinator.getMetadata().getName().equals(coordinatorName(c)))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()),
                (coordinators, primary) -> {
                    String name = coordinatorName(primary);
                    return name == null ? java.util.stream.Stream.empty()
                            : coordinators.get(new ResourceID(name, primary.getMetadata().getNamespace())).stream();
                });
        source.setOnUpdateFilter((updated, previous) -> !Objects.equals(updated.getMetadata().getGeneration(),
                previous.getMetadata().getGeneration()));
        return source;
    }

    /**
     * The component's pods (its StatefulSets' or Deployment's, and any left without an owner), pruned to what the
     * operator reads ({@link PrunedPodStore}): their enrolment in the mesh for the status, and whether pods exist
     * before a workload does. A new pod wakes the component (a pod replaced by a new one may leave its workload's
     * status as it was, and the new one's enrolment must be seen); a changed one only when its enrolment changes (a
     * sidecar appears or goes, the ambient label changes): readiness reaches the component through its workload's
     * status. One informer of the operator's pods serves every component controller and the coordinator's
     * ({@link SharedInformers}); this source takes the pods whose component label is of this kind.
     */
    private EventSource<Pod, C> podSource(EventSourceContext<C> context) {
        SharedInformerEventSource<Pod, C> source = new SharedInformerEventSource<>(POD_SOURCE,
                sharedInformers.pods(context),
                pod -> {
                    Map<String, String> l = pod.getMetadata().getLabels();
                    String cluster = l != null ? l.get(Labels.CLUSTER) : null;
                    return cluster == null || !componentLabels().contains(l.get(Labels.COMPONENT)) ? Set.of()
                            : Set.of(new ResourceID(cluster, pod.getMetadata().getNamespace()));
                },
                (pods, primary) -> pods.inNamespace(primary.getMetadata().getNamespace()).filter(p -> isOwnPod(primary, p)));
        source.setOnUpdateFilter((updated, previous) -> enrolmentView(updated) != enrolmentView(previous));
        source.setOnDeleteFilter((pod, unknown) -> false);
        return source;
    }

    /** Whether the pod is one of the component's: its cluster label names it, its component label is of its kind. */
    private boolean isOwnPod(HasMetadata cr, Pod p) {
        Map<String, String> l = p.getMetadata().getLabels();
        return l != null && cr.getMetadata().getName().equals(l.get(Labels.CLUSTER))
                && componentLabels().contains(l.get(Labels.COMPONENT));
    }

    /** What of a pod tells its enrolment: a sidecar, the ambient label (two bits). */
    static int enrolmentView(Pod pod) {
        return (io.pulsarmesh.operator.migration.PodEnrollment.hasSidecar(pod) ? 1 : 0)
                | (io.pulsarmesh.operator.migration.PodEnrollment.enrolledIn(pod, Mesh.Dataplane.AMBIENT) ? 2 : 0);
    }

    /** The component's pods from the cache (its pod source keeps to them: {@link #isOwnPod}). */
    protected List<Pod> pods(C cr, Context<C> ctx) {
        return List.copyOf(ctx.getSecondaryResources(Pod.class));
    }

    /** The coordinator an object names by its {@code k8s.streamnative.io/coordinator-name} label, or {@code null}. */
    public static String coordinatorName(HasMetadata cr) {
        Map<String, String> labels = cr.getMetadata().getLabels();
        String name = labels != null ? labels.get(Labels.COORDINATOR_NAME) : null;
        return name == null || name.isBlank() ? null : name;
    }

    /** The component's mesh: its own {@code spec.istio} with its coordinator's defaults. */
    protected Mesh mesh(C cr, Context<C> ctx) {
        return mesh(cr, coordinator(cr, ctx));
    }

    private Mesh mesh(C cr, Optional<PulsarCoordinator> coordinator) {
        CoordinatorIstio defaults = coordinator.map(c -> c.getSpec() != null ? c.getSpec().getIstio() : null)
                .orElse(null);
        return Mesh.resolve(cr.getSpec().getIstio(), defaults);
    }

    /**
     * The coordinator the component names: from the cache, else from the API server (the component's event may come
     * before the coordinator's, and a missing coordinator must not be mistaken for one not yet seen). Empty when the
     * component names none, or names one that does not exist.
     */
    private Optional<PulsarCoordinator> coordinator(C cr, Context<C> ctx) {
        String name = coordinatorName(cr);
        if (name == null) {
            return Optional.empty();
        }
        Optional<PulsarCoordinator> cached = ctx.getSecondaryResource(PulsarCoordinator.class, COORDINATOR_SOURCE);
        if (cached.isPresent()) {
            return cached;
        }
        return Optional.ofNullable(ctx.getClient().resources(PulsarCoordinator.class)
                .inNamespace(cr.getMetadata().getNamespace()).withName(name).get());
    }

    /**
     * Watches the Istio kinds once the API server serves them (checked on reconcile, so Istio installed after the
     * operator is picked up without a restart). Without them no informer is started for Istio kinds.
     */
    private boolean istioWatched(Context<C> ctx) {
        if (istioSourcesRegistered) {
            return true;
        }
        if (!istio.present()) {
            return false;
        }
        return watchIstio(ctx.eventSourceRetriever());
    }

    /**
     * Starts the informers of the Istio kinds for this controller, once; {@link IstioWatchStarter} calls it right
     * after the operator has started when Istio is already there, so that the first reconciliations do not wait for
     * them. A failure is contained and retried at the next reconciliation.
     */
    public boolean watchIstio(io.javaoperatorsdk.operator.processing.event.EventSourceRetriever<C> retriever) {
        if (istioSourcesRegistered) {
            return true;
        }
        synchronized (this) {
            if (!istioSourcesRegistered) {
                try {
                    EventSourceContext<C> esc = retriever.eventSourceContextForDynamicRegistration();
                    for (Class<? extends HasMetadata> kind : ObjectApplier.ISTIO_KINDS) {
                        retriever.dynamicallyRegisterEventSource(informer(kind, ownedSelector(), esc));
                    }
                    istioSourcesRegistered = true;
                    istioWatchError = null;
                } catch (RuntimeException e) {
                    // Contained: components outside the mesh go on; meshed ones report it and retry.
                    istioWatchError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    LOG.warnf(e, "Watching the Istio kinds failed; retrying in %s", config.istio().discoveryInterval());
                    return false;
                }
            }
        }
        return true;
    }

    private <R extends HasMetadata> InformerEventSource<R, C> informer(Class<R> kind, String selector,
            EventSourceContext<C> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, context.getPrimaryResourceClass())
                .withName(kind.getSimpleName())
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(context.getPrimaryResourceClass()))
                .build(), context);
    }

    @Override
    public UpdateControl<C> reconcile(C cr, Context<C> ctx) {
        Long generation = cr.getMetadata().getGeneration();
        S old = cr.getStatus();
        List<Condition> conditions = old != null ? old.getConditions() : List.of();
        Instant now = Instant.now();

        HasMetadata workload = workload(cr, ctx);
        Optional<PulsarCoordinator> coordinator = coordinator(cr, ctx);
        Mesh mesh = mesh(cr, coordinator);
        mesh = mesh.withEnrolled(MeshEnrollment.enrolled(workload, state(workload).isReady(), mesh));
        boolean istioWatched = istioWatched(ctx);
        List<SpecProblem> problems = new ArrayList<>(validate(cr, mesh, ctx));
        if (coordinatorName(cr) != null && coordinator.isEmpty()) {
            // Its settings (Istio defaults, the data plane) are unknown: applying without them could take a running
            // component out of the mesh.
            problems.add(0, new SpecProblem(REASON_COORDINATOR_NOT_FOUND,
                    "metadata.labels['" + Labels.COORDINATOR_NAME + "']", "no PulsarCoordinator "
                            + coordinatorName(cr) + " in namespace " + cr.getMetadata().getNamespace()
                            + ": its settings cannot be known; create it, or correct or remove the label"));
        }
        if (mesh.enabled() && istioWatched && mesh.dataplane() == Mesh.Dataplane.AMBIENT && coordinatorName(cr) == null
                && !MeshPods.ambientTemplate(workload)) {
            // Without a coordinator the component switches by itself: the same checks a migration makes, first.
            String ztunnel = ambientChecks.ztunnelProblem(ctx.getClient());
            if (ztunnel != null) {
                problems.add(new SpecProblem(REASON_AMBIENT_PREREQUISITES, "spec.istio.dataplaneMode", ztunnel));
            }
            for (String refusal : ambientChecks.refusals(cr.getMetadata().getNamespace(), ctx.getClient())) {
                problems.add(new SpecProblem(REASON_AMBIENT_REFUSED, "spec.istio.dataplaneMode", refusal));
            }
        }
        String watchError = istioWatchError;
        if (mesh.enabled() && !istioWatched && watchError != null) {
            problems.add(0, new SpecProblem(REASON_ISTIO_WATCH_FAILED, "spec.istio.enabled",
                    "the Istio APIs are served but watching them failed (" + watchError + "); retrying"));
        } else if (mesh.enabled() && !istioWatched) {
            problems.add(0, new SpecProblem(REASON_ISTIO_NOT_INSTALLED, "spec.istio.enabled",
                    "the Istio APIs networking.istio.io/v1 and security.istio.io/v1 (Istio 1.22 or later) are not "
                            + "served by this cluster: install Istio, or set spec.istio.enabled to false"));
        }
        Condition ready;
        WorkloadState state;
        RollPlanner.Decision roll = null;
        if (!problems.isEmpty()) {
            state = observe(cr, ctx);
            String message = problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "))
                    + ". Nothing was changed in the cluster.";
            ready = Conditions.of(Conditions.READY, false, problems.get(0).reason(), message, generation);
            metrics.reconciled(cr, ReconcileMetrics.INVALID);
        } else {
            if (MeshEnrollment.bornInMesh(workload, () -> podsExist(cr, ctx), mesh)) {
                // Created in the mesh: no pod is joining, so mTLS is enforced from the first apply.
                mesh = mesh.withEnrolled(true);
            }
            Mesh rendered = mesh;
            ObjectApplier.Result result = ObjectApplier.apply(cr,
                    AppliedMemo.inputs(cr, coordinator.orElse(null), mesh.enrolled(), settings()),
                    () -> desired(cr, rendered), prunedKinds(istioWatched), ctx, ssa);
            if (result.changed() && result.onlyCreated() && Conditions.find(conditions, Conditions.READY).isEmpty()) {
                // A new component (no status yet) whose objects were all created now: its Ready condition and the
                // ComponentReady Event tell what follows; an Event listing every object would be one more write per
                // component. Changes to a component that exists are Events.
                LOG.infof("%s %s/%s: %s", cr.getKind(), cr.getMetadata().getNamespace(), cr.getMetadata().getName(),
                        result.summary());
            } else if (result.changed()) {
                events.record(cr, EventSink.NORMAL, REASON_APPLIED, result.summary());
            }
            metrics.reconciled(cr, result.changed() ? ReconcileMetrics.APPLIED : ReconcileMetrics.UNCHANGED);
            state = observe(cr, ctx);
            WorkloadState gate = readiness(cr, ctx, state);
            roll = result.conflicts().isEmpty() ? roll(cr, ctx) : null;
            if (!result.conflicts().isEmpty()) {
                ready = Conditions.of(Conditions.READY, false, REASON_NAME_CONFLICT,
                        "objects with these names exist and are not owned by this " + cr.getKind() + ": "
                                + String.join(", ", result.conflicts()) + "; rename or remove them",
                        generation);
            } else if (roll instanceof RollPlanner.Wait w && RollPlanner.WAIT_LEADER_UNKNOWN.equals(w.reason())) {
                ready = Conditions.of(Conditions.READY, false, REASON_ROLL_BLOCKED,
                        gate.ready() + "/" + gate.desired() + " pods ready, " + gate.updated() + "/" + gate.desired()
                                + " updated; " + w.message(),
                        generation);
            } else if (gate.isReady()) {
                ready = Conditions.of(Conditions.READY, true, Conditions.REASON_ALL_REPLICAS_READY,
                        gate.ready() + "/" + gate.desired() + " pods ready", generation);
            } else {
                ready = Conditions.of(Conditions.READY, false, Conditions.REASON_REPLICAS_NOT_READY,
                        gate.ready() + "/" + gate.desired() + " pods ready, " + gate.updated() + "/"
                                + gate.desired() + " updated",
                        generation);
            }
        }
        recordReadyTransition(cr, conditions, ready);
        componentMetrics.ready(cr.getMetadata().getNamespace(), cr.getMetadata().getName(), cr.getKind(),
                Condition.TRUE.equals(ready.getStatus()));

        S status = newStatus();
        List<Condition> next = Conditions.with(conditions, ready, now);
        List<String> ignored = notActedOn(cr);
        next = ignored.isEmpty() ? Conditions.without(next, Conditions.UNSUPPORTED_FEATURES)
                : Conditions.with(next, Conditions.of(Conditions.UNSUPPORTED_FEATURES, true,
                        Conditions.REASON_FIELDS_NOT_ACTED_ON,
                        "accepted but not acted on yet: " + String.join(", ", ignored), generation), now);
        status.setConditions(next);
        status.setObservedGeneration(generation);
        status.setReplicas(state.current());
        status.setReadyReplicas(state.ready());
        status.setUpdatedReplicas(state.updated());
        status.setLabelSelector(Labels.serialize(selector(cr)));
        // Without Istio's APIs (IstioNotInstalled) no pod can be in the mesh: that is what the Ready condition says.
        PodsInMesh.Result enrolment = PodsInMesh.of(istioWatched ? mesh : Mesh.OFF, pods(cr, ctx),
                readiness(cr, ctx, state).rolledOut(), cr.getMetadata().getNamespace());
        status.setOnMeshReplicas(enrolment.onMeshReplicas());
        status.setDataplaneMode(enrolment.dataplaneMode());
        next = withWarned(cr, conditions, next, enrolment.inMesh() == null ? null
                : Conditions.of(PodsInMesh.CONDITION, enrolment.inMesh(), enrolment.reason(), enrolment.message(),
                        generation),
                PodsInMesh.CONDITION, enrolment.warning() ? REASON_PODS_NOT_IN_MESH : null, now);
        Condition prerequisitesMet = MeshPrerequisites.condition(prerequisites(cr, mesh, istioWatched, ctx), generation);
        next = withWarned(cr, conditions, next, prerequisitesMet, MeshPrerequisites.CONDITION,
                prerequisitesMet != null && Condition.FALSE.equals(prerequisitesMet.getStatus())
                        ? prerequisitesMet.getReason() : null, now);
        status.setConditions(next);
        completeStatus(cr, status, state, mesh, problems.isEmpty(), ctx);
        java.time.Duration wait = Objects.equals(status, old) ? java.time.Duration.ZERO
                : progress().delay(ResourceID.fromResource(cr).toString(), old, status, System.nanoTime());
        UpdateControl<C> control;
        if (Objects.equals(status, old)) {
            control = UpdateControl.noUpdate();
        } else if (!wait.isZero()) {
            // Progress only, and its last write was recent: it is written when the interval is over (or with the
            // next change of state, whichever comes first).
            control = UpdateControl.<C> noUpdate().rescheduleAfter(wait);
        } else {
            control = StatusWrite.of(fresh(cr, status), ctx, ssa);
        }
        // Without Istio, look again for it (discovery is rate-limited) so the component converges once it is there;
        // also when discovery itself failed, so Istio objects left from before are still pruned.
        boolean lookAgain = !istioWatched && (mesh.enabled() || istio.uncertain() || watchError != null);
        if (lookAgain) {
            return sooner(control, config.istio().discoveryInterval());
        }
        // A prerequisite not met is outside the operator's objects, which would wake it: look again.
        if (prerequisitesMet != null && Condition.FALSE.equals(prerequisitesMet.getStatus())) {
            control = sooner(control, config.istio().discoveryInterval());
        }
        // Refused or waiting for ambient on account of objects the operator does not watch (a user's policies, the
        // ztunnel DaemonSet): look again, as a migration does, so that the component moves once they are fixed.
        if (problems.stream().anyMatch(p -> REASON_AMBIENT_REFUSED.equals(p.reason())
                || REASON_AMBIENT_PREREQUISITES.equals(p.reason()))) {
            return sooner(control, config.migration().pollInterval());
        }
        // Joining the mesh: nothing else wakes this component once its pods have rolled, so look again until they
        // have and STRICT mTLS and the DestinationRules can follow.
        if (mesh.enabled() && !mesh.enrolled() && problems.isEmpty()) {
            return sooner(control, JOINING_POLL);
        }
        // Rolling: the StatefulSet's status wakes this component as pods come back; look again anyway, so a leader
        // that could not be found is asked again.
        return roll != null && !(roll instanceof RollPlanner.Done) ? sooner(control, ROLL_POLL) : control;
    }

    /**
     * {@code next} with {@code condition} in place of the condition of that type ({@code null}: without it), and a
     * Warning Event of {@code warningReason} (when not {@code null}) if the condition's reason or message differs
     * from what {@code previous} had: once per change, not at every reconciliation.
     */
    private List<Condition> withWarned(C cr, List<Condition> previous, List<Condition> next, Condition condition,
            String type, String warningReason, Instant now) {
        if (condition == null) {
            return Conditions.without(next, type);
        }
        Condition before = Conditions.find(previous, type).orElse(null);
        if (warningReason != null && (before == null || !condition.getReason().equals(before.getReason())
                || !condition.getMessage().equals(before.getMessage()))) {
            events.record(cr, EventSink.WARNING, warningReason, condition.getMessage());
        }
        return Conditions.with(next, condition, now);
    }

    /** {@code control}, looked at again after {@code after} at the latest. */
    public static <C extends HasMetadata> UpdateControl<C> sooner(UpdateControl<C> control, java.time.Duration after) {
        Optional<Long> current = control.getScheduleDelay();
        return current.isPresent() && current.get() <= after.toMillis() ? control : control.rescheduleAfter(after);
    }

    /** Fields of a component's status that report progress, and the Ready reasons whose messages record no Event. */
    private ProgressThrottle progress() {
        ProgressThrottle p = progress;
        if (p == null) {
            p = new ProgressThrottle(config.status().progressInterval(),
                    Set.of("replicas", "readyReplicas", "updatedReplicas", "autoRecoveryReadyReplicas", "onMeshReplicas"),
                    null, Set.of(),
                    Set.of(Conditions.REASON_ALL_REPLICAS_READY, Conditions.REASON_REPLICAS_NOT_READY));
            progress = p;
        }
        return p;
    }

    /** One step of the operator's own roll of each {@link #rolled} StatefulSet; the first that is not done. */
    private RollPlanner.Decision roll(C cr, Context<C> ctx) {
        for (PodRoller.Rolled r : rolled(cr)) {
            StatefulSet sts = cached(ctx, StatefulSet.class, r.statefulSet(), cr.getMetadata().getNamespace());
            RollPlanner.Decision d = roller.step(cr, r, sts, ctx.getClient());
            if (!(d instanceof RollPlanner.Done)) {
                return d;
            }
        }
        return new RollPlanner.Done();
    }

    /** Whether pods of this component exist, whatever owns them: those a new workload would adopt. */
    private boolean podsExist(C cr, Context<C> ctx) {
        return !pods(cr, ctx).isEmpty();
    }

    private List<Class<? extends HasMetadata>> prunedKinds(boolean istioWatched) {
        if (!istioWatched) {
            return managedKinds();
        }
        List<Class<? extends HasMetadata>> all = new ArrayList<>(managedKinds());
        all.addAll(ObjectApplier.ISTIO_KINDS);
        return all;
    }

    /** Events for a change of the Ready condition: reason changes to a problem are Warnings, recovery is Normal. */
    private void recordReadyTransition(C cr, List<Condition> previous, Condition ready) {
        Condition before = Conditions.find(previous, Conditions.READY).orElse(null);
        boolean wasReady = before != null && Condition.TRUE.equals(before.getStatus());
        if (before != null && Objects.equals(before.getStatus(), ready.getStatus())
                && Objects.equals(before.getReason(), ready.getReason())
                && Objects.equals(before.getMessage(), ready.getMessage())) {
            return;
        }
        if (Condition.TRUE.equals(ready.getStatus())) {
            if (!wasReady) {
                events.record(cr, EventSink.NORMAL, REASON_READY, ready.getMessage());
            }
        } else if (!Conditions.REASON_REPLICAS_NOT_READY.equals(ready.getReason())) {
            events.record(cr, EventSink.WARNING, ready.getReason(), ready.getMessage());
        } else if (wasReady) {
            events.record(cr, EventSink.WARNING, REASON_NOT_READY, ready.getMessage());
        }
    }

    @Override
    public ErrorStatusUpdateControl<C> updateErrorStatus(C cr, Context<C> ctx, Exception e) {
        if (PrimaryGone.test(cr, ctx.getClient(), e)) {
            return ErrorStatusUpdateControl.<C> noStatusUpdate().withNoRetry();
        }
        S old = cr.getStatus();
        List<Condition> conditions = old != null ? old.getConditions() : List.of();
        String message = e.getClass().getSimpleName() + ": " + Objects.toString(e.getMessage(), "");
        Condition ready = Conditions.of(Conditions.READY, false, Conditions.REASON_RECONCILE_ERROR, message,
                cr.getMetadata().getGeneration());
        if (Conditions.find(conditions, Conditions.READY).map(c -> ready.sameStateAs(c)).orElse(false)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        metrics.reconciled(cr, ReconcileMetrics.ERROR);
        LOG.warnf(e, "Reconciling %s %s/%s failed", cr.getKind(), cr.getMetadata().getNamespace(),
                cr.getMetadata().getName());
        events.record(cr, EventSink.WARNING, Conditions.REASON_RECONCILE_ERROR, message);
        S status = newStatus();
        if (old != null) {
            status.setReplicas(old.getReplicas());
            status.setReadyReplicas(old.getReadyReplicas());
            status.setUpdatedReplicas(old.getUpdatedReplicas());
            status.setLabelSelector(old.getLabelSelector());
            status.setObservedGeneration(old.getObservedGeneration());
            status.setOnMeshReplicas(old.getOnMeshReplicas());
            status.setDataplaneMode(old.getDataplaneMode());
        }
        status.setConditions(Conditions.with(conditions, ready, Instant.now()));
        return ErrorStatusUpdateControl.patchStatus(fresh(cr, status));
    }

    /** A copy holding only what a status patch needs. */
    private C fresh(C cr, S status) {
        C fresh = newResource();
        fresh.setMetadata(new ObjectMetaBuilder().withName(cr.getMetadata().getName())
                .withNamespace(cr.getMetadata().getNamespace()).build());
        fresh.setStatus(status);
        return fresh;
    }

    /** A cached secondary object of this component by kind and name. */
    protected static <R extends HasMetadata, P extends HasMetadata> R cached(Context<P> ctx, Class<R> kind, String name,
            String namespace) {
        @SuppressWarnings("unchecked")
        InformerEventSource<R, P> es = (InformerEventSource<R, P>) (Object) ctx.eventSourceRetriever()
                .getEventSourceFor(kind);
        return es.get(new ResourceID(name, namespace)).orElse(null);
    }
}
