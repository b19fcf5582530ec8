package io.pulsarmesh.operator.controller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What the last apply of each custom resource left as desired, so that a reconciliation whose render would be the same
 * can skip rendering and comparing when none of its objects has changed since.
 *
 * <p>A component is reconciled at every change of its workload's status and at every new pod; while a cluster runs,
 * nearly every reconciliation renders the same objects and finds them as they were. Rendering is about as much work
 * as creating the objects (the builders copy every nested object), and it was a ninth of the operator's CPU while it
 * converged 50 clusters, done three times per component.
 *
 * <p>Kept per custom resource (by UID): the inputs of the render ({@link #inputs}: everything the pure model reads),
 * the pruned kinds, and each desired object's kind, name and structural hash as compared or written. The render is
 * skipped only when the inputs are equal and {@link MatchMemo} still knows every one of these objects, as it is now,
 * to match that hash (at the same {@code resourceVersion}; a workload also at the same generation and metadata, its
 * status changed), and no owned object of the pruned kinds is left over. Anything else
 * (an object changed or gone, an answer of the memo that has expired, a spec, label, annotation, coordinator or
 * enrolment that changed) renders and compares as before. Only names and hashes are kept, not the rendered objects.
 */
final class AppliedMemo {
    /** Past this many custom resources, all are forgotten (entries of deleted ones are not removed one by one). */
    static final int MAX_ENTRIES = 20_000;

    /**
     * Everything a component's model reads besides the custom resource's identity (the memo's key): its API version,
     * generation (its spec), labels and annotations, its coordinator's identity and generation (whose spec gives the mesh's defaults), the
     * enrolment the mesh was resolved with, and the operator's model settings. {@code null} parts are compared as
     * such.
     */
    record Inputs(String apiVersion, Long generation, Map<String, String> labels,
            Map<String, String> annotations, String coordinatorUid, Long coordinatorGeneration, boolean enrolled,
            Object settings) {
    }

    /** A desired object as compared or written: its kind and name, and the hash of what was compared or written. */
    record Compared(Class<? extends HasMetadata> kind, String name, String namespace, int hash) {
    }

    private record Entry(Inputs inputs, List<Class<? extends HasMetadata>> pruned, List<Compared> objects) {
    }

    private final Map<String, Entry> byUid = new ConcurrentHashMap<>();

    /**
     * The inputs of a render of {@code cr}; {@code null} (never remembered) when the custom resource has no UID or no
     * generation, or its coordinator none: the spec's changes could then not be told.
     */
    static Inputs inputs(HasMetadata cr, HasMetadata coordinator, boolean enrolled, Object settings) {
        var m = cr.getMetadata();
        if (m.getUid() == null || m.getGeneration() == null) {
            return null;
        }
        if (coordinator != null && (coordinator.getMetadata().getUid() == null
                || coordinator.getMetadata().getGeneration() == null)) {
            return null;
        }
        return new Inputs(cr.getApiVersion(), m.getGeneration(), copy(m.getLabels()),
                copy(m.getAnnotations()), coordinator != null ? coordinator.getMetadata().getUid() : null,
                coordinator != null ? coordinator.getMetadata().getGeneration() : null, enrolled, settings);
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null ? null : new LinkedHashMap<>(map);
    }

    /** The objects of the last apply of {@code cr}, if it was with these inputs and pruned kinds; else {@code null}. */
    List<Compared> last(HasMetadata cr, Inputs inputs, List<Class<? extends HasMetadata>> pruned) {
        if (inputs == null) {
            return null;
        }
        Entry e = byUid.get(cr.getMetadata().getUid());
        return e != null && e.inputs().equals(inputs) && e.pruned().equals(pruned) ? e.objects() : null;
    }

    /** The apply of {@code cr} with these inputs left {@code objects} as desired. */
    void remember(HasMetadata cr, Inputs inputs, List<Class<? extends HasMetadata>> pruned, List<Compared> objects) {
        if (inputs == null) {
            return;
        }
        if (byUid.size() >= MAX_ENTRIES) {
            byUid.clear();
        }
        byUid.put(cr.getMetadata().getUid(), new Entry(inputs, List.copyOf(pruned), List.copyOf(objects)));
    }

    void forget(HasMetadata cr) {
        String uid = cr.getMetadata().getUid();
        if (uid != null) {
            byUid.remove(uid);
        }
    }

    int size() {
        return byUid.size();
    }
}
