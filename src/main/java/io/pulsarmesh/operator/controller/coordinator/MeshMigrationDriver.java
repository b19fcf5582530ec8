package io.pulsarmesh.operator.controller.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentStatus;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.config.OperatorConfig;
import io.pulsarmesh.operator.kube.IstioAvailability;
import io.pulsarmesh.operator.migration.AmbientRefusals;
import io.pulsarmesh.operator.migration.MeshMigration;
import io.pulsarmesh.operator.migration.MeshMigration.ComponentObservation;
import io.pulsarmesh.operator.migration.MeshPhase;
import io.pulsarmesh.operator.migration.PodEnrollment;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.istio.Mesh.Dataplane;
import io.pulsarmesh.operator.status.Conditions;
import io.pulsarmesh.operator.status.EventSink;

/**
 * The I/O half of the sidecar→ambient migration: observes the cluster (components, their pods, ztunnel, settings
 * ambient cannot honour), asks {@link MeshMigration} for the next step, switches the component it names (server-side
 * apply of {@code spec.istio.dataplaneMode} with the field manager {@value #FIELD_MANAGER}, so it never takes the
 * user's other fields) and reports Events. The state itself lives in the coordinator's status.
 */
@ApplicationScoped
public class MeshMigrationDriver {
    public static final String FIELD_MANAGER = "pulsar-mesh-operator-coordinator";
    static final Map<String, String> COMPONENT_KIND = Map.of(Labels.ZOOKEEPER, "ZooKeeperCluster", Labels.BOOKIE,
            "BookKeeperCluster", Labels.AUTO_RECOVERY, "BookKeeperCluster", Labels.BROKER, "PulsarBroker",
            Labels.PROXY, "PulsarProxy");
    static final List<String> ORDER = List.of("ZooKeeperCluster", "BookKeeperCluster", "PulsarBroker", "PulsarProxy");

    private static final Logger LOG = Logger.getLogger(MeshMigrationDriver.class);

    @Inject
    OperatorConfig config;
    @Inject
    EventSink events;
    @Inject
    IstioAvailability istio;
    @ConfigProperty(name = "quarkus.operator-sdk.enable-ssa", defaultValue = "true")
    boolean ssa;

    /**
     * What a step did.
     *
     * @param status what the coordinator's status records
     * @param progress every component's pod counts as observed now (for the metrics, which always show them)
     */
    public record Step(MeshMigration.State state, MeshMigrationStatus status, MeshPhase previous, boolean moving,
            List<MeshMigrationStatus.ComponentProgress> progress) {
    }

    public Step step(PulsarCoordinator coordinator, List<CustomResource<?, ?>> components, List<Pod> pods,
            KubernetesClient client) {
        Instant now = Instant.now();
        MeshMigrationStatus recorded = coordinator.getStatus() != null ? coordinator.getStatus().getMeshMigration() : null;
        MeshMigration.State current = toState(recorded);
        Dataplane intent = Mesh.dataplane(coordinator.getSpec() != null && coordinator.getSpec().getIstio() != null
                ? coordinator.getSpec().getIstio().getDataplaneMode()
                : null);
        List<CustomResource<?, ?>> meshed = components.stream().filter(MeshMigrationDriver::inMesh)
                .sorted(Comparator.<CustomResource<?, ?>>comparingInt(c -> ORDER.indexOf(c.getKind()))
                        .thenComparing(c -> c.getMetadata().getName()))
                .toList();
        List<ComponentObservation> observations = new ArrayList<>();
        List<MeshMigrationStatus.ComponentProgress> progress = new ArrayList<>();
        for (CustomResource<?, ?> c : meshed) {
            observations.add(observe(c, pods, progress));
        }
        boolean ztunnelReady = true;
        String ztunnelMessage = null;
        List<String> refusals = List.of();
        // The checks cost API calls: only when a component is still to be switched to ambient.
        if (intent == Dataplane.AMBIENT && observations.stream().anyMatch(o -> o.effectiveMode() != Dataplane.AMBIENT)) {
            ztunnelMessage = ztunnelProblem(client);
            ztunnelReady = ztunnelMessage == null;
            refusals = refusals(coordinator.getMetadata().getNamespace(), client);
        }
        MeshMigration.Transition t = MeshMigration.next(current, intent,
                new MeshMigration.Observed(observations, ztunnelReady, ztunnelMessage, refusals), now,
                config.migration().stallTimeout());
        for (MeshMigration.Action a : t.actions()) {
            String uid = meshed.stream().filter(c -> c.getKind().equals(a.kind())
                    && c.getMetadata().getName().equals(a.name())).map(c -> c.getMetadata().getUid()).findFirst()
                    .orElse(null);
            switchComponent(coordinator, a, uid, client);
        }
        for (MeshMigration.Notice n : t.notices()) {
            events.record(coordinator, n.type(), n.reason(), n.message());
        }
        MeshPhase phase = t.next().phase();
        boolean moving = phase != MeshPhase.SIDECAR && phase != MeshPhase.COMPLETED;
        return new Step(t.next(), toStatus(t.next(), moving ? progress : steady(progress)), current.phase(), moving,
                progress);
    }

    static boolean inMesh(CustomResource<?, ?> c) {
        return c.getSpec() instanceof ComponentSpec s && s.getIstio() != null
                && Boolean.TRUE.equals(s.getIstio().getEnabled());
    }

    static ComponentObservation observe(CustomResource<?, ?> c, List<Pod> pods,
            List<MeshMigrationStatus.ComponentProgress> progress) {
        ComponentSpec spec = (ComponentSpec) c.getSpec();
        String set = spec.getIstio().getDataplaneMode();
        Dataplane mode = set == null || set.isBlank() ? null : Mesh.dataplane(set);
        Dataplane effective = mode == null ? Dataplane.SIDECAR : mode;
        ComponentStatus status = c.getStatus() instanceof ComponentStatus s ? s : null;
        boolean ready = status != null && Conditions.isTrue(status.getConditions(), Conditions.READY);
        int replicas = spec.getReplicas() != null ? spec.getReplicas() : 3;
        int readyReplicas = status != null && status.getReadyReplicas() != null ? status.getReadyReplicas() : 0;
        int updated = status != null && status.getUpdatedReplicas() != null ? status.getUpdatedReplicas() : 0;
        int enrolled = 0;
        List<String> atFault = new ArrayList<>();
        for (Pod p : pods) {
            String phase = p.getStatus() != null ? p.getStatus().getPhase() : null;
            if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
                continue; // evicted or finished pods wait for garbage collection; they run in no data plane
            }
            Map<String, String> l = p.getMetadata().getLabels();
            if (l == null || !c.getMetadata().getName().equals(l.get(Labels.CLUSTER))
                    || !c.getKind().equals(COMPONENT_KIND.get(l.get(Labels.COMPONENT)))) {
                continue;
            }
            boolean in = PodEnrollment.enrolledIn(p, effective);
            boolean main = !Labels.AUTO_RECOVERY.equals(l.get(Labels.COMPONENT));
            boolean terminating = p.getMetadata().getDeletionTimestamp() != null;
            if (in && main && !terminating) {
                enrolled++;
            }
            if (!in || !PodEnrollment.ready(p)) {
                atFault.add(p.getMetadata().getName());
            }
        }
        atFault.sort(null);
        MeshMigrationStatus.ComponentProgress pr = new MeshMigrationStatus.ComponentProgress();
        pr.setKind(c.getKind());
        pr.setName(c.getMetadata().getName());
        pr.setDataplaneMode(effective == Dataplane.AMBIENT ? "ambient" : "sidecar");
        pr.setDesired(replicas);
        pr.setUpdated(updated);
        pr.setReady(readyReplicas);
        pr.setEnrolled(enrolled);
        progress.add(pr);
        return new ComponentObservation(c.getKind(), c.getMetadata().getName(), mode, ready, replicas, readyReplicas,
                enrolled, atFault.size() > 10 ? atFault.subList(0, 10) : atFault);
    }

    /** Why ztunnel cannot carry ambient pods now, or {@code null} when it can. */
    public String ztunnelProblem(KubernetesClient client) {
        String[] ref = config.migration().ztunnel().split("/", 2);
        DaemonSet ztunnel = ref.length == 2 ? client.apps().daemonSets().inNamespace(ref[0]).withName(ref[1]).get() : null;
        if (ztunnelReady(ztunnel)) {
            return null;
        }
        return ztunnel == null ? "the ztunnel DaemonSet " + config.migration().ztunnel()
                + " is not there: install Istio's ambient profile (or set pulsar.operator.migration.ztunnel)"
                : "ztunnel is not ready (" + numberReady(ztunnel) + "/" + desired(ztunnel) + " pods)";
    }

    static boolean ztunnelReady(DaemonSet ds) {
        return ds != null && desired(ds) > 0 && numberReady(ds) == desired(ds);
    }

    static int desired(DaemonSet ds) {
        return ds.getStatus() != null && ds.getStatus().getDesiredNumberScheduled() != null
                ? ds.getStatus().getDesiredNumberScheduled() : 0;
    }

    static int numberReady(DaemonSet ds) {
        return ds.getStatus() != null && ds.getStatus().getNumberReady() != null ? ds.getStatus().getNumberReady() : 0;
    }

    /** Istio settings in the namespace, written by others, that ambient cannot honour. */
    public List<String> refusals(String namespace, KubernetesClient client) {
        if (!istio.present()) {
            return List.of();
        }
        List<PeerAuthentication> pas = client.resources(PeerAuthentication.class).inNamespace(namespace).list()
                .getItems().stream().filter(o -> !managed(o)).toList();
        List<AuthorizationPolicy> aps = client.resources(AuthorizationPolicy.class).inNamespace(namespace).list()
                .getItems().stream().filter(o -> !managed(o)).toList();
        return AmbientRefusals.of(pas, aps);
    }

    static boolean managed(HasMetadata o) {
        return o.getMetadata().getLabels() != null
                && Labels.MANAGED_BY_VALUE.equals(o.getMetadata().getLabels().get(Labels.MANAGED_BY));
    }

    /** Writes only {@code spec.istio.dataplaneMode}, as this operator's coordinator field manager. */
    void switchComponent(PulsarCoordinator coordinator, MeshMigration.Action a, String uid, KubernetesClient client) {
        String ns = coordinator.getMetadata().getNamespace();
        String value = a.dataplane() == Dataplane.AMBIENT ? "ambient" : "sidecar";
        LOG.infof("%s/%s: setting %s/%s to %s", ns, coordinator.getMetadata().getName(), a.kind(), a.name(), value);
        String apiVersion = apiVersion(a.kind());
        if (ssa) {
            GenericKubernetesResource patch = new GenericKubernetesResource();
            patch.setApiVersion(apiVersion);
            patch.setKind(a.kind());
            // The UID is a precondition: apply would otherwise create a component deleted meanwhile.
            patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(a.name())
                    .withNamespace(ns).withUid(uid).build());
            patch.setAdditionalProperty("spec", Map.of("istio", Map.of("dataplaneMode", value)));
            client.resource(patch).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } else {
            client.genericKubernetesResources(apiVersion, a.kind()).inNamespace(ns).withName(a.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"spec\":{\"istio\":{\"dataplaneMode\":\"" + value + "\"}}}");
        }
    }

    static String apiVersion(String kind) {
        return switch (kind) {
            case "ZooKeeperCluster" -> HasMetadata.getApiVersion(
                    io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster.class);
            case "BookKeeperCluster" -> HasMetadata.getApiVersion(
                    io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster.class);
            case "PulsarBroker" -> HasMetadata.getApiVersion(io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker.class);
            default -> HasMetadata.getApiVersion(io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy.class);
        };
    }

    static MeshMigration.State toState(MeshMigrationStatus s) {
        if (s == null || s.getPhase() == null) {
            return MeshMigration.State.initial();
        }
        return new MeshMigration.State(MeshPhase.of(s.getPhase()), Mesh.dataplane(s.getTarget()), s.getComponent(),
                time(s.getStartTime()), time(s.getLastTransitionTime()), time(s.getComponentSince()), s.getReason(),
                s.getMessage(), s.getPodsAtFault());
    }

    /**
     * What the status records of each component outside a migration: its data plane, without pod counts. The counts
     * show a migration's progress; in the steady phases they would only follow pods coming and going (a status write
     * for each pod of a new cluster), and the metrics report them anyway.
     */
    static List<MeshMigrationStatus.ComponentProgress> steady(List<MeshMigrationStatus.ComponentProgress> progress) {
        return progress.stream().map(p -> {
            MeshMigrationStatus.ComponentProgress c = new MeshMigrationStatus.ComponentProgress();
            c.setKind(p.getKind());
            c.setName(p.getName());
            c.setDataplaneMode(p.getDataplaneMode());
            return c;
        }).toList();
    }

    static MeshMigrationStatus toStatus(MeshMigration.State state, List<MeshMigrationStatus.ComponentProgress> progress) {
        MeshMigrationStatus s = new MeshMigrationStatus();
        s.setPhase(state.phase().value());
        s.setTarget(state.target() == Dataplane.AMBIENT ? "ambient" : "sidecar");
        s.setComponent(state.component());
        s.setStartTime(text(state.startTime()));
        s.setLastTransitionTime(text(state.lastTransitionTime()));
        s.setComponentSince(text(state.componentSince()));
        s.setReason(state.reason());
        s.setMessage(state.message());
        s.setPodsAtFault(state.podsAtFault().isEmpty() ? null : state.podsAtFault());
        s.setComponents(progress);
        return s;
    }

    static Instant time(String s) {
        return s == null ? null : Instant.parse(s);
    }

    static String text(Instant i) {
        return i == null ? null : i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** How long the recorded phase had lasted. */
    public static Duration since(MeshMigrationStatus s, Instant now) {
        Instant t = s != null ? time(s.getLastTransitionTime()) : null;
        return t == null ? Duration.ZERO : Duration.between(t, now);
    }
}
