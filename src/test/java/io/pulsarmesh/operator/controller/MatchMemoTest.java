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
