package io.pulsarmesh.operator.controller.proxy;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxy;
import io.pulsarmesh.operator.api.pulsar.v1alpha1.PulsarProxyStatus;
import io.pulsarmesh.operator.controller.ComponentReconciler;
import io.pulsarmesh.operator.controller.ObjectApplier;
import io.pulsarmesh.operator.controller.SpecOrMetadataChanged;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.proxy.ProxyModel;
import io.pulsarmesh.operator.status.WorkloadState;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

/** Reconciles PulsarProxy into proxies (a Deployment: proxies keep no state). */
@ControllerConfiguration(name = PulsarProxyReconciler.NAME,
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
@RBACRule(apiGroups = "", resources = "pods", verbs = { "list", "watch" })
@RBACRule(apiGroups = "", resources = "events", verbs = { "create", "patch" })
public class PulsarProxyReconciler extends ComponentReconciler<PulsarProxy, PulsarProxyStatus> {
    public static final String NAME = "pulsar-proxy";

    @Override
    protected List<SpecProblem> validate(PulsarProxy cr, Mesh mesh, Context<PulsarProxy> ctx) {
        return ProxyModel.validate(cr);
    }

    @Override
    protected List<String> notActedOn(PulsarProxy cr) {
        return ProxyModel.notActedOn(cr);
    }

    @Override
    protected List<HasMetadata> desired(PulsarProxy cr, Mesh mesh) {
        return ProxyModel.desired(cr, settings(), mesh);
    }

    @Override
    protected HasMetadata workload(PulsarProxy cr, Context<PulsarProxy> ctx) {
        return cached(ctx, Deployment.class, Names.proxy(cr.getMetadata().getName()),
                cr.getMetadata().getNamespace());
    }

    /** Proxies run a Deployment, never a StatefulSet. */
    @Override
    protected List<Class<? extends HasMetadata>> managedKinds() {
        return ObjectApplier.MANAGED_KINDS.stream()
                .filter(k -> k != io.fabric8.kubernetes.api.model.apps.StatefulSet.class).toList();
    }

    @Override
    protected Map<String, String> selector(PulsarProxy cr) {
        return Labels.selector(Labels.PROXY, cr.getMetadata().getName());
    }

    @Override
    protected List<String> componentLabels() {
        return List.of(Labels.PROXY);
    }

    @Override
    protected PulsarProxyStatus newStatus() {
        return new PulsarProxyStatus();
    }

    @Override
    protected PulsarProxy newResource() {
        return new PulsarProxy();
    }
}
