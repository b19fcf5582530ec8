package io.pulsarmesh.operator.controller;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jboss.logging.Logger;

import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.istio.api.security.v1.PeerAuthentication;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pulsarmesh.operator.model.common.Subset;

/**
 * Brings the objects of one custom resource to their desired state: creates what is missing, updates what differs,
 * deletes owned objects of the managed kinds that are no longer desired, and writes nothing when all matches.
 *
 * <p>Reads come from the informer caches; writes go through JOSDK's resource operations so the caches see them at
 * once. With server-side apply (production) the comparison is JOSDK's managed-fields matcher; without it (API servers
 * that lack apply, such as the test mock) a structural subset comparison and a JSON patch. An object found as desired, or
 * as the API server answered its write, is remembered as matching while neither side changes ({@link MatchMemo}).
 *
 * <p>Safety: an object of the same name that this custom resource does not control is never touched (reported as a
 * conflict); PersistentVolumeClaims are not a managed kind and are never deleted here; immutable StatefulSet fields
 * keep their current values.
 */
public final class ObjectApplier {
    private static final Logger LOG = Logger.getLogger(ObjectApplier.class);

    /** Kinds the operator creates, watches and prunes. */
    public static final List<Class<? extends HasMetadata>> MANAGED_KINDS = List.of(ConfigMap.class, Service.class,
            StatefulSet.class, Deployment.class, PodDisruptionBudget.class);
    /** Istio kinds the operator creates, watches and prunes where the API server serves them. */
    public static final List<Class<? extends HasMetadata>> ISTIO_KINDS = List.of(PeerAuthentication.class,
            AuthorizationPolicy.class, DestinationRule.class, Gateway.class, VirtualService.class, ServiceEntry.class);

    /** What an apply did. Keys are {@code Kind/name}. */
    public record Result(List<String> created, List<String> updated, List<String> deleted, List<String> conflicts,
            Map<String, HasMetadata> current) {
        public boolean changed() {
            return !created.isEmpty() || !updated.isEmpty() || !deleted.isEmpty();
        }

        /** Objects were created, and nothing was updated or deleted. */
        public boolean onlyCreated() {
            return !created.isEmpty() && updated.isEmpty() && deleted.isEmpty();
        }

        public <T extends HasMetadata> T get(Class<T> kind, String name) {
            return kind.cast(current.get(kind.getSimpleName() + "/" + name));
        }

        public String summary() {
            List<String> parts = new ArrayList<>();
            if (!created.isEmpty()) {
                parts.add("created " + String.join(", ", created));
            }
            if (!updated.isEmpty()) {
                parts.add("updated " + String.join(", ", updated));
            }
            if (!deleted.isEmpty()) {
                parts.add("deleted " + String.join(", ", deleted));
            }
            return String.join("; ", parts);
        }
    }

    /** Answers of earlier comparisons, for objects and desired states that have not changed since. */
    static final MatchMemo MEMO = new MatchMemo(java.time.Clock.systemUTC());
    /** What the last apply of each custom resource left as desired, by the inputs of its render. */
    static final AppliedMemo APPLIED = new AppliedMemo();

    private ObjectApplier() {
    }

    /**
     * Applies what {@code render} gives, as {@link #apply(HasMetadata, List, List, Context, boolean)}; but when the last
     * apply of {@code primary} was with equal {@code inputs} (everything the render reads, see
     * {@link AppliedMemo#inputs}) and every object it left as desired is still known to be so ({@link MatchMemo}),
     * with nothing left over to prune, nothing is rendered, compared or written.
     */
    static <P extends HasMetadata> Result apply(P primary, AppliedMemo.Inputs inputs,
            java.util.function.Supplier<List<HasMetadata>> render, List<Class<? extends HasMetadata>> pruned,
            Context<P> ctx, boolean ssa) {
        Result unchanged = unchanged(primary, APPLIED.last(primary, inputs, pruned), pruned, ctx);
        if (unchanged != null) {
            return unchanged;
        }
        List<AppliedMemo.Compared> compared = new ArrayList<>();
        Result result = apply(primary, render.get(), pruned, ctx, ssa, compared);
        if (result.conflicts().isEmpty()) {
            APPLIED.remember(primary, inputs, pruned, compared);
        } else {
            APPLIED.forget(primary);
        }
        return result;
    }

    /** The result of an apply that would change nothing, when {@code last} shows it; else {@code null}. */
    private static <P extends HasMetadata> Result unchanged(P primary, List<AppliedMemo.Compared> last,
            List<Class<? extends HasMetadata>> pruned, Context<P> ctx) {
        if (last == null) {
            return null;
        }
        Map<String, HasMetadata> current = new LinkedHashMap<>();
        for (AppliedMemo.Compared c : last) {
            HasMetadata actual = source(ctx, c.kind()).get(new ResourceID(c.name(), c.namespace())).orElse(null);
            if (actual == null || !MEMO.knownToMatch(actual, c.hash())) {
                return null;
            }
            current.put(key(actual), actual);
        }
        for (Class<? extends HasMetadata> kind : pruned) {
            for (HasMetadata owned : source(ctx, kind).getSecondaryResources(primary)) {
                if (!current.containsKey(key(owned)) && controlledBy(owned, primary)) {
                    return null; // to be deleted
                }
            }
        }
        return new Result(List.of(), List.of(), List.of(), List.of(), current);
    }

    /**
     * Applies {@code desired} and deletes owned objects of the {@code pruned} kinds that are not in it. Every desired
     * object's kind must be watched (have an informer) for this controller.
     */
    public static <P extends HasMetadata> Result apply(P primary, List<HasMetadata> desired,
            List<Class<? extends HasMetadata>> pruned, Context<P> ctx, boolean ssa) {
        return apply(primary, desired, pruned, ctx, ssa, new ArrayList<>());
    }

    /** {@link #apply(HasMetadata, List, List, Context, boolean)}, adding each desired object it handled to {@code compared}. */
    private static <P extends HasMetadata> Result apply(P primary, List<HasMetadata> desired,
            List<Class<? extends HasMetadata>> pruned, Context<P> ctx, boolean ssa,
            List<AppliedMemo.Compared> compared) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Map<String, HasMetadata> current = new LinkedHashMap<>();
        Set<String> wanted = new HashSet<>();
        KubernetesSerialization json = ctx.getClient().getKubernetesSerialization();

        for (HasMetadata d : desired) {
            String key = key(d);
            wanted.add(key);
            InformerEventSource<HasMetadata, P> es = source(ctx, d.getClass());
            HasMetadata actual = es.get(ResourceID.fromResource(d)).orElse(null);
            if (actual != null && !controlledBy(actual, primary)) {
                conflicts.add(key);
                continue;
            }
            if (actual instanceof StatefulSet a && d instanceof StatefulSet s) {
                keepImmutableFields(a, s);
            }
            int desiredHash = d.hashCode(); // after the immutable fields: what is compared
            if (actual == null) {
                HasMetadata result = ssa ? ctx.resourceOperations().serverSideApply(d, es)
                        : ctx.resourceOperations().create(d, es);
                MEMO.rememberWritten(result, desiredHash);
                current.put(key, result);
                created.add(key);
            } else if (MEMO.knownToMatch(actual, desiredHash)) {
                current.put(key, actual);
            } else if (matches(actual, d, ctx, ssa, json)) {
                MEMO.rememberMatch(actual, desiredHash); // not on a memo hit, so that an answer expires
                current.put(key, actual);
            } else {
                HasMetadata result;
                if (ssa) {
                    result = ctx.resourceOperations().serverSideApply(d, es);
                } else {
                    Map<String, Object> merged = Subset.merge(toMap(json, actual), toMap(json, d));
                    HasMetadata target = json.convertValue(merged, d.getClass());
                    result = ctx.resourceOperations().resourcePatch(actual,
                            a -> ctx.getClient().resource(a).edit(x -> target), es);
                }
                MEMO.rememberWritten(result, desiredHash);
                current.put(key, result);
                updated.add(key);
            }
            compared.add(new AppliedMemo.Compared(d.getClass(), d.getMetadata().getName(),
                    d.getMetadata().getNamespace(), desiredHash));
        }
        for (Class<? extends HasMetadata> kind : pruned) {
            InformerEventSource<HasMetadata, P> es = source(ctx, kind);
            for (HasMetadata owned : es.getSecondaryResources(primary)) {
                if (!wanted.contains(key(owned)) && controlledBy(owned, primary)) {
                    ctx.getClient().resource(owned).delete();
                    deleted.add(key(owned));
                }
            }
        }
        if (!conflicts.isEmpty()) {
            LOG.warnf("%s/%s: objects exist that it does not own: %s", primary.getMetadata().getNamespace(),
                    primary.getMetadata().getName(), conflicts);
        }
        return new Result(created, updated, deleted, conflicts, current);
    }

    static boolean matches(HasMetadata actual, HasMetadata desired, Context<?> ctx, boolean ssa,
            KubernetesSerialization json) {
        if (ssa) {
            return SSABasedGenericKubernetesResourceMatcher.getInstance().matches(actual, desired, ctx);
        }
        return Subset.contains(toMap(json, actual), toMap(json, desired));
    }

    /** selector, serviceName, podManagementPolicy and volumeClaimTemplates cannot change on a StatefulSet. */
    static void keepImmutableFields(StatefulSet actual, StatefulSet desired) {
        desired.getSpec().setSelector(actual.getSpec().getSelector());
        desired.getSpec().setServiceName(actual.getSpec().getServiceName());
        desired.getSpec().setPodManagementPolicy(actual.getSpec().getPodManagementPolicy());
        desired.getSpec().setVolumeClaimTemplates(actual.getSpec().getVolumeClaimTemplates());
    }

    static boolean controlledBy(HasMetadata object, HasMetadata owner) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController())
                && Objects.equals(r.getKind(), owner.getKind()) && Objects.equals(r.getName(), owner.getMetadata().getName())
                && (owner.getMetadata().getUid() == null || Objects.equals(r.getUid(), owner.getMetadata().getUid())));
    }

    @SuppressWarnings("unchecked")
    static <P extends HasMetadata> InformerEventSource<HasMetadata, P> source(Context<P> ctx, Class<?> kind) {
        return (InformerEventSource<HasMetadata, P>) (Object) ctx.eventSourceRetriever().getEventSourceFor(kind);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(KubernetesSerialization json, Object o) {
        return json.convertValue(o, Map.class);
    }

    public static String key(HasMetadata o) {
        return o.getClass().getSimpleName() + "/" + o.getMetadata().getName();
    }
}
