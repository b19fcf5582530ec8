package io.pulsarmesh.operator.model.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pulsarmesh.operator.render.Render;
import io.pulsarmesh.operator.render.Renderer;

/**
 * Every pod the operator creates for the examples meets the Kubernetes {@code restricted} pod security standard
 * (the rules of the baseline and restricted profiles that a pod spec can break), so a namespace labelled
 * {@code pod-security.kubernetes.io/enforce: restricted} admits them.
 */
class PodSecurityStandardTest {
    /** Volume types the restricted profile allows. */
    static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");

    static List<PodSpec> podSpecs() throws IOException {
        List<PodSpec> specs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("kubernetes/examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Render.Loaded l : Render.load(f, "pulsar")) {
                    for (HasMetadata o : Renderer.desired(l.resource(), ModelSettings.defaults())) {
                        if (o instanceof StatefulSet s) {
                            specs.add(s.getSpec().getTemplate().getSpec());
                        } else if (o instanceof Deployment d) {
                            specs.add(d.getSpec().getTemplate().getSpec());
                        }
                    }
                }
            }
        }
        return specs;
    }

    @Test
    void everyOperandPodIsRestricted() throws IOException {
        List<PodSpec> specs = podSpecs();
        assertTrue(specs.size() >= 16, "pods of every example: " + specs.size());
        for (PodSpec spec : specs) {
            PodSecurityContext pod = spec.getSecurityContext();
            String where = spec.getContainers().get(0).getName();
            assertFalse(Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
                    || Boolean.TRUE.equals(spec.getHostIPC()), where + ": no host namespaces");
            for (Volume v : spec.getVolumes() != null ? spec.getVolumes() : List.<Volume>of()) {
                assertTrue(ALLOWED_VOLUMES.contains(type(v)), where + ": volume " + v.getName() + " of type " + type(v));
            }
            boolean podNonRoot = pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
            boolean podSeccomp = pod != null && pod.getSeccompProfile() != null
                    && Set.of("RuntimeDefault", "Localhost").contains(pod.getSeccompProfile().getType());
            if (pod != null) {
                assertNotEquals(Long.valueOf(0), pod.getRunAsUser(), where + ": not root");
            }
            List<Container> all = new ArrayList<>(spec.getContainers());
            if (spec.getInitContainers() != null) {
                all.addAll(spec.getInitContainers());
            }
            for (Container c : all) {
                String name = where + "/" + c.getName();
                SecurityContext sc = c.getSecurityContext();
                assertTrue(sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()),
                        name + ": allowPrivilegeEscalation false");
                assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), name + ": not privileged");
                assertTrue(sc.getCapabilities() != null && sc.getCapabilities().getDrop() != null
                        && sc.getCapabilities().getDrop().contains("ALL"), name + ": drops ALL capabilities");
                List<String> added = sc.getCapabilities().getAdd() != null ? sc.getCapabilities().getAdd() : List.of();
                assertTrue(Set.of("NET_BIND_SERVICE").containsAll(added), name + ": adds " + added);
                assertTrue(podNonRoot || Boolean.TRUE.equals(sc.getRunAsNonRoot()), name + ": runAsNonRoot");
                assertNotEquals(Long.valueOf(0), sc.getRunAsUser(), name + ": not root");
                assertTrue(podSeccomp || (sc.getSeccompProfile() != null
                        && Set.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType())),
                        name + ": seccomp RuntimeDefault or Localhost");
                for (ContainerPort p : c.getPorts() != null ? c.getPorts() : List.<ContainerPort>of()) {
                    assertEquals(null, p.getHostPort(), name + ": no host port");
                }
            }
        }
    }

    static String type(Volume v) {
        if (v.getConfigMap() != null) {
            return "configMap";
        } else if (v.getSecret() != null) {
            return "secret";
        } else if (v.getEmptyDir() != null) {
            return "emptyDir";
        } else if (v.getPersistentVolumeClaim() != null) {
            return "persistentVolumeClaim";
        } else if (v.getProjected() != null) {
            return "projected";
        } else if (v.getDownwardAPI() != null) {
            return "downwardAPI";
        } else if (v.getCsi() != null) {
            return "csi";
        } else if (v.getEphemeral() != null) {
            return "ephemeral";
        }
        return v.getHostPath() != null ? "hostPath" : "other";
    }
}
