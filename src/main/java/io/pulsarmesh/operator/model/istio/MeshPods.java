package io.pulsarmesh.operator.model.istio;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * How a pod joins the mesh, expressed with pod-level labels only, so that switching data planes or leaving the mesh
 * never needs namespace label changes.
 *
 * <table>
 * <caption>Pod labels per mode</caption>
 * <tr><th>mode</th><th>labels</th></tr>
 * <tr><td>sidecar</td><td>{@code sidecar.istio.io/inject: "true"}, {@code istio.io/dataplane-mode: none},
 * {@code istio.io/rev: <revision>} unless the default revision injects</td></tr>
 * <tr><td>ambient</td><td>{@code istio.io/dataplane-mode: ambient}, {@code sidecar.istio.io/inject: "false"}</td></tr>
 * <tr><td>out of the mesh</td><td>{@code sidecar.istio.io/inject: "false"}, {@code istio.io/dataplane-mode: none}</td></tr>
 * </table>
 *
 * <p>In the mesh, these labels win over {@code spec.pod.labels}. Out of the mesh, labels the user set in
 * {@code spec.pod.labels} win, so older manifests that inject sidecars through pod labels keep working.
 *
 * <p>Sidecar pods also get {@code holdApplicationUntilProxyStarts}, so Pulsar's start script (which initializes
 * cluster metadata over the network) runs only once the proxy can carry its traffic, unless the user's
 * {@code proxy.istio.io/config} annotation says otherwise.
 */
public final class MeshPods {
    public static final String INJECT = "sidecar.istio.io/inject";
    public static final String REVISION = "istio.io/rev";
    public static final String DATAPLANE_MODE = "istio.io/dataplane-mode";
    public static final String PROXY_CONFIG = "proxy.istio.io/config";
    public static final String HOLD_UNTIL_PROXY_STARTS = "{\"holdApplicationUntilProxyStarts\":true}";

    private MeshPods() {
    }

    /** Labels of a StatefulSet's or Deployment's pod template; empty for anything else or before it exists. */
    public static Map<String, String> templateLabels(io.fabric8.kubernetes.api.model.HasMetadata workload) {
        io.fabric8.kubernetes.api.model.PodTemplateSpec t = null;
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet sts && sts.getSpec() != null) {
            t = sts.getSpec().getTemplate();
        } else if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d && d.getSpec() != null) {
            t = d.getSpec().getTemplate();
        }
        return t != null && t.getMetadata() != null && t.getMetadata().getLabels() != null
                ? t.getMetadata().getLabels()
                : Map.of();
    }

    /** Whether a workload's pod template is already on ambient. */
    public static boolean ambientTemplate(io.fabric8.kubernetes.api.model.HasMetadata workload) {
        return "ambient".equals(templateLabels(workload).get(DATAPLANE_MODE));
    }

    /** The mesh labels a pod of this mesh carries. */
    public static Map<String, String> labels(Mesh mesh) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!mesh.enabled()) {
            m.put(INJECT, "false");
            m.put(DATAPLANE_MODE, "none");
        } else if (mesh.dataplane() == Mesh.Dataplane.AMBIENT) {
            m.put(DATAPLANE_MODE, "ambient");
            m.put(INJECT, "false");
        } else {
            m.put(INJECT, "true");
            // Explicitly not ambient, so a namespace ambient label never applies and a rollback leaves no doubt.
            m.put(DATAPLANE_MODE, "none");
            if (mesh.revision() != null) {
                m.put(REVISION, mesh.revision());
            }
        }
        return m;
    }

    /** Mesh annotations a pod of this mesh carries. */
    public static Map<String, String> annotations(Mesh mesh) {
        if (mesh.enabled() && mesh.dataplane() == Mesh.Dataplane.SIDECAR) {
            return Map.of(PROXY_CONFIG, HOLD_UNTIL_PROXY_STARTS);
        }
        return Map.of();
    }

    /**
     * Adds the mesh labels and annotations to a pod template's metadata. {@code userLabels} are the labels the user
     * asked for in {@code spec.pod.labels}.
     */
    public static ObjectMeta apply(ObjectMeta podMeta, Mesh mesh, Map<String, String> userLabels) {
        Map<String, String> labels = new LinkedHashMap<>(podMeta.getLabels() != null ? podMeta.getLabels() : Map.of());
        for (Map.Entry<String, String> e : labels(mesh).entrySet()) {
            boolean userSet = userLabels != null && userLabels.containsKey(e.getKey());
            if (mesh.enabled() || !userSet) {
                labels.put(e.getKey(), e.getValue());
            }
        }
        if (mesh.enabled()) {
            // A revision label left from the user's pod labels would pick another control plane.
            if (mesh.revision() == null || mesh.dataplane() == Mesh.Dataplane.AMBIENT) {
                labels.remove(REVISION);
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>(
                podMeta.getAnnotations() != null ? podMeta.getAnnotations() : Map.of());
        annotations(mesh).forEach(annotations::putIfAbsent);
        podMeta.setLabels(labels);
        podMeta.setAnnotations(annotations);
        return podMeta;
    }
}
