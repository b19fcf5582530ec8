package io.pulsarmesh.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pulsarmesh.operator.api.common.v1alpha1.Condition;
import io.pulsarmesh.operator.model.common.Subset;

class ConditionsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void transitionTimeChangesOnlyWhenStatusFlips() {
        List<Condition> c0 = Conditions.with(List.of(), Conditions.of("Ready", false, "ReplicasNotReady", "0/3", 1L), T0);
        assertEquals("2026-01-01T00:00:00Z", c0.get(0).getLastTransitionTime());
        List<Condition> c1 = Conditions.with(c0, Conditions.of("Ready", false, "ReplicasNotReady", "2/3", 2L), T1);
        assertEquals("2026-01-01T00:00:00Z", c1.get(0).getLastTransitionTime(), "same status keeps the time");
        assertEquals("2/3", c1.get(0).getMessage());
        assertEquals(2L, c1.get(0).getObservedGeneration());
        List<Condition> c2 = Conditions.with(c1, Conditions.of("Ready", true, "AllReplicasReady", "3/3", 2L), T1);
        assertEquals("2026-01-01T00:05:00Z", c2.get(0).getLastTransitionTime());
        assertTrue(Conditions.isTrue(c2, "Ready"));
    }

    @Test
    void otherConditionsAreKeptAndCanBeRemoved() {
        List<Condition> c = Conditions.with(List.of(), Conditions.of("Ready", true, "R", "m", 1L), T0);
        c = Conditions.with(c, Conditions.of("UnsupportedFeatures", true, "FieldsNotActedOn", "x", 1L), T0);
        assertEquals(2, c.size());
        c = Conditions.without(c, "UnsupportedFeatures");
        assertEquals(List.of("Ready"), c.stream().map(Condition::getType).toList());
        assertFalse(Conditions.isTrue(c, "UnsupportedFeatures"));
    }

    @Test
    void subsetIgnoresWhatTheServerAddsButSeesEveryChangedField() {
        Map<String, Object> desired = Map.of("spec", Map.of("replicas", 3, "template", Map.of("image", "a")));
        Map<String, Object> actual = Map.of("spec", Map.of("replicas", 3, "template", Map.of("image", "a", "dnsPolicy",
                "ClusterFirst")), "status", Map.of("readyReplicas", 3));
        assertTrue(Subset.contains(actual, desired));
        assertFalse(Subset.contains(Map.of("spec", Map.of("replicas", 2, "template", Map.of("image", "a"))), desired));
        assertFalse(Subset.contains(Map.of("spec", Map.of("replicas", 3, "template", Map.of("image", "b"))), desired));
        assertFalse(Subset.contains(Map.of("spec", Map.of("replicas", 3)), desired));
        assertTrue(Subset.contains(Map.of("a", List.of(1, 2)), Map.of("a", List.of(1, 2))));
        assertFalse(Subset.contains(Map.of("a", List.of(1, 2, 3)), Map.of("a", List.of(1, 2))), "lists compare whole");
        assertTrue(Subset.contains(Map.of(), Map.of("a", List.of())), "an empty desired list matches an absent one");
    }
}
