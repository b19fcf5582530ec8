package io.pulsarmesh.operator.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterStatus;
import io.pulsarmesh.operator.model.common.ModelSettings;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.render.Renderer;
import io.pulsarmesh.operator.status.Conditions;

/**
 * The clone through the token buffer gives what the client's clone through JSON text gives, as a copy that shares
 * nothing with the original: for every custom resource of the examples (one with a status too) and every object the
 * operator renders from them (quantities, int-or-strings, Istio's objects).
 */
class BufferedCloneSerializationTest {
    static final KubernetesSerialization TEXT = new KubernetesSerialization();
    static final KubernetesSerialization BUFFERED = new BufferedCloneSerialization(new ObjectMapper());

    static List<HasMetadata> examplesAndWhatTheyRender() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("kubernetes/examples"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<HasMetadata> all = new ArrayList<>();
        for (Path f : files) {
            List<CustomResource<?, ?>> crs = Render.load(f, "team-a").stream().<CustomResource<?, ?>>map(Render.Loaded::resource)
                    .toList();
            for (CustomResource<?, ?> cr : crs) {
                all.add(cr);
                all.addAll(Renderer.desired(cr, ModelSettings.defaults(), crs));
            }
        }
        assertTrue(all.stream().anyMatch(StatefulSet.class::isInstance), "rendered workloads among them");
        return all;
    }

    @Test
    void everyObjectClonesToWhatTheTextCloneGives() throws IOException {
        List<HasMetadata> objects = new ArrayList<>(examplesAndWhatTheyRender());
        objects.add(withStatus());
        for (HasMetadata o : objects) {
            HasMetadata copy = BUFFERED.clone(o);
            String what = o.getKind() + " " + o.getMetadata().getName();
            assertNotSame(o, copy, what);
            assertEquals(o.getClass(), copy.getClass(), what);
            assertEquals(TEXT.asJson(TEXT.clone(o)), TEXT.asJson(copy), what);
            assertEquals(TEXT.asJson(o), TEXT.asJson(copy), what);
        }
    }

    @Test
    void theCopySharesNothingWithTheOriginal() {
        ZooKeeperCluster original = withStatus();
        String before = TEXT.asJson(original);
        ZooKeeperCluster copy = BUFFERED.clone(original);
        copy.getMetadata().setLabels(new HashMap<>(copy.getMetadata().getLabels()));
        copy.getMetadata().getLabels().put("changed", "in the copy");
        copy.getMetadata().setResourceVersion(null);
        copy.getSpec().setReplicas(7);
        copy.getStatus().getConditions().get(0).setReason("ChangedInTheCopy");
        copy.getStatus().setReadyReplicas(0);
        assertEquals(before, TEXT.asJson(original), "the original is as it was");
        assertNotEquals(before, TEXT.asJson(copy));
    }

    @Test
    void nothingClonesToNothing() {
        assertNull(BUFFERED.clone(null));
    }

    static ZooKeeperCluster withStatus() {
        ZooKeeperCluster zk = (ZooKeeperCluster) Render.load(Path.of("kubernetes/examples/pulsar-cluster.yaml"), "team-a")
                .stream().map(Render.Loaded::resource).filter(ZooKeeperCluster.class::isInstance).findFirst()
                .orElseThrow();
        zk.getMetadata().setResourceVersion("42");
        zk.getMetadata().setGeneration(3L);
        ZooKeeperClusterStatus status = new ZooKeeperClusterStatus();
        status.setObservedGeneration(3L);
        status.setReplicas(3);
        status.setReadyReplicas(2);
        status.setConditions(Conditions.with(List.of(), Conditions.of(Conditions.READY, false,
                Conditions.REASON_REPLICAS_NOT_READY, "2/3 pods ready", 3L), Instant.parse("2026-12-07T00:00:00Z")));
        zk.setStatus(status);
        return zk;
    }
}
