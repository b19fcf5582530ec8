package io.pulsarmesh.operator.controller;

import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

/**
 * A controller's event source over a {@link SharedInformer}: the changes that pass its filters wake the primaries its
 * mapper names, and a primary's secondary resources are read from the shared cache. It stands where an informer event
 * source of its own would, under a name and a resource type ({@code ctx.getSecondaryResources(kind)}).
 *
 * @param <R> the kind followed
 * @param <P> the controller's primary kind
 */
public final class SharedInformerEventSource<R extends HasMetadata, P extends HasMetadata>
        extends AbstractEventSource<R, P> implements SharedInformer.Listener<R> {
    private final SharedInformer<R> informer;
    private final Function<R, Set<ResourceID>> toPrimaries;
    private final BiFunction<SharedInformer<R>, P, Stream<R>> secondaries;

    /**
     * @param toPrimaries the primaries a change of the object wakes (none: it is not this controller's)
     * @param secondaries a primary's objects, read from the shared cache
     */
    public SharedInformerEventSource(String name, SharedInformer<R> informer, Function<R, Set<ResourceID>> toPrimaries,
            BiFunction<SharedInformer<R>, P, Stream<R>> secondaries) {
        super(informer.kind(), name);
        this.informer = informer;
        this.toPrimaries = toPrimaries;
        this.secondaries = secondaries;
    }

    @Override
    public void start() throws OperatorException {
        informer.start(this);
        super.start();
    }

    @Override
    public void stop() throws OperatorException {
        super.stop();
        informer.stop(this);
    }

    @Override
    public Set<R> getSecondaryResources(P primary) {
        return secondaries.apply(informer, primary).collect(Collectors.toSet());
    }

    @Override
    public Status getStatus() {
        return informer.status();
    }

    @Override
    public void onAdd(R obj) {
        if ((onAddFilter == null || onAddFilter.accept(obj)) && (genericFilter == null || genericFilter.accept(obj))) {
            propagate(obj);
        }
    }

    @Override
    public void onUpdate(R oldObj, R newObj) {
        if ((onUpdateFilter == null || onUpdateFilter.accept(newObj, oldObj))
                && (genericFilter == null || genericFilter.accept(newObj))) {
            propagate(newObj);
        }
    }

    @Override
    public void onDelete(R obj, boolean deletedFinalStateUnknown) {
        if ((onDeleteFilter == null || onDeleteFilter.accept(obj, deletedFinalStateUnknown))
                && (genericFilter == null || genericFilter.accept(obj))) {
            propagate(obj);
        }
    }

    private void propagate(R obj) {
        EventHandler handler = getEventHandler();
        if (handler == null) {
            return;
        }
        for (ResourceID id : toPrimaries.apply(obj)) {
            handler.handleEvent(new Event(id));
        }
    }
}
