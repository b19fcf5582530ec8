package io.pulsarmesh.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.PulsarCoordinator;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;

class AppliedMemoTest {

    static ZooKeeperCluster zk(String uid, Long generation, Map<String, String> labels) {
        ZooKeeperCluster cr = new ZooKeeperCluster();
        cr.getMetadata().setName("zk");
        cr.getMetadata().setNamespace("ns");
        cr.getMetadata().setUid(uid);
        cr.getMetadata().setGeneration(generation);
        cr.getMetadata().setLabels(labels);
        return cr;
    }

    static PulsarCoordinator coordinator(Long generation) {
        PulsarCoordinator c = new PulsarCoordinator();
        c.getMetadata().setName("c");
        c.getMetadata().setNamespace("ns");
        c.getMetadata().setUid("c1");
        c.getMetadata().setGeneration(generation);
        return c;
    }

    static final List<Class<? extends HasMetadata>> PRUNED = List.of(ConfigMap.class, Service.class);
    static final List<AppliedMemo.Compared> OBJECTS = List.of(new AppliedMemo.Compared(ConfigMap.class, "cm", "ns", 7));

    final AppliedMemo memo = new AppliedMemo();

    AppliedMemo.Inputs inputs(ZooKeeperCluster cr, Long coordinatorGeneration, boolean enrolled, String settings) {
        return AppliedMemo.inputs(cr, coordinatorGeneration == null ? null : coordinator(coordinatorGeneration),
                enrolled, settings);
    }

    @Test
    void theLastApplyIsKnownForEqualInputsOnly() {
        ZooKeeperCluster cr = zk("u1", 1L, Map.of("a", "1"));
        memo.remember(cr, inputs(cr, 1L, true, "s"), PRUNED, OBJECTS);

        assertEquals(OBJECTS, memo.last(zk("u1", 1L, Map.of("a", "1")), inputs(zk("u1", 1L, Map.of("a", "1")), 1L,
                true, "s"), PRUNED), "the same custom resource, read again");
        ZooKeeperCluster newSpec = zk("u1", 2L, Map.of("a", "1"));
        assertNull(memo.last(newSpec, inputs(newSpec, 1L, true, "s"), PRUNED), "its spec changed");
        ZooKeeperCluster newLabel = zk("u1", 1L, Map.of("a", "2"));
        assertNull(memo.last(newLabel, inputs(newLabel, 1L, true, "s"), PRUNED), "a label changed");
        assertNull(memo.last(cr, inputs(cr, 2L, true, "s"), PRUNED), "its coordinator's spec changed");
        assertNull(memo.last(cr, inputs(cr, null, true, "s"), PRUNED), "its coordinator is gone");
        assertNull(memo.last(cr, inputs(cr, 1L, false, "s"), PRUNED), "the pods' enrolment changed");
        assertNull(memo.last(cr, inputs(cr, 1L, true, "t"), PRUNED), "the operator's settings changed");
        assertNull(memo.last(cr, inputs(cr, 1L, true, "s"), List.of(ConfigMap.class)), "other kinds are pruned");
        ZooKeeperCluster other = zk("u2", 1L, Map.of("a", "1"));
        assertNull(memo.last(other, inputs(other, 1L, true, "s"), PRUNED), "another custom resource");
    }

    @Test
    void withoutIdentityOrGenerationNothingIsRemembered() {
        ZooKeeperCluster noGeneration = zk("u1", null, null);
        assertNull(inputs(noGeneration, 1L, true, "s"));
        ZooKeeperCluster noUid = zk(null, 1L, null);
        assertNull(inputs(noUid, 1L, true, "s"));
        ZooKeeperCluster cr = zk("u1", 1L, null);
        assertNull(AppliedMemo.inputs(cr, coordinator(null), true, "s"), "a coordinator without a generation");
        memo.remember(noGeneration, null, PRUNED, OBJECTS);
        assertEquals(0, memo.size());
        assertNull(memo.last(noGeneration, null, PRUNED));
    }

    @Test
    void forgottenAndBounded() {
        ZooKeeperCluster cr = zk("u1", 1L, null);
        AppliedMemo.Inputs in = inputs(cr, 1L, true, "s");
        memo.remember(cr, in, PRUNED, OBJECTS);
        memo.forget(cr);
        assertNull(memo.last(cr, in, PRUNED));
        for (int i = 0; i < AppliedMemo.MAX_ENTRIES + 1; i++) {
            ZooKeeperCluster c = zk("u" + i, 1L, null);
            memo.remember(c, inputs(c, 1L, true, "s"), PRUNED, OBJECTS);
        }
        assertEquals(1, memo.size(), "past the bound, everything before was forgotten");
        assertNotNull(memo.last(zk("u" + AppliedMemo.MAX_ENTRIES, 1L, null),
                inputs(zk("u" + AppliedMemo.MAX_ENTRIES, 1L, null), 1L, true, "s"), PRUNED));
    }
}
