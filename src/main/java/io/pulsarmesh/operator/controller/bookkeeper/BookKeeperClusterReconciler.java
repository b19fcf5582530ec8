package io.pulsarmesh.operator.controller.bookkeeper;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperCluster;
import io.pulsarmesh.operator.api.bookkeeper.v1alpha1.BookKeeperClusterStatus;
import io.pulsarmesh.operator.controller.ComponentReconciler;
import io.pulsarmesh.operator.controller.SpecOrMetadataChanged;
import io.pulsarmesh.operator.model.bookkeeper.BookKeeperModel;
import io.pulsarmesh.operator.model.common.Labels;
import io.pulsarmesh.operator.model.common.Names;
import io.pulsarmesh.operator.model.common.PodTemplates;
import io.pulsarmesh.operator.model.common.SpecProblem;
import io.pulsarmesh.operator.model.istio.Mesh;
import io.pulsarmesh.operator.roll.PodRoller;
import io.pulsarmesh.operator.roll.RollPlanner;
import io.pulsarmesh.operator.status.WorkloadState;
import io.quarkiverse.operatorsdk.annotations.RBACRule;

/** Reconciles BookKeeperCluster into bookies and auto-recovery workers. */
@ControllerConfiguration(name = BookKeeperClusterReconciler.NAME,
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
public class BookKeeperClusterReconciler extends ComponentReconciler<BookKeeperCluster, BookKeeperClusterStatus> {
    public static final String NAME = "bookkeeper-cluster";

    @Override
    protected List<SpecProblem> validate(BookKeeperCluster cr, Mesh mesh, Context<BookKeeperCluster> ctx) {
        StatefulSet bookies = bookies(cr, ctx);
        String existing = bookies == null || bookies.getMetadata().getAnnotations() == null ? null
                : bookies.getMetadata().getAnnotations().get(Labels.BOOKIE_ID_POLICY_ANNOTATION);
        List<SpecProblem> problems = new java.util.ArrayList<>(BookKeeperModel.validate(cr, existing));
        BookKeeperModel.scaleDown(cr, bookies != null ? bookies.getSpec().getReplicas() : null).ifPresent(problems::add);
        return problems;
    }

    @Override
    protected List<String> notActedOn(BookKeeperCluster cr) {
        return BookKeeperModel.notActedOn(cr);
    }

    @Override
    protected List<HasMetadata> desired(BookKeeperCluster cr, Mesh mesh) {
        return BookKeeperModel.desired(cr, settings(), mesh);
    }

    private static StatefulSet bookies(BookKeeperCluster cr, Context<BookKeeperCluster> ctx) {
        return cached(ctx, StatefulSet.class, Names.bookie(cr.getMetadata().getName()), cr.getMetadata().getNamespace());
    }

    @Override
    protected HasMetadata workload(BookKeeperCluster cr, Context<BookKeeperCluster> ctx) {
        return bookies(cr, ctx);
    }

    /** Auto-recovery workers, when enabled; {@code null} when disabled. */
    private static StatefulSet autoRecovery(BookKeeperCluster cr, Context<BookKeeperCluster> ctx) {
        return BookKeeperModel.autoRecoveryReplicas(cr) <= 0 ? null
                : cached(ctx, StatefulSet.class, Names.autoRecovery(cr.getMetadata().getName()),
                        cr.getMetadata().getNamespace());
    }

    /** Bookies are what the replica counts describe; auto-recovery reports its own ready count. */
    @Override
    protected void completeStatus(BookKeeperCluster cr, BookKeeperClusterStatus status, WorkloadState state, Mesh mesh, boolean applied,
            Context<BookKeeperCluster> ctx) {
        status.setCurrentVersion(PodTemplates.image(cr.getSpec(), settings()));
        if (BookKeeperModel.autoRecoveryReplicas(cr) > 0) {
            status.setAutoRecoveryReadyReplicas(WorkloadState.of(autoRecovery(cr, ctx)).ready());
        }
    }

    /** Ready needs the auto-recovery workers too, when they are enabled. */
    @Override
    protected WorkloadState readiness(BookKeeperCluster cr, Context<BookKeeperCluster> ctx, WorkloadState main) {
        return BookKeeperModel.autoRecoveryReplicas(cr) <= 0 ? main : main.plus(WorkloadState.of(autoRecovery(cr, ctx)));
    }

    @Override
    protected Map<String, String> selector(BookKeeperCluster cr) {
        return Labels.selector(Labels.BOOKIE, cr.getMetadata().getName());
    }

    /** Bookies restart one at a time, never while another is not ready; auto-recovery workers roll as usual. */
    @Override
    protected List<PodRoller.Rolled> rolled(BookKeeperCluster cr) {
        return List.of(new PodRoller.Rolled(Names.bookie(cr.getMetadata().getName()), RollPlanner.Kind.BOOKIE,
                Names.bookieHeadless(cr.getMetadata().getName())));
    }

    @Override
    protected List<String> componentLabels() {
        return List.of(Labels.BOOKIE, Labels.AUTO_RECOVERY);
    }

    @Override
    protected BookKeeperClusterStatus newStatus() {
        return new BookKeeperClusterStatus();
    }

    @Override
    protected BookKeeperCluster newResource() {
        return new BookKeeperCluster();
    }
}
