package io.pulsarmesh.operator.controller.zookeeper;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperCluster;
import io.pulsarmesh.operator.api.zookeeper.v1alpha1.ZooKeeperClusterStatus;
import io.pulsarmesh.operator.controller.ComponentReconciler;
import io.pulsarmesh.operator.controller.SpecOrMetadataChanged;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.model.zookeeper.ZooKeeperModel;
import io.pulsarmesh.operator.roll.PodRoller;
import io.pulsarmesh.operator.roll.RollPlanner;
import io.pulsarmesh.operator.status.WorkloadState;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

/** Reconciles ZooKeeperCluster into a ZooKeeper ensemble. */
@ControllerConfiguration(name = ZooKeeperClusterReconciler.NAME,
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
public class ZooKeeperClusterReconciler extends ComponentReconciler<ZooKeeperCluster, ZooKeeperClusterStatus> {
    public static final String NAME = "zookeeper-cluster";

    @Override
    protected List<SpecProblem> validate(ZooKeeperCluster cr, Mesh mesh, Context<ZooKeeperCluster> ctx) {
        return ZooKeeperModel.validate(cr);
    }

    @Override
    protected List<String> notActedOn(ZooKeeperCluster cr) {
        return ZooKeeperModel.notActedOn(cr);
    }

    @Override
    protected List<HasMetadata> desired(ZooKeeperCluster cr, Mesh mesh) {
        return ZooKeeperModel.desired(cr, settings(), mesh);
    }

    @Override
    protected HasMetadata workload(ZooKeeperCluster cr, Context<ZooKeeperCluster> ctx) {
        return cached(ctx, StatefulSet.class, Names.zk(cr.getMetadata().getName()),
                cr.getMetadata().getNamespace());
    }

    @Override
    protected Map<String, String> selector(ZooKeeperCluster cr) {
        return ZooKeeperModel.selector(cr);
    }

    /** The servers restart one at a time, followers first and the leader last. */
    @Override
    protected List<PodRoller.Rolled> rolled(ZooKeeperCluster cr) {
        return List.of(new PodRoller.Rolled(Names.zk(cr.getMetadata().getName()), RollPlanner.Kind.ZOOKEEPER,
                Names.zkHeadless(cr.getMetadata().getName())));
    }

    @Override
    protected List<String> componentLabels() {
        return List.of(Labels.ZOOKEEPER);
    }

    @Override
    protected void completeStatus(ZooKeeperCluster cr, ZooKeeperClusterStatus status, WorkloadState state, Mesh mesh, boolean applied, Context<ZooKeeperCluster> ctx) {
        status.setInternalServiceEndpoint(ZooKeeperModel.connectString(cr));
    }

    @Override
    protected ZooKeeperClusterStatus newStatus() {
        return new ZooKeeperClusterStatus();
    }

    @Override
    protected ZooKeeperCluster newResource() {
        return new ZooKeeperCluster();
    }
}
