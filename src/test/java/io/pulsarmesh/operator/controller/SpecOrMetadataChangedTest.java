package io.pulsarmesh.operator.controller;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterStatus;

class SpecOrMetadataChangedTest {
    final SpecOrMetadataChanged filter = new SpecOrMetadataChanged();

    static ZooKeeperCluster zk(long generation) {
        ZooKeeperCluster zk = new ZooKeeperCluster();
        zk.getMetadata().setName("pc");
        zk.getMetadata().setGeneration(generation);
        zk.getMetadata().setLabels(Map.of("k8s.streamnative.io/coordinator-name", "pc"));
        return zk;
    }

    @Test
    void aStatusChangeAloneDoesNotReconcile() {
        ZooKeeperCluster before = zk(3);
        ZooKeeperCluster after = zk(3);
        after.setStatus(new ZooKeeperClusterStatus());
        after.getStatus().setConditions(java.util.List.of(new Condition()));
        after.getMetadata().setResourceVersion("42");
        assertFalse(filter.accept(after, before));
    }

    @Test
    void specLabelsAnnotationsAndDeletionDo() {
        assertTrue(filter.accept(zk(4), zk(3)), "a new generation");
        ZooKeeperCluster relabelled = zk(3);
        relabelled.getMetadata().setLabels(Map.of("k8s.streamnative.io/coordinator-name", "other"));
        assertTrue(filter.accept(relabelled, zk(3)), "the coordinator label");
        ZooKeeperCluster annotated = zk(3);
        annotated.getMetadata().setAnnotations(Map.of("cloud.streamnative.io/ignore-leader-check", "true"));
        assertTrue(filter.accept(annotated, zk(3)), "an annotation");
        ZooKeeperCluster deleting = zk(3);
        deleting.getMetadata().setDeletionTimestamp("2026-11-25T00:00:00Z");
        assertTrue(filter.accept(deleting, zk(3)), "deletion starts");
    }
}
