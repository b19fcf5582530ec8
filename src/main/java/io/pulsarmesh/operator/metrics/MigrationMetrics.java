package io.pulsarmesh.operator.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pulsarmesh.operator.api.coordinator.v1alpha1.MeshMigrationStatus.ComponentProgress;
import io.pulsarmesh.operator.migration.MeshMigration;
import io.pulsarmesh.operator.migration.MeshPhase;

/**
 * The sidecar→ambient mesh migration as Prometheus sees it, so a migration can be followed and alerted on without
 * reading every coordinator's status: the current phase of each PulsarCoordinator, its components' pod counts,
 * phase changes, time spent per phase and stalls.
 *
 * <p>Labels stay bounded by the number of custom resources: namespace, custom resource name and kind, and a value
 * from a fixed set (phase, pod state); never pod names, UIDs or error text. Gauges read values held here; every
 * series of a coordinator is registered the first time it is reported (counters and timers at zero, so that
 * {@code increase()} sees their first change) and removed by {@link #forget}, its components' series also when they
 * leave the list passed to {@link #observe}. Thread-safe: reconciles of different coordinators may call it at once.
 */
@ApplicationScoped
public class MigrationMetrics {
    /** Gauge, 1 for the coordinator's current phase and 0 for the others. */
    public static final String PHASE = "pulsar.operator.mesh.migration.phase";
    /** Gauge, a component's pods by {@link #STATES state}. */
    public static final String COMPONENT_PODS = "pulsar.operator.mesh.migration.component.pods";
    /** Counter, phase changes by the phase entered. */
    public static final String TRANSITIONS = "pulsar.operator.mesh.migration.transitions";
    /** Timer, time spent in a phase by the phase left. */
    public static final String PHASE_DURATION = "pulsar.operator.mesh.migration.phase.duration";
    /** Counter, times the migration stalled. */
    public static final String STALLS = "pulsar.operator.mesh.migration.stalls";
    /** The {@code kind} label of the coordinator's series. */
    public static final String KIND = "PulsarCoordinator";
    /** Values of the {@code state} label of {@link #COMPONENT_PODS}. */
    public static final List<String> STATES = List.of("desired", "updated", "ready", "enrolled");

    static final String PHASE_HELP = "Phase of the PulsarCoordinator's sidecar-to-ambient mesh migration: 1 for the "
            + "current phase, 0 for the others";
    static final String COMPONENT_PODS_HELP = "Pods of a component taking part in the mesh migration, by state: "
            + "desired, updated (current pod template), ready, enrolled (running in the data plane set on it)";
    static final String TRANSITIONS_HELP = "Phase changes of the mesh migration, by the phase entered";
    static final String PHASE_DURATION_HELP = "Time the mesh migration spent in a phase before leaving it, by the "
            + "phase left";
    static final String STALLS_HELP = "Times the mesh migration stalled: the component in progress was not verified "
            + "within the stall timeout";

    private final MeterRegistry registry;
    private final Object lock = new Object();
    private final Map<CoordinatorKey, CoordinatorSeries> coordinators = new HashMap<>();
    private final Map<ComponentKey, ComponentSeries> components = new HashMap<>();

    /** @param registry where the series are registered (in the operator, the one behind {@code /q/metrics}) */
    @Inject
    public MigrationMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Reports where a coordinator's migration stands; call after every reconcile of the coordinator, with what is
     * recorded in its status. Sets the phase gauges (1 for {@code state}'s phase, 0 for the other phases) and the pod
     * gauges of each component in {@code components}; components reported before and missing from {@code
     * components} lose their series.
     *
     * @param namespace the coordinator's namespace, where its components live
     * @param name the coordinator's name
     * @param state the recorded migration; {@code null} counts as {@link MeshMigration.State#initial()}
     * @param components every component in the mesh (kind and name required; an absent count is reported as 0);
     *        {@code null} counts as none
     */
    public void observe(String namespace, String name, MeshMigration.State state, List<ComponentProgress> components) {
        CoordinatorKey owner = new CoordinatorKey(namespace, name);
        MeshPhase current = state != null && state.phase() != null ? state.phase() : MeshPhase.SIDECAR;
        synchronized (lock) {
            CoordinatorSeries coordinator = coordinator(owner);
            // The others drop to 0 first: a concurrent scrape may see no phase for an instant, never two.
            coordinator.phases.forEach((phase, value) -> {
                if (phase != current) {
                    value.set(0);
                }
            });
            coordinator.phases.get(current).set(1);

            Set<ComponentKey> seen = new HashSet<>();
            for (ComponentProgress progress : components == null ? List.<ComponentProgress>of() : components) {
                if (progress == null || blank(progress.getKind()) || blank(progress.getName())) {
                    continue;
                }
                ComponentKey key = new ComponentKey(namespace, progress.getKind(), progress.getName());
                ComponentSeries series = this.components.computeIfAbsent(key, this::registerComponent);
                series.owner = owner;
                series.set(progress);
                seen.add(key);
            }
            removeComponents(owner, seen);
        }
    }

    /**
     * Records one phase change of a coordinator's migration: counts it under the phase entered and records the time
     * spent in the phase left. Call once when the recorded phase changes, for example when
     * {@code next.phase() != current.phase()}, with {@code timeInFrom} the time since the current state's
     * {@code lastTransitionTime}.
     *
     * @param namespace the coordinator's namespace
     * @param name the coordinator's name
     * @param from the phase left; {@code null} records no duration
     * @param to the phase entered
     * @param timeInFrom how long the migration was in {@code from}; {@code null} or negative records no duration
     */
    public void transition(String namespace, String name, MeshPhase from, MeshPhase to, Duration timeInFrom) {
        Objects.requireNonNull(to, "to");
        CoordinatorSeries coordinator;
        synchronized (lock) {
            coordinator = coordinator(new CoordinatorKey(namespace, name));
        }
        coordinator.transitions.get(to).increment();
        if (from != null && timeInFrom != null && !timeInFrom.isNegative()) {
            coordinator.durations.get(from).record(timeInFrom);
        }
    }

    /**
     * Counts one stall of a coordinator's migration. Call when the migration becomes {@link MeshPhase#STALLED}, not on
     * every reconcile while it stays stalled.
     *
     * @param namespace the coordinator's namespace
     * @param name the coordinator's name
     */
    public void stalled(String namespace, String name) {
        CoordinatorSeries coordinator;
        synchronized (lock) {
            coordinator = coordinator(new CoordinatorKey(namespace, name));
        }
        coordinator.stalls.increment();
    }

    /**
     * Removes every series of a coordinator and of the components last reported with it. Call when the coordinator
     * is deleted; a later report registers its series again.
     *
     * @param namespace the coordinator's namespace
     * @param name the coordinator's name
     */
    public void forget(String namespace, String name) {
        CoordinatorKey owner = new CoordinatorKey(namespace, name);
        synchronized (lock) {
            CoordinatorSeries coordinator = coordinators.remove(owner);
            if (coordinator != null) {
                coordinator.meters.forEach(registry::remove);
            }
            removeComponents(owner, Set.of());
        }
    }

    /** Registers, on first use, every series of one coordinator. Called with {@link #lock} held. */
    private CoordinatorSeries coordinator(CoordinatorKey key) {
        return coordinators.computeIfAbsent(key, k -> {
            CoordinatorSeries series = new CoordinatorSeries();
            Tags base = Tags.of("namespace", k.namespace(), "name", k.name(), "kind", KIND);
            for (MeshPhase phase : MeshPhase.values()) {
                Tags tags = base.and("phase", phase.value());
                AtomicInteger value = new AtomicInteger();
                series.phases.put(phase, value);
                series.meters.add(Gauge.builder(PHASE, value, AtomicInteger::get).description(PHASE_HELP).tags(tags)
                        .strongReference(true).register(registry));
                Counter transitions = Counter.builder(TRANSITIONS).description(TRANSITIONS_HELP).tags(tags)
                        .register(registry);
                series.transitions.put(phase, transitions);
                series.meters.add(transitions);
                Timer duration = Timer.builder(PHASE_DURATION).description(PHASE_DURATION_HELP).tags(tags)
                        .register(registry);
                series.durations.put(phase, duration);
                series.meters.add(duration);
            }
            series.stalls = Counter.builder(STALLS).description(STALLS_HELP).tags(base).register(registry);
            series.meters.add(series.stalls);
            return series;
        });
    }

    private ComponentSeries registerComponent(ComponentKey key) {
        ComponentSeries series = new ComponentSeries();
        for (String state : STATES) {
            AtomicInteger value = new AtomicInteger();
            series.pods.put(state, value);
            series.meters.add(Gauge.builder(COMPONENT_PODS, value, AtomicInteger::get).description(COMPONENT_PODS_HELP)
                    .tags("namespace", key.namespace(), "name", key.name(), "kind", key.kind(), "state", state)
                    .strongReference(true).register(registry));
        }
        return series;
    }

    /** Removes the series of {@code owner}'s components not in {@code keep}. Called with {@link #lock} held. */
    private void removeComponents(CoordinatorKey owner, Set<ComponentKey> keep) {
        for (Iterator<Map.Entry<ComponentKey, ComponentSeries>> it = components.entrySet().iterator(); it.hasNext();) {
            Map.Entry<ComponentKey, ComponentSeries> entry = it.next();
            if (entry.getValue().owner.equals(owner) && !keep.contains(entry.getKey())) {
                entry.getValue().meters.forEach(registry::remove);
                it.remove();
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private record CoordinatorKey(String namespace, String name) {
        CoordinatorKey {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }
    }

    private record ComponentKey(String namespace, String kind, String name) {
    }

    private static final class CoordinatorSeries {
        final Map<MeshPhase, AtomicInteger> phases = new EnumMap<>(MeshPhase.class);
        final Map<MeshPhase, Counter> transitions = new EnumMap<>(MeshPhase.class);
        final Map<MeshPhase, Timer> durations = new EnumMap<>(MeshPhase.class);
        Counter stalls;
        final List<Meter> meters = new ArrayList<>();
    }

    /** One component's pod gauges; {@code owner} is the coordinator that reported it last. */
    private static final class ComponentSeries {
        final Map<String, AtomicInteger> pods = new HashMap<>();
        final List<Meter> meters = new ArrayList<>();
        CoordinatorKey owner;

        void set(ComponentProgress progress) {
            pods.get("desired").set(count(progress.getDesired()));
            pods.get("updated").set(count(progress.getUpdated()));
            pods.get("ready").set(count(progress.getReady()));
            pods.get("enrolled").set(count(progress.getEnrolled()));
        }

        private static int count(Integer value) {
            return value == null ? 0 : value;
        }
    }
}
