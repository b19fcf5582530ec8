package io.pulsarmesh.operator.controller.broker;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBroker;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarBrokerStatus;
import io.pulsarmesh.operator.controller.ComponentReconciler;
import io.pulsarmesh.operator.kube.Prerequisites;
import io.pulsarmesh.operator.model.istio.MeshPrerequisites;
import io.pulsarmesh.operator.controller.SpecOrMetadataChanged;
import io.pulsarmesh.operator.model.broker.BrokerGateway;
import io.pulsarmesh.operator.model.broker.BrokerModel;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.roll.PodRoller;
import io.pulsarmesh.operator.roll.RollPlanner;
import io.pulsarmesh.operator.status.WorkloadState;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

/** Reconciles PulsarBroker into brokers. */
@ControllerConfiguration(name = PulsarBrokerReconciler.NAME,
        // Status-only changes (the operator's own) are filtered; spec, labels and annotations reconcile.
        generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = SpecOrMetadataChanged.class),
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = java.util.concurrent.TimeUnit.MINUTES))
@RBACRule(apiGroups = "", resources = { "configmaps", "services" }, verbs = { "get", "list", "watch", "create", "update", "patch", "delete" })
@RBACRule(apiGroups = "apps", resources = { "statefulsets", "deployments" }, verbs = { "get", "list", "watch", "create", "update", "patch", "delete" })
@RBACRule(apiGroups = "policy", resources = "poddisruptionbudgets", verbs = { "get", "list", "watch", "create", "update", "patch", "delete" })
@RBACRule(apiGroups = "security.istio.io", resources = { "peerauthentications", "authorizationpolicies" }, verbs = { "get", "list", "watch", "create", "update", "patch", "delete" })
@RBACRule(apiGroups = "networking.istio.io", resources = { "destinationrules", "gateways", "virtualservices", "serviceentries" }, verbs = { "get", "list", "watch", "create", "update", "patch", "delete" })
@RBACRule(apiGroups = "k8s.streamnative.io", resources = "pulsarcoordinators", verbs = { "get", "list", "watch" })
@RBACRule(apiGroups = "apps", resources = "daemonsets", verbs = { "get" })
@RBACRule(apiGroups = "", resources = "pods", verbs = { "list", "watch", "patch", "delete" })
@RBACRule(apiGroups = "", resources = "events", verbs = { "create", "patch" })
@RBACRule(apiGroups = "", resources = "services", verbs = { "get", "list", "watch" })
public class PulsarBrokerReconciler extends ComponentReconciler<PulsarBroker, PulsarBrokerStatus> {
    public static final String NAME = "pulsar-broker";

    @Override
    protected List<SpecProblem> validate(PulsarBroker cr, Mesh mesh, Context<PulsarBroker> ctx) {
        return BrokerModel.validate(cr, mesh);
    }

    @Override
    protected List<String> notActedOn(PulsarBroker cr) {
        return BrokerModel.notActedOn(cr);
    }

    @Override
    protected List<HasMetadata> desired(PulsarBroker cr, Mesh mesh) {
        return BrokerModel.desired(cr, settings(), mesh);
    }

    @Override
    protected HasMetadata workload(PulsarBroker cr, Context<PulsarBroker> ctx) {
        return cached(ctx, StatefulSet.class, Names.broker(cr.getMetadata().getName()),
                cr.getMetadata().getNamespace());
    }

    @Override
    protected void completeStatus(PulsarBroker cr, PulsarBrokerStatus status, WorkloadState state, Mesh mesh, boolean applied, Context<PulsarBroker> ctx) {
        PulsarBrokerStatus.ServiceEndpoints endpoints = new PulsarBrokerStatus.ServiceEndpoints();
        endpoints.setCluster(BrokerModel.clusterServiceUrls(cr));
        BrokerGateway.Plan plan = BrokerGateway.plan(cr, mesh);
        if (plan != null && applied) {
            endpoints.setExternal(BrokerGateway.externalEndpoint(cr, plan));
        }
        status.setServiceEndpoints(endpoints);
    }

    /**
     * Brokers with a Gateway of their own also need the ingress gateway it selects: pods that match
     * {@code gateway.selector}, and a Service port for every server (443, 6651, and 9093, 8883, 5671 as the protocols
     * enabled ask).
     */
    @Override
    protected List<MeshPrerequisites.Check> prerequisites(PulsarBroker cr, Mesh mesh, boolean istioWatched,
            Context<PulsarBroker> ctx) {
        List<MeshPrerequisites.Check> checks = new java.util.ArrayList<>(super.prerequisites(cr, mesh, istioWatched, ctx));
        BrokerGateway.Plan plan = mesh.enabled() && istioWatched ? BrokerGateway.plan(cr, mesh) : null;
        if (plan != null && plan.create()) {
            Prerequisites.Gateway g = prerequisites.gateway(plan.selector());
            checks.add(MeshPrerequisites.gateway(plan.selector(), BrokerGateway.requiredServicePorts(cr, plan),
                    g.pods(), g.services(), g.ports(), g.error()));
        }
        return checks;
    }

    @Override
    protected Map<String, String> selector(PulsarBroker cr) {
        return Labels.selector(Labels.BROKER, cr.getMetadata().getName());
    }

    /** Brokers restart one at a time, unready ones first. */
    @Override
    protected List<PodRoller.Rolled> rolled(PulsarBroker cr) {
        return List.of(new PodRoller.Rolled(Names.broker(cr.getMetadata().getName()), RollPlanner.Kind.OTHER,
                Names.brokerHeadless(cr.getMetadata().getName())));
    }

    @Override
    protected List<String> componentLabels() {
        return List.of(Labels.BROKER);
    }

    @Override
    protected PulsarBrokerStatus newStatus() {
        return new PulsarBrokerStatus();
    }

    @Override
    protected PulsarBroker newResource() {
        return new PulsarBroker();
    }
}
