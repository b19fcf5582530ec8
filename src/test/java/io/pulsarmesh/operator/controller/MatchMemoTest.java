package io.pulsarmesh.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

class MatchMemoTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-06T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static ConfigMap actual(String uid, String resourceVersion, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace("ns").withUid(uid)
                .withResourceVersion(resourceVersion).endMetadata().withData(Map.of("k", value)).build();
    }

    /** The hash of a rendered object (no UID, no resourceVersion) holding {@code value}: a new object each time. */
    static int desiredHash(String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace("ns").endMetadata()
                .withData(Map.of("k", value)).build().hashCode();
    }

    final MovableClock clock = new MovableClock();
    final MatchMemo memo = new MatchMemo(clock);

    @Test
    void nothingIsKnownBeforeAComparison() {
        assertFalse(memo.knownToMatch(actual("u1", "1", "a"), desiredHash("a")));
    }

    @Test
    void aMatchIsKnownWhileNeitherSideChanges() {
        memo.rememberMatch(actual("u1", "1", "a"), desiredHash("a"));

        assertTrue(memo.knownToMatch(actual("u1", "1", "a"), desiredHash("a")),
                "a new render, equal, of the same object");
        assertFalse(memo.knownToMatch(actual("u1", "2", "b"), desiredHash("a")), "the object changed (drift)");
        assertFalse(memo.knownToMatch(actual("u1", "1", "a"), desiredHash("c")), "the desired state changed");
        assertFalse(memo.knownToMatch(actual("u2", "1", "a"), desiredHash("a")),
                "another object (a new one, same name)");
    }

    @Test
    void aWrittenObjectIsKnownAsTheServerAnsweredTheWrite() {
        memo.rememberWritten(actual("u1", "7", "a"), desiredHash("a"));

        assertTrue(memo.knownToMatch(actual("u1", "7", "a"), desiredHash("a")), "the same object, as written");
        assertFalse(memo.knownToMatch(actual("u1", "8", "a"), desiredHash("a")),
                "changed since the write (by someone else)");
        assertFalse(memo.knownToMatch(actual("u1", "7", "a"), desiredHash("b")), "the desired state changed");
        memo.rememberWritten(null, desiredHash("a")); // a write that answered nothing: nothing to remember
        assertEquals(1, memo.size());
    }

    static io.fabric8.kubernetes.api.model.apps.StatefulSet sts(String resourceVersion, long generation,
            Map<String, String> labels) {
        return new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withNewMetadata().withName("sts")
                .withNamespace("ns").withUid("s1").withResourceVersion(resourceVersion).withGeneration(generation)
                .withLabels(labels).endMetadata().withNewStatus().withReadyReplicas(Integer.valueOf(resourceVersion))
                .endStatus().build();
    }

    @Test
    void aWorkloadsAnswerHoldsWhileOnlyItsStatusChanges() {
        memo.rememberMatch(sts("1", 1, Map.of("a", "1")), 42);

        assertTrue(memo.knownToMatch(sts("2", 1, Map.of("a", "1")), 42), "its status changed (pods came up)");
        assertFalse(memo.knownToMatch(sts("3", 2, Map.of("a", "1")), 42), "its spec changed");
        assertFalse(memo.knownToMatch(sts("4", 1, Map.of("a", "2")), 42), "its labels changed");
        assertFalse(memo.knownToMatch(sts("2", 1, Map.of("a", "1")), 43), "the desired state changed");
        // Other kinds hold at their resourceVersion only.
        memo.rememberMatch(actual("u1", "1", "a"), desiredHash("a"));
        assertFalse(memo.knownToMatch(actual("u1", "2", "a"), desiredHash("a")));
    }

    @Test
    void anAnswerExpiresSoThatTheObjectsAreComparedAgain() {
        memo.rememberMatch(actual("u1", "1", "a"), desiredHash("a"));
        clock.now = clock.now.plus(MatchMemo.TTL).minusSeconds(1);
        assertTrue(memo.knownToMatch(actual("u1", "1", "a"), desiredHash("a")));
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertFalse(memo.knownToMatch(actual("u1", "1", "a"), desiredHash("a")));
    }

    @Test
    void objectsWithoutIdentityAreNotRemembered() {
        memo.rememberMatch(actual(null, "1", "a"), desiredHash("a"));
        memo.rememberMatch(actual("u1", null, "a"), desiredHash("a"));
        assertEquals(0, memo.size());
        assertFalse(memo.knownToMatch(actual(null, "1", "a"), desiredHash("a")));
    }
}
