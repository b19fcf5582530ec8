package io.pulsarmesh.operator.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pulsarmesh.operator.controller.ObjectApplier;

/** The installed ClusterRole grants what the controllers use, and nothing on volumes or secrets. */
class RbacTest {
    static final Set<String> MANAGE = Set.of("get", "list", "watch", "create", "update", "patch", "delete");

    static ClusterRole role() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("kubernetes/install/rbac.yaml"))) {
            Object parsed = new KubernetesSerialization().unmarshal(in);
            @SuppressWarnings("unchecked")
            List<HasMetadata> items = parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
            return items.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst()
                    .orElseThrow();
        }
    }

    static boolean grants(ClusterRole role, String group, String resource, String verb) {
        for (PolicyRule r : role.getRules()) {
            if (r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyManagedKindCanBeManaged() throws IOException {
        ClusterRole role = role();
        List<Class<? extends HasMetadata>> kinds = new java.util.ArrayList<>(ObjectApplier.MANAGED_KINDS);
        kinds.addAll(ObjectApplier.ISTIO_KINDS);
        for (Class<? extends HasMetadata> kind : kinds) {
            String group = HasMetadata.getGroup(kind);
            String plural = HasMetadata.getPlural(kind);
            for (String verb : MANAGE) {
                assertTrue(grants(role, group, plural, verb), verb + " " + plural + "." + group);
            }
        }
        assertTrue(grants(role, "", "events", "create"));
    }

    @Test
    void customResourcesAreReadAndOnlyTheirStatusWritten() throws IOException {
        ClusterRole role = role();
        for (String[] cr : new String[][] { { "k8s.streamnative.io", "pulsarcoordinators" },
                { "zookeeper.streamnative.io", "zookeeperclusters" }, { "bookkeeper.streamnative.io", "bookkeeperclusters" },
                { "pulsar.streamnative.io", "pulsarbrokers" }, { "pulsar.streamnative.io", "pulsarproxies" } }) {
            for (String verb : List.of("get", "list", "watch")) {
                assertTrue(grants(role, cr[0], cr[1], verb), verb + " " + cr[1]);
            }
            assertTrue(grants(role, cr[0], cr[1] + "/status", "patch"), "patch " + cr[1] + "/status");
            for (String verb : List.of("create", "update", "delete")) {
                assertFalse(grants(role, cr[0], cr[1], verb), "the operator never writes the spec: " + verb + " " + cr[1]);
            }
            // Only the coordinator patches its components' data plane (one field, by server-side apply).
            assertEquals(!cr[1].equals("pulsarcoordinators"), grants(role, cr[0], cr[1], "patch"), "patch " + cr[1]);
        }
    }

    @Test
    void noPermissionOnVolumesSecretsOrWildcards() throws IOException {
        for (PolicyRule r : role().getRules()) {
            assertFalse(r.getResources().contains("persistentvolumeclaims"), "volumes are never deleted by the operator");
            assertFalse(r.getResources().contains("secrets"));
            if (r.getResources().contains("daemonsets")) {
                assertTrue(List.of("get", "list", "watch").containsAll(r.getVerbs()), "DaemonSets are only read");
            }
            if (r.getResources().contains("pods")) {
                // Read, and restarted one at a time by the roller: annotated with the reason, then deleted.
                assertTrue(List.of("get", "list", "watch", "patch", "delete").containsAll(r.getVerbs()), r.toString());
                assertFalse(r.getVerbs().contains("create") || r.getVerbs().contains("update"),
                        "pods are created by their StatefulSet or Deployment only");
            }
            assertFalse(r.getResources().contains("*") || r.getVerbs().contains("*") || r.getApiGroups().contains("*"));
        }
        assertEquals(19, role().getRules().size());
    }
}
