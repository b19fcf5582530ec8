package io.pulsarmesh.operator.model.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.PodTemplates;

class MeshPodsTest {
    static final String INJECT = "sidecar.istio.io/inject";
    static final String REV = "istio.io/rev";
    static final String MODE = "istio.io/dataplane-mode";
    static final String PROXY_CONFIG = "proxy.istio.io/config";
    static final Map<String, String> SELECTOR = Labels.selector(Labels.BROKER, "pc");

    static Mesh sidecar(String revision) {
        return new Mesh(true, Mesh.Mtls.STRICT, revision, "cluster.local", Mesh.Dataplane.SIDECAR, List.of(),
                List.of());
    }

    static Mesh ambient(String revision) {
        return new Mesh(true, Mesh.Mtls.STRICT, revision, "cluster.local", Mesh.Dataplane.AMBIENT, List.of(),
                List.of());
    }

    static Mesh off(Mesh.Dataplane dataplane) {
        return new Mesh(false, Mesh.Mtls.STRICT, "canary", "cluster.local", dataplane, List.of(), List.of());
    }

    /** Pod metadata as the components build it: user labels and annotations, then the selector and config hash. */
    static ObjectMeta podMeta(Mesh mesh, Map<String, String> userLabels, Map<String, String> userAnnotations) {
        PodPolicy pod = new PodPolicy();
        pod.setLabels(userLabels);
        pod.setAnnotations(userAnnotations);
        return PodTemplates.podMeta(pod, SELECTOR, "hash1", mesh);
    }

    static Map<String, String> meshLabels(Map<String, String> labels) {
        Map<String, String> m = new LinkedHashMap<>(labels);
        m.keySet().retainAll(List.of(INJECT, REV, MODE));
        return m;
    }

    @Test
    void sidecarWithoutRevision() {
        assertEquals(Map.of(INJECT, "true", MODE, "none"), MeshPods.labels(sidecar(null)));
    }

    @Test
    void sidecarWithRevision() {
        assertEquals(Map.of(INJECT, "true", MODE, "none", REV, "canary"), MeshPods.labels(sidecar("canary")));
    }

    @Test
    void ambientNeverCarriesARevision() {
        Map<String, String> expected = Map.of(MODE, "ambient", INJECT, "false");
        assertEquals(expected, MeshPods.labels(ambient(null)));
        assertEquals(expected, MeshPods.labels(ambient("canary")));
    }

    @Test
    void outOfTheMesh() {
        Map<String, String> expected = Map.of(INJECT, "false", MODE, "none");
        assertEquals(expected, MeshPods.labels(off(Mesh.Dataplane.SIDECAR)));
        assertEquals(expected, MeshPods.labels(off(Mesh.Dataplane.AMBIENT)));
        assertEquals(expected, MeshPods.labels(Mesh.OFF));
    }

    @Test
    void selectorLabelsStayInEveryMode() {
        for (Mesh mesh : List.of(sidecar(null), sidecar("canary"), ambient(null), Mesh.OFF)) {
            Map<String, String> labels = podMeta(mesh, null, null).getLabels();
            assertEquals(SELECTOR, labels.entrySet().stream().filter(e -> SELECTOR.containsKey(e.getKey()))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), mesh.toString());
            assertEquals(MeshPods.labels(mesh), meshLabels(labels), mesh.toString());
        }
    }

    @ParameterizedTest(name = "user {0}={1}, mesh {2} -> {0}={3}")
    @CsvSource({
            // Out of the mesh the user's pod labels win (older manifests inject sidecars this way) ...
            "sidecar.istio.io/inject, true,    off,     true",
            "istio.io/dataplane-mode, ambient, off,     ambient",
            "istio.io/rev,            old,     off,     old",
            // ... in the mesh the operator's win.
            "sidecar.istio.io/inject, false,   sidecar, true",
            "sidecar.istio.io/inject, true,    ambient, false",
            "istio.io/dataplane-mode, none,    ambient, ambient",
    })
    void userPodLabelsWinOnlyOutOfTheMesh(String key, String userValue, String mode, String expected) {
        Mesh mesh = switch (mode) {
            case "off" -> Mesh.OFF;
            case "ambient" -> ambient(null);
            default -> sidecar(null);
        };
        Map<String, String> labels = podMeta(mesh, Map.of(key, userValue, "team", "a"), null).getLabels();
        assertEquals(expected, labels.get(key));
        assertEquals("a", labels.get("team"), "other user labels are kept");
    }

    @Test
    void outOfTheMeshUserInjectionKeepsTheOtherOperatorLabel() {
        Map<String, String> labels = podMeta(Mesh.OFF, Map.of(INJECT, "true", REV, "1-22"), null).getLabels();
        assertEquals(Map.of(INJECT, "true", REV, "1-22", MODE, "none"), meshLabels(labels));
    }

    @Test
    void userRevisionRemovedInTheMeshWithoutRevision() {
        Map<String, String> user = Map.of(REV, "old");
        assertEquals(Map.of(INJECT, "true", MODE, "none"), meshLabels(podMeta(sidecar(null), user, null).getLabels()));
        assertEquals(Map.of(INJECT, "false", MODE, "ambient"),
                meshLabels(podMeta(ambient(null), user, null).getLabels()));
        assertEquals(Map.of(INJECT, "false", MODE, "ambient"),
                meshLabels(podMeta(ambient("canary"), user, null).getLabels()), "ambient pods have no revision");
        assertEquals(Map.of(INJECT, "true", MODE, "none", REV, "canary"),
                meshLabels(podMeta(sidecar("canary"), user, null).getLabels()), "the mesh's revision wins");
    }

    @Test
    void applyRemovesARevisionAlreadyInThePodLabels() {
        ObjectMeta meta = new ObjectMetaBuilder().withLabels(Map.of(REV, "old", "x", "1")).build();
        MeshPods.apply(meta, sidecar(null), null);
        assertEquals(Map.of(INJECT, "true", MODE, "none", "x", "1"), meta.getLabels());
    }

    @Test
    void holdApplicationUntilProxyStartsOnlyForSidecars() {
        assertEquals(Map.of(PROXY_CONFIG, "{\"holdApplicationUntilProxyStarts\":true}"),
                MeshPods.annotations(sidecar(null)));
        assertEquals(Map.of(), MeshPods.annotations(ambient(null)));
        assertEquals(Map.of(), MeshPods.annotations(Mesh.OFF));

        assertEquals("{\"holdApplicationUntilProxyStarts\":true}",
                podMeta(sidecar("canary"), null, null).getAnnotations().get(PROXY_CONFIG));
        assertFalse(podMeta(ambient(null), null, null).getAnnotations().containsKey(PROXY_CONFIG));
        assertFalse(podMeta(Mesh.OFF, null, null).getAnnotations().containsKey(PROXY_CONFIG));
    }

    @Test
    void userProxyConfigAnnotationWins() {
        String user = "{\"holdApplicationUntilProxyStarts\":false,\"concurrency\":2}";
        Map<String, String> annotations = podMeta(sidecar(null), null, Map.of(PROXY_CONFIG, user, "a", "b"))
                .getAnnotations();
        assertEquals(user, annotations.get(PROXY_CONFIG));
        assertEquals("b", annotations.get("a"));
        assertEquals("hash1", annotations.get(Labels.CONFIG_HASH_ANNOTATION));
    }

    @Test
    void applyWithoutLabelsOrAnnotations() {
        ObjectMeta meta = new ObjectMeta();
        MeshPods.apply(meta, ambient(null), Map.of());
        assertEquals(Map.of(MODE, "ambient", INJECT, "false"), meta.getLabels());
        assertEquals(Map.of(), meta.getAnnotations());
        assertNull(meta.getName());
    }
}
