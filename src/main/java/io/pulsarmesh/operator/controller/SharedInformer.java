package io.pulsarmesh.operator.controller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * One informer (one per watched namespace, or one for all) of a kind and label selector, which several controllers
 * follow through their own {@link SharedInformerEventSource}: each change is received and decoded once, and cached
 * once, however many controllers react to it.
 *
 * <p>The operator SDK gives every event source of every controller an informer of its own; for pods, which both a
 * component's controller and the coordinator's read, and for coordinators, which all four component controllers read,
 * that meant the same watch event decoded two or four times over (benchmark: about 1,900 of some 6,700 watch
 * deliveries while 50 clusters converge). Each informer starts as the SDK starts its own (the first list awaited
 * within the configured timeout, the start failed when so configured, the handler of a stopped informer), and is
 * healthy as the SDK's are: running and synced.
 *
 * <p>Started by its first user, stopped with its last. An informer once stopped does not start again: a later start
 * builds new ones.
 */
public final class SharedInformer<R extends HasMetadata> {
    private static final Logger LOG = Logger.getLogger(SharedInformer.class);
    private final Class<R> kind;
    private final String labelSelector;
    private final Set<String> namespaces;
    /** One informer for all namespaces, under the SDK's name for them ({@code namespaces} is just that name). */
    private final boolean allNamespaces;
    private final KubernetesClient client;
    private final ConfigurationService configuration;
    private final Supplier<ItemStore<R>> store;
    private final List<Listener<R>> handlers = new CopyOnWriteArrayList<>();
    private volatile Map<String, SharedIndexInformer<R>> informers = Map.of();
    private int users;

    SharedInformer(Class<R> kind, String labelSelector, Set<String> namespaces, KubernetesClient client,
            ConfigurationService configuration, Supplier<ItemStore<R>> store) {
        this.kind = kind;
        this.labelSelector = labelSelector;
        this.namespaces = Set.copyOf(namespaces);
        this.allNamespaces = InformerConfiguration.allNamespacesWatched(namespaces);
        this.client = client;
        this.configuration = configuration;
        this.store = store;
    }

    public Class<R> kind() {
        return kind;
    }

    /**
     * Adds {@code handler} and starts the informers if they are not running yet, waiting for their first list. A
     * handler added to a running informer is first told of every cached object as added.
     */
    synchronized void start(Listener<R> handler) {
        if (users == 0) {
            Map<String, SharedIndexInformer<R>> started = new LinkedHashMap<>();
            try {
                for (String namespace : namespaces) {
                    FilterWatchListDeletable<R, KubernetesResourceList<R>, Resource<R>> scoped;
                    if (allNamespaces) {
                        scoped = client.resources(kind).inAnyNamespace();
                    } else {
                        scoped = client.resources(kind).inNamespace(namespace);
                    }
                    if (labelSelector != null) {
                        scoped = scoped.withLabelSelector(labelSelector);
                    }
                    SharedIndexInformer<R> informer = scoped.runnableInformer(0);
                    if (store != null) {
                        informer.itemStore(store.get());
                    }
                    informer.addEventHandler(new Relay());
                    started.put(namespace, informer);
                    start(informer, namespace);
                }
            } catch (RuntimeException e) {
                started.values().forEach(SharedIndexInformer::stop);
                throw e;
            }
            informers = Map.copyOf(started);
        }
        users++;
        handlers.add(handler);
        // The informers were started before this handler came: it hears of what they hold now, as a handler of an
        // informer of its own would, and then of every change.
        for (SharedIndexInformer<R> informer : informers.values()) {
            informer.getStore().list().forEach(handler::onAdd);
        }
    }

    /**
     * Starts one informer as the operator SDK starts its own: the configured handler hears of it stopping; its first
     * list is awaited within the cache sync timeout; a failure then stops the operator's start, or, when the operator
     * is configured not to stop on informer errors, is logged and retried by the informer (all but a response it
     * cannot decode).
     */
    private void start(SharedIndexInformer<R> informer, String namespace) {
        String what = HasMetadata.getFullResourceName(kind) + " in "
                + (allNamespaces ? "all namespaces" : "namespace " + namespace);
        configuration.getInformerStoppedHandler().ifPresent(handler -> informer.stopped().handle((done, error) -> {
            handler.onStop(informer, error);
            return null;
        }));
        if (!configuration.stopOnInformerErrorDuringStartup()) {
            informer.exceptionHandler((started, t) -> !ExceptionHandler.isDeserializationException(t));
        }
        try {
            informer.start().toCompletableFuture().get(configuration.cacheSyncTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            if (configuration.stopOnInformerErrorDuringStartup()) {
                throw new OperatorException("Couldn't start the shared informer of " + what, e);
            }
            LOG.warnf(e, "The shared informer of %s did not start; it goes on trying", what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperatorException("Interrupted while starting the shared informer of " + what, e);
        }
    }

    /** Removes {@code handler}; the last one stops the informers. */
    synchronized void stop(Listener<R> handler) {
        if (!handlers.remove(handler)) {
            return;
        }
        if (--users == 0) {
            informers.values().forEach(SharedIndexInformer::stop);
            informers = Map.of();
        }
    }

    /** The informer that holds the objects of {@code namespace}; {@code null} when none does (not watched, stopped). */
    private SharedIndexInformer<R> informerFor(String namespace) {
        return informers.get(allNamespaces ? Constants.WATCH_ALL_NAMESPACES : namespace);
    }

    /** The cached object of that namespace and name. */
    public Optional<R> get(ResourceID id) {
        SharedIndexInformer<R> informer = informerFor(id.getNamespace().orElse(null));
        return informer == null ? Optional.empty()
                : Optional.ofNullable(informer.getStore().getByKey(Cache.namespaceKeyFunc(id.getNamespace().orElse(null),
                        id.getName())));
    }

    /** The cached objects of a namespace. */
    public Stream<R> inNamespace(String namespace) {
        SharedIndexInformer<R> informer = informerFor(namespace);
        return informer == null ? Stream.empty()
                : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream();
    }

    /** Healthy when every informer runs and has synced. */
    public Status status() {
        Map<String, SharedIndexInformer<R>> current = informers;
        if (current.isEmpty()) {
            return Status.UNHEALTHY;
        }
        return current.values().stream().allMatch(i -> i.isRunning() && i.hasSynced()) ? Status.HEALTHY
                : Status.UNHEALTHY;
    }

    /**
     * What hears of the informer's changes: {@link SharedInformerEventSource}. Not fabric8's {@code ResourceEventHandler}:
     * Quarkus' Kubernetes client extension registers for reflection the type each implementation of that interface
     * handles, and for a type variable bounded by {@code HasMetadata} that is every model class (some 2,500 more types
     * in the native image).
     */
    public interface Listener<R> {
        void onAdd(R obj);

        void onUpdate(R oldObj, R newObj);

        void onDelete(R obj, boolean deletedFinalStateUnknown);
    }

    /**
     * Hands each change to every listener. It takes {@code Object} for the same reason (the informer's objects are all
     * of the kind {@code R}).
     */
    private final class Relay implements ResourceEventHandler<Object> {
        @Override
        @SuppressWarnings("unchecked")
        public void onAdd(Object obj) {
            for (Listener<R> h : handlers) {
                h.onAdd((R) obj);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onUpdate(Object oldObj, Object newObj) {
            for (Listener<R> h : handlers) {
                h.onUpdate((R) oldObj, (R) newObj);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            for (Listener<R> h : handlers) {
                h.onDelete((R) obj, deletedFinalStateUnknown);
            }
        }
    }
}
