package io.pulsarmesh.operator.controller;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Comparisons of an object with its desired state that found it as desired, remembered while neither side changes.
 *
 * <p>A component is reconciled several times while its pods come up (each change of its workload's status is an
 * event), and each time every one of its objects is compared with what it renders. The comparison turns both sides
 * into JSON trees, much more work than rendering; it was about a twelfth of the operator's CPU while it converged 50
 * clusters. The answer cannot change while the object in the cache keeps its {@code resourceVersion} and the rendered
 * object stays equal: then it is taken from here.
 *
 * <p>A StatefulSet's or Deployment's answer also holds while only its status changes (see {@link #sameButStatus}): the
 * status of a workload changes at every pod that comes up, and each change reconciles the component.
 *
 * <p>The rendered object is remembered by its hash (the model's structural {@code hashCode}), not kept: a different
 * desired state with the same hash would be taken as already applied. So that such a collision (one in about four
 * billion changes) cannot last, an answer is used for {@link #TTL} at most, then the objects are compared again.
 * Nothing is remembered of an object that differed.
 *
 * <p>An object the operator has just written is remembered as the API server answered the write: that answer holds
 * what was written, so comparing it once more would find it as desired. (Were it not, because the server rewrote a
 * value the operator sets, the next comparison after {@link #TTL} would find the difference and write again, once
 * per TTL instead of at every reconciliation.) A component's objects, created in its first reconciliation, are then
 * not compared again in the next ones, which its pods and workload status trigger while it comes up.
 */
final class MatchMemo {
    /** How long an answer is used before the objects are compared again. */
    static final Duration TTL = Duration.ofMinutes(5);
    /** Answers of objects that are gone are not removed one by one: past this many, all are forgotten. */
    static final int MAX_ENTRIES = 100_000;

    private record Answer(String resourceVersion, Long generation, int metadataHash, int desiredHash,
            long rememberedAt) {
    }

    private final Map<String, Answer> byUid = new ConcurrentHashMap<>();
    private final Clock clock;

    MatchMemo(Clock clock) {
        this.clock = clock;
    }

    /**
     * Whether {@code actual} was found matching a desired object whose hash is {@code desiredHash} (its
     * {@code hashCode()}, taken once by the caller for both calls), recently enough.
     */
    boolean knownToMatch(HasMetadata actual, int desiredHash) {
        String uid = actual.getMetadata().getUid();
        Answer a = uid == null ? null : byUid.get(uid);
        if (a == null || a.desiredHash() != desiredHash || clock.millis() - a.rememberedAt() >= TTL.toMillis()) {
            return false;
        }
        return a.resourceVersion().equals(actual.getMetadata().getResourceVersion())
                || sameButStatus(a, actual);
    }

    /**
     * Whether a workload (StatefulSet, Deployment) changed only in its status since the answer: the same generation,
     * which the API server increments at every change of its spec, and the same metadata the operator sets. Its
     * status changes at every pod that starts or becomes ready, each time with a new resourceVersion; what the
     * operator compares has not changed.
     */
    private static boolean sameButStatus(Answer a, HasMetadata actual) {
        return statusChangesOften(actual) && a.generation() != null
                && a.generation().equals(actual.getMetadata().getGeneration())
                && a.metadataHash() == metadataHash(actual);
    }

    static boolean statusChangesOften(HasMetadata o) {
        return o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet
                || o instanceof io.fabric8.kubernetes.api.model.apps.Deployment;
    }

    /** The metadata a desired object may set (labels, annotations, owners), and what deletion and finalizers add. */
    static int metadataHash(HasMetadata o) {
        var m = o.getMetadata();
        return java.util.Objects.hash(m.getLabels(), m.getAnnotations(), m.getOwnerReferences(), m.getFinalizers(),
                m.getDeletionTimestamp());
    }

    /** {@code actual} was compared with the desired object of hash {@code desiredHash} and found matching. */
    void rememberMatch(HasMetadata actual, int desiredHash) {
        String uid = actual.getMetadata().getUid();
        String rv = actual.getMetadata().getResourceVersion();
        if (uid == null || rv == null) {
            return;
        }
        if (byUid.size() >= MAX_ENTRIES) {
            byUid.clear();
        }
        byUid.put(uid, new Answer(rv, actual.getMetadata().getGeneration(),
                statusChangesOften(actual) ? metadataHash(actual) : 0, desiredHash, clock.millis()));
    }

    /**
     * {@code written} is the API server's answer to writing the desired object of hash {@code desiredHash} (a create,
     * an apply or a patch): it matches that object as long as it stays at this resourceVersion.
     */
    void rememberWritten(HasMetadata written, int desiredHash) {
        if (written != null && written.getMetadata() != null) {
            rememberMatch(written, desiredHash);
        }
    }

    int size() {
        return byUid.size();
    }
}
