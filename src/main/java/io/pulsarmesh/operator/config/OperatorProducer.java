package io.pulsarmesh.operator.config;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.quarkiverse.operatorsdk.runtime.CRDUtils;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;

/**
 * The operator SDK's {@link Operator}, as a {@link Singleton} bean instead of the extension's default
 * {@code ApplicationScoped} one.
 *
 * <p>An {@code ApplicationScoped} bean of a class type is reached through a client proxy, a subclass whose constructor
 * runs the superclass's no-argument constructor; {@code Operator()} builds a Kubernetes client of its own (its HTTP
 * client, TLS trust store, JSON mapper), which the proxy never uses and never closes. That cost about a third of a
 * second of CPU at every start, and memory for as long as the operator runs (the extension's issue #702 tracks the
 * extra clients). A singleton has no proxy. What the bean holds is what the extension's producer builds: the
 * extension's configuration service (with the application's client), every reconciler registered with its
 * build-time configuration, the CRDs applied where that is switched on (tests and dev mode), and the shutdown hook
 * when a termination timeout is set.
 */
public class OperatorProducer {
    private static final Logger LOG = Logger.getLogger(OperatorProducer.class);

    @Produces
    @Singleton
    Operator operator(QuarkusConfigurationService configuration,
            Instance<Reconciler<? extends HasMetadata>> reconcilers) {
        if (configuration.getCRDGenerationInfo().isApplyCRDs()) {
            for (String crd : configuration.getCRDGenerationInfo().getGenerated()) {
                CRDUtils.applyCRD(configuration.getKubernetesClient(), configuration.getCRDGenerationInfo(), crd);
            }
        }
        Operator operator = new Operator(configuration);
        for (Reconciler<? extends HasMetadata> reconciler : reconcilers) {
            operator.register(reconciler);
        }
        if (!configuration.reconciliationTerminationTimeout().isZero()) {
            operator.installShutdownHook(configuration.reconciliationTerminationTimeout());
        }
        LOG.debugf("Operator with %d controllers", operator.getRegisteredControllersNumber());
        return operator;
    }
}
