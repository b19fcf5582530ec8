package io.pulsarmesh.operator.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import io.pulsarmesh.operator.kube.IstioAvailability;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the component controllers' informers on the Istio kinds right after the operator has started, on threads of
 * their own (one per controller, at the same time), when the cluster serves Istio's APIs. Otherwise the first
 * reconciliation of each controller would start them (six informers each) while the custom resources wait. Whether
 * Istio is served is asked while the operator starts, not after.
 *
 * <p>It is also a readiness check: the operator is not ready until this work is done (Istio's informers started, or
 * Istio not served, or the attempt failed and was left to the reconciliations). The operator SDK's own check covers
 * each informer once it is registered, so without this one readiness would go UP as soon as the operator's own
 * informers are, then DOWN while the Istio informers of each controller start, then UP again. Without Istio nothing
 * happens here; the reconciliations look for it as before, so Istio installed later is still picked up.
 */
@ApplicationScoped
@Readiness
public class IstioWatchStarter implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(IstioWatchStarter.class);
    static final String CHECK = "Istio informers";

    @Inject
    Operator operator;
    @Inject
    IstioAvailability istio;

    private volatile boolean done;
    private volatile String outcome = "starting";

    /** Runs at start-up; the work waits on its own thread until the operator has started. */
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        Thread t = new Thread(this::watchIstio, "istio-watch-starter");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(CHECK).status(done).withData("state", outcome).build();
    }

    void watchIstio() {
        try {
            // Asked while the operator's own informers start: the answer is there when they are.
            boolean present = istio.present();
            // The operator SDK extension starts the operator in its own start-up observer; wait for it.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!operator.getRuntimeInfo().isStarted()) {
                if (System.nanoTime() > deadline) {
                    outcome = "the operator did not start; left to the reconciliations";
                    return;
                }
                Thread.sleep(10);
            }
            if (!present && !istio.present()) {
                outcome = "Istio not served; looked for again by the reconciliations";
                return;
            }
            long t0 = System.nanoTime();
            AtomicInteger started = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (RegisteredController<?> rc : operator.getRegisteredControllers()) {
                Thread t = new Thread(() -> {
                    try {
                        if (start(rc)) {
                            started.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        LOG.debugf(e, "Istio informers not started ahead of the reconciliations");
                    }
                }, "istio-watch-starter-" + rc.getConfiguration().getName());
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            outcome = "started for " + started.get() + " controllers";
            LOG.infof("Istio informers of %d controllers started in %d ms", started.get(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted; left to the reconciliations";
        } catch (RuntimeException e) {
            // The reconciliations start them instead.
            outcome = "failed; left to the reconciliations";
            LOG.debugf(e, "Istio informers not started ahead of the reconciliations");
        } finally {
            done = true;
        }
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static boolean start(RegisteredController<?> rc) {
        if (rc instanceof Controller<?> c && c.getReconciler() instanceof ComponentReconciler component) {
            return component.watchIstio(((Controller) c).getEventSourceManager());
        }
        return false;
    }
}
