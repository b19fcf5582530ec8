package io.pulsarmesh.operator.controller;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import io.pulsarmesh.operator.kube.IstioAvailability;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the component controllers' informers on the Istio kinds right after the operator has started, on a thread of
 * its own, when the cluster serves Istio's APIs. Otherwise the first reconciliation of each controller would start
 * them (six informers each) while the custom resources wait. Readiness does not wait for them: the operator is ready
 * once its own informers are, as before. Without Istio nothing happens here; the reconciliations look for it as
 * before, so Istio installed later is still picked up.
 */
@ApplicationScoped
public class IstioWatchStarter {
    private static final Logger LOG = Logger.getLogger(IstioWatchStarter.class);

    @Inject
    Operator operator;
    @Inject
    IstioAvailability istio;

    /** Runs at start-up; the work waits on its own thread until the operator has started. */
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        Thread t = new Thread(this::watchIstio, "istio-watch-starter");
        t.setDaemon(true);
        t.start();
    }

    void watchIstio() {
        try {
            // The operator SDK extension starts the operator in its own start-up observer; wait for it.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
            while (!operator.getRuntimeInfo().isStarted()) {
                if (System.nanoTime() > deadline) {
                    return;
                }
                Thread.sleep(50);
            }
            if (!istio.present()) {
                return;
            }
            long t0 = System.nanoTime();
            int controllers = 0;
            for (RegisteredController<?> rc : operator.getRegisteredControllers()) {
                if (start(rc)) {
                    controllers++;
                }
            }
            LOG.infof("Istio informers of %d controllers started in %d ms", controllers,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The reconciliations start them instead.
            LOG.debugf(e, "Istio informers not started ahead of the reconciliations");
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
