package io.pulsarmesh.operator.controller.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperClusterSpec;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperClusterStatus;
import io.pulsarmesh.operator.api.common.v1alpha1.IstioSpec;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterSpec;
import io.pulsarmesh.operator.migration.MeshMigration;
import io.pulsarmesh.operator.migration.MeshMigration.ComponentObservation;
import io.pulsarmesh.operator.migration.MeshPhase;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.istio.Mesh.Dataplane;
import io.pulsarmesh.operator.model.istio.MeshPods;
import io.pulsarmesh.operator.status.Conditions;

/** The driver's pure helpers: what it makes of a component and its pods, and its record in the status. */
class MeshMigrationDriverTest {
    static final String NAME = "pc";

    static BookKeeperCluster bookkeeper(String dataplaneMode, boolean ready, int readyReplicas) {
        BookKeeperCluster bk = new BookKeeperCluster();
        bk.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace("pulsar").build());
        BookKeeperClusterSpec spec = new BookKeeperClusterSpec();
        spec.setReplicas(3);
        IstioSpec istio = new IstioSpec();
        istio.setEnabled(true);
        istio.setDataplaneMode(dataplaneMode);
        spec.setIstio(istio);
        bk.setSpec(spec);
        BookKeeperClusterStatus status = new BookKeeperClusterStatus();
        status.setConditions(List.of(Conditions.of(Conditions.READY, ready, "r", "m", 1L)));
        status.setReadyReplicas(readyReplicas);
        status.setUpdatedReplicas(2);
        bk.setStatus(status);
        return bk;
    }

    static Pod pod(String name, String cluster, String component, boolean ambient, boolean sidecar, boolean ready) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).addToLabels(Labels.CLUSTER, cluster)
                .addToLabels(Labels.COMPONENT, component).endMetadata()
                .withNewSpec().addNewContainer().withName("pulsar").endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus();
        if (ambient) {
            b.editMetadata().addToLabels(MeshPods.DATAPLANE_MODE, "ambient").endMetadata();
        }
        if (sidecar) {
            b.editSpec().addNewContainer().withName("istio-proxy").endContainer().endSpec();
        }
        return b.build();
    }

    static Pod bookie(int i, boolean ambient, boolean sidecar, boolean ready) {
        return pod(NAME + "-bookie-" + i, NAME, Labels.BOOKIE, ambient, sidecar, ready);
    }

    static Pod recovery(boolean ambient, boolean sidecar, boolean ready) {
        return pod(NAME + "-bookie-recovery-0", NAME, Labels.AUTO_RECOVERY, ambient, sidecar, ready);
    }

    @Test
    void countsEnrolledBookiesAndBlamesTheAutoRecoveryPodLeftOnSidecar() {
        List<MeshMigrationStatus.ComponentProgress> progress = new ArrayList<>();
        ComponentObservation o = MeshMigrationDriver.observe(bookkeeper("ambient", true, 3),
                List.of(bookie(0, true, false, true), bookie(1, true, false, true), bookie(2, true, false, true),
                        recovery(false, true, true)),
                progress);
        assertEquals("BookKeeperCluster", o.kind());
        assertEquals(NAME, o.name());
        assertEquals(Dataplane.AMBIENT, o.mode());
        assertTrue(o.ready());
        assertEquals(3, o.replicas());
        assertEquals(3, o.readyReplicas());
        assertEquals(3, o.enrolledPods(), "the auto-recovery pod is not counted among the replicas");
        assertEquals(List.of(NAME + "-bookie-recovery-0"), o.podsAtFault());
        assertFalse(o.verifiedIn(Dataplane.AMBIENT), "an auto-recovery pod on sidecar keeps it from being verified");

        assertEquals(1, progress.size());
        MeshMigrationStatus.ComponentProgress p = progress.get(0);
        assertEquals("BookKeeperCluster", p.getKind());
        assertEquals(NAME, p.getName());
        assertEquals("ambient", p.getDataplaneMode());
        assertEquals(3, p.getDesired());
        assertEquals(2, p.getUpdated());
        assertEquals(3, p.getReady());
        assertEquals(3, p.getEnrolled());
    }

    @Test
    void everyPodOnAmbientAndReadyVerifiesTheComponent() {
        ComponentObservation o = MeshMigrationDriver.observe(bookkeeper("ambient", true, 3),
                List.of(bookie(0, true, false, true), bookie(1, true, false, true), bookie(2, true, false, true),
                        recovery(true, false, true)),
                new ArrayList<>());
        assertEquals(3, o.enrolledPods());
        assertEquals(List.of(), o.podsAtFault());
        assertTrue(o.verifiedIn(Dataplane.AMBIENT));
        assertFalse(o.verifiedIn(Dataplane.SIDECAR));
    }

    @Test
    void evictedAndTerminatingPodsDoNotCount() {
        Pod evicted = bookie(3, false, true, false);
        evicted.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder(evicted.getStatus()).withPhase("Failed")
                .build());
        Pod terminating = bookie(0, true, false, true);
        terminating.getMetadata().setDeletionTimestamp("2026-11-25T12:00:00Z");
        ComponentObservation o = MeshMigrationDriver.observe(bookkeeper("ambient", true, 3),
                List.of(evicted, terminating, bookie(1, true, false, true), bookie(2, true, false, true),
                        recovery(true, false, true)),
                new ArrayList<>());
        // The evicted pod is ignored; the terminating one is not counted as enrolled, so the component waits for it.
        assertEquals(2, o.enrolledPods());
        assertEquals(List.of(), o.podsAtFault());
        assertFalse(o.verifiedIn(Dataplane.AMBIENT));
    }

    @Test
    void unreadyAndNotYetRolledPodsAreAtFaultInOrder() {
        ComponentObservation o = MeshMigrationDriver.observe(bookkeeper("ambient", false, 2),
                List.of(bookie(2, true, false, false), bookie(1, true, false, true), bookie(0, false, true, true),
                        recovery(true, false, false)),
                new ArrayList<>());
        // bookie-2 runs on ambient but is not ready: enrolled, yet at fault.
        assertEquals(2, o.enrolledPods());
        assertEquals(List.of(NAME + "-bookie-0", NAME + "-bookie-2", NAME + "-bookie-recovery-0"), o.podsAtFault());
        assertFalse(o.ready());
    }

    @Test
    void podsOfOtherClustersAndComponentsAreIgnored() {
        List<Pod> pods = List.of(bookie(0, true, false, true), bookie(1, true, false, true), bookie(2, true, false, true),
                pod("other-bookie-0", "other", Labels.BOOKIE, false, true, false),
                pod(NAME + "-zk-0", NAME, Labels.ZOOKEEPER, false, true, false),
                pod(NAME + "-broker-0", NAME, Labels.BROKER, false, true, false),
                new PodBuilder().withNewMetadata().withName("unlabelled").endMetadata().build());
        ComponentObservation o = MeshMigrationDriver.observe(bookkeeper("ambient", true, 3), pods, new ArrayList<>());
        assertEquals(3, o.enrolledPods());
        assertEquals(List.of(), o.podsAtFault());

        ZooKeeperCluster zk = new ZooKeeperCluster();
        zk.setMetadata(new ObjectMetaBuilder().withName(NAME).build());
        ZooKeeperClusterSpec spec = new ZooKeeperClusterSpec();
        spec.setReplicas(1);
        IstioSpec istio = new IstioSpec();
        istio.setEnabled(true);
        spec.setIstio(istio);
        zk.setSpec(spec);
        ComponentObservation z = MeshMigrationDriver.observe(zk, pods, new ArrayList<>());
        assertEquals(1, z.enrolledPods(), "the zk pod has its sidecar; bookies and brokers are not the zk's");
        assertEquals(List.of(NAME + "-zk-0"), z.podsAtFault(), "not ready");
        assertFalse(z.ready(), "no status");
        assertEquals(0, z.readyReplicas());
    }

    @Test
    void unsetDataplaneModeIsSidecar() {
        List<MeshMigrationStatus.ComponentProgress> progress = new ArrayList<>();
        ComponentObservation o = MeshMigrationDriver.observe(bookkeeper(null, true, 3),
                List.of(bookie(0, false, true, true), bookie(1, false, true, true), bookie(2, true, false, true),
                        recovery(false, true, true)),
                progress);
        assertNull(o.mode());
        assertEquals(Dataplane.SIDECAR, o.effectiveMode());
        assertEquals(2, o.enrolledPods());
        assertEquals(List.of(NAME + "-bookie-2"), o.podsAtFault());
        assertEquals("sidecar", progress.get(0).getDataplaneMode());
    }

    @Test
    void atMostTenPodsAtFault() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            pods.add(bookie(i, false, false, false));
        }
        ComponentObservation o = MeshMigrationDriver.observe(bookkeeper("ambient", false, 0), pods, new ArrayList<>());
        assertEquals(10, o.podsAtFault().size());
        assertEquals(NAME + "-bookie-0", o.podsAtFault().get(0));
    }

    @Test
    void theSteadyStatusKeepsEachComponentsDataPlaneButNotItsPodCounts() {
        MeshMigrationStatus.ComponentProgress zk = new MeshMigrationStatus.ComponentProgress();
        zk.setKind("ZooKeeperCluster");
        zk.setName("pc");
        zk.setDataplaneMode("ambient");
        zk.setDesired(3);
        zk.setUpdated(3);
        zk.setReady(2);
        zk.setEnrolled(1);
        List<MeshMigrationStatus.ComponentProgress> steady = MeshMigrationDriver.steady(List.of(zk));
        assertEquals(1, steady.size());
        MeshMigrationStatus.ComponentProgress s = steady.get(0);
        assertEquals("ZooKeeperCluster", s.getKind());
        assertEquals("pc", s.getName());
        assertEquals("ambient", s.getDataplaneMode());
        assertNull(s.getDesired());
        assertNull(s.getUpdated());
        assertNull(s.getReady());
        assertNull(s.getEnrolled());
        assertEquals(3, zk.getDesired(), "the observation itself is left as it was");
    }

    @Test
    void stateSurvivesTheStatusRoundTrip() {
        Instant start = Instant.parse("2026-01-02T03:04:05Z");
        MeshMigration.State stalled = new MeshMigration.State(MeshPhase.STALLED, Dataplane.AMBIENT,
                "PulsarBroker/pc", start, start.plusSeconds(70), start.plusSeconds(40), MeshMigration.REASON_STALLED,
                "PulsarBroker/pc is not running on ambient", List.of("pc-broker-0", "pc-broker-1"));
        List<MeshMigrationStatus.ComponentProgress> progress = List.of(new MeshMigrationStatus.ComponentProgress());
        MeshMigrationStatus status = MeshMigrationDriver.toStatus(stalled, progress);
        assertEquals("Stalled", status.getPhase());
        assertEquals("ambient", status.getTarget());
        assertEquals("2026-01-02T03:04:05Z", status.getStartTime());
        assertEquals("2026-01-02T03:05:15Z", status.getLastTransitionTime());
        assertEquals("2026-01-02T03:04:45Z", status.getComponentSince());
        assertEquals(progress, status.getComponents());
        assertEquals(stalled, MeshMigrationDriver.toState(status));

        MeshMigration.State rollingBack = new MeshMigration.State(MeshPhase.ROLLING_BACK, Dataplane.SIDECAR,
                "ZooKeeperCluster/pc", start, start, start, MeshMigration.REASON_ROLLING_BACK, "moving back", List.of());
        MeshMigrationStatus rb = MeshMigrationDriver.toStatus(rollingBack, List.of());
        assertNull(rb.getPodsAtFault(), "no empty list in the status");
        assertEquals("sidecar", rb.getTarget());
        assertEquals(rollingBack, MeshMigrationDriver.toState(rb));

        MeshMigration.State completed = new MeshMigration.State(MeshPhase.COMPLETED, Dataplane.AMBIENT, null, start,
                start, null, MeshMigration.REASON_COMPLETED, "done", List.of());
        assertEquals(completed, MeshMigrationDriver.toState(MeshMigrationDriver.toStatus(completed, List.of())));
        assertEquals(MeshMigration.State.initial(),
                MeshMigrationDriver.toState(MeshMigrationDriver.toStatus(MeshMigration.State.initial(), List.of())));
    }

    @Test
    void everyPhaseSurvivesTheRoundTrip() {
        for (MeshPhase phase : MeshPhase.values()) {
            MeshMigration.State s = new MeshMigration.State(phase, Dataplane.AMBIENT, null, null, null, null, "r", "m",
                    List.of());
            assertEquals(phase, MeshMigrationDriver.toState(MeshMigrationDriver.toStatus(s, List.of())).phase());
        }
    }

    @Test
    void statusTimesAreWholeSeconds() {
        Instant t = Instant.parse("2026-01-02T03:04:05.987654Z");
        MeshMigration.State s = new MeshMigration.State(MeshPhase.MIGRATING, Dataplane.AMBIENT, "ZooKeeperCluster/pc",
                t, t, t, "r", "m", List.of());
        MeshMigrationStatus status = MeshMigrationDriver.toStatus(s, List.of());
        assertEquals("2026-01-02T03:04:05Z", status.getComponentSince());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), MeshMigrationDriver.toState(status).componentSince());
    }

    @Test
    void nothingRecordedIsTheInitialState() {
        assertEquals(MeshMigration.State.initial(), MeshMigrationDriver.toState(null));
        assertEquals(MeshMigration.State.initial(), MeshMigrationDriver.toState(new MeshMigrationStatus()));
    }

    @Test
    void ztunnelIsReadyWhenEveryScheduledPodIsReady() {
        assertFalse(MeshMigrationDriver.ztunnelReady(null));
        assertFalse(MeshMigrationDriver.ztunnelReady(ztunnel(null, null)), "no status yet");
        assertFalse(MeshMigrationDriver.ztunnelReady(ztunnel(0, 0)), "scheduled nowhere");
        assertFalse(MeshMigrationDriver.ztunnelReady(ztunnel(3, 2)));
        assertTrue(MeshMigrationDriver.ztunnelReady(ztunnel(3, 3)));
    }

    static DaemonSet ztunnel(Integer desired, Integer ready) {
        DaemonSetBuilder b = new DaemonSetBuilder().withNewMetadata().withName("ztunnel").endMetadata();
        if (desired != null) {
            b.withNewStatus().withDesiredNumberScheduled(desired).withNumberReady(ready).endStatus();
        }
        return b.build();
    }
}
