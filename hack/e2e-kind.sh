#!/usr/bin/env bash
# End-to-end smoke test on kind: the operator image, Istio in ambient-capable mode, the example cluster in the mesh
# with sidecars, then its move to ambient through the coordinator.
#
#   1. creates the kind cluster $KIND_CLUSTER_NAME (or reuses it when it exists);
#   2. installs Istio with istioctl, profile ambient: istiod (sidecar injection still works for pods labelled
#      sidecar.istio.io/inject=true), istio-cni and ztunnel;
#   3. loads $IMAGE into the node and installs the operator with `kubectl apply -k kubernetes/`; the Deployment must
#      run $IMAGE: when kubernetes/install names another image, the script runs `kubectl set image` on it;
#   4. creates kubernetes/examples/pulsar-cluster-istio.yaml in the namespace pulsar, sized for one node by the
#      kustomize patch hack/e2e/kind-size.yaml, and waits until every custom resource is Ready, with sidecars in
#      every pod;
#   5. sets spec.istio.dataplaneMode=ambient on the PulsarCoordinator, waits until status.meshMigration.phase is
#      Completed (fails at once on Refused) and checks that every pod is ambient and without a sidecar.
#
# Needs kind, kubectl, istioctl and docker on PATH (and Maven when IMAGE is not given). Build the image first:
#   mvn -B verify -Pnative -Dquarkus.native.container-build=true \
#       -Dquarkus.native.builder-image=quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25
#   docker build -f src/main/docker/Dockerfile.native --build-arg OPERATOR_VERSION=0.1.0 -t "$(hack/operator-image.sh)" .
#   hack/e2e-kind.sh
#
# Settings (environment):
#   IMAGE               operator image to test, present in the local docker (default: hack/operator-image.sh)
#   KIND_CLUSTER_NAME   kind cluster to create or reuse (default pulsar-mesh-e2e)
#   KIND_NODE_IMAGE     node image for a new cluster (default: Kubernetes 1.35 built for kind v0.32.0)
#   READY_TIMEOUT       seconds each custom resource may take to become Ready (default 1200)
#   MIGRATION_TIMEOUT   seconds the move to ambient may take (default 2700)
#   E2E_ARTIFACTS       folder for the diagnostics, collected at the end of every run (default target/e2e); the
#                       script empties it first, and refuses a non-empty folder it did not fill itself
#   E2E_KEEP_CLUSTER    true keeps a cluster the script created after a successful run (a failed run always keeps
#                       it for inspection: `kind export kubeconfig --name $KIND_CLUSTER_NAME`)
#
# The kubeconfig of the run is a temporary file: the script never changes the current context of your kubeconfig. On a
# reused cluster it deletes the namespace pulsar of an earlier run first (with its volumes), so every run starts from
# sidecars.
set -euo pipefail
cd "$(dirname "$0")/.."

KIND_CLUSTER_NAME=${KIND_CLUSTER_NAME:-pulsar-mesh-e2e}
# Node images must match the kind release (see its release notes); this one is listed for kind v0.32.0, and
# Kubernetes 1.35 is a version Istio 1.30 is tested on.
KIND_NODE_IMAGE=${KIND_NODE_IMAGE:-kindest/node:v1.35.5@sha256:ce977ae6d65918d0b58a5f8b5e940429c2ce42fa3a5619ec2bbc60b949c0ac95}
READY_TIMEOUT=${READY_TIMEOUT:-1200}
MIGRATION_TIMEOUT=${MIGRATION_TIMEOUT:-2700}
E2E_ARTIFACTS=${E2E_ARTIFACTS:-target/e2e}
E2E_KEEP_CLUSTER=${E2E_KEEP_CLUSTER:-false}
IMAGE=${IMAGE:-}

# Names fixed by kubernetes/kustomization.yaml, kubernetes/install/ and the example.
OPERATOR_NS=pulsar-mesh-operator
OPERATOR_DEPLOYMENT=pulsar-mesh-operator
OPERATOR_CONTAINER=operator
NS=pulsar
CLUSTER=private-cloud
EXAMPLE=kubernetes/examples/pulsar-cluster-istio.yaml
# In the order the operator migrates them; the coordinator last.
COMPONENTS=(zookeeperclusters bookkeeperclusters pulsarbrokers pulsarproxies)
CRDS=(pulsarcoordinators.k8s.streamnative.io zookeeperclusters.zookeeper.streamnative.io
    bookkeeperclusters.bookkeeper.streamnative.io pulsarbrokers.pulsar.streamnative.io
    pulsarproxies.pulsar.streamnative.io)
POD_SELECTOR=cloud.streamnative.io/cluster=$CLUSTER

log() {
    printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"
}

fail() {
    echo "e2e: $*" >&2
    exit 1
}

need() {
    command -v "$1" >/dev/null 2>&1 || fail "$1 is not on PATH"
}

case "$READY_TIMEOUT$MIGRATION_TIMEOUT" in
    *[!0-9]*) fail "READY_TIMEOUT and MIGRATION_TIMEOUT are whole seconds" ;;
esac

mkdir -p "$E2E_ARTIFACTS"
artifacts=$(cd "$E2E_ARTIFACTS" && pwd)
marker="$artifacts/.pulsar-mesh-e2e"
if [ -n "$(ls -A "$artifacts")" ] && [ ! -f "$marker" ]; then
    fail "E2E_ARTIFACTS=$E2E_ARTIFACTS is not empty and was not filled by this script"
fi
rm -rf "${artifacts:?}"/* && touch "$marker"

work=$(mktemp -d)
export KUBECONFIG="$work/kubeconfig"
created_cluster=false
cluster_up=false

# Runs a command with its output in a file of the artifacts folder, never failing.
capture() {
    local file=$1
    shift
    { echo "\$ $*"; "$@"; } >>"$artifacts/$file" 2>&1 || true
    echo >>"$artifacts/$file"
}

collect_diagnostics() {
    log "Collecting diagnostics into $artifacts"
    mkdir -p "$artifacts/pod-logs"
    capture nodes.txt kubectl get nodes -o wide
    capture nodes.txt kubectl describe nodes
    capture pods-all.txt kubectl get pods -A -o wide
    capture events-all.txt kubectl get events -A --sort-by=.lastTimestamp
    capture operator.log kubectl logs -n "$OPERATOR_NS" "deployment/$OPERATOR_DEPLOYMENT" --all-containers --timestamps
    capture operator-previous.log kubectl logs -n "$OPERATOR_NS" "deployment/$OPERATOR_DEPLOYMENT" --all-containers \
        --timestamps --previous
    capture operator-describe.txt kubectl describe deployments,replicasets,pods -n "$OPERATOR_NS"
    capture custom-resources.yaml kubectl get pulsar -n "$NS" -o yaml
    capture custom-resources-describe.txt kubectl describe pulsar -n "$NS"
    capture workloads.txt kubectl get statefulsets,deployments,pods,persistentvolumeclaims,services,poddisruptionbudgets \
        -n "$NS" -o wide
    capture pods-describe.txt kubectl describe pods -n "$NS"
    capture events.txt kubectl get events -n "$NS" --sort-by=.lastTimestamp
    capture istio-objects.yaml kubectl get \
        peerauthentications,destinationrules,authorizationpolicies,gateways.networking.istio.io,virtualservices,serviceentries \
        -n "$NS" -o yaml
    capture istio-system.txt kubectl get pods,daemonsets,deployments -n istio-system -o wide
    capture istiod.log kubectl logs -n istio-system deployment/istiod --tail=1000 --timestamps
    capture ztunnel.log kubectl logs -n istio-system daemonset/ztunnel --tail=1000 --timestamps
    capture istio-cni.log kubectl logs -n istio-system daemonset/istio-cni-node --tail=1000 --timestamps
    local pod
    for pod in $(kubectl get pods -n "$NS" -o name 2>/dev/null); do
        capture "pod-logs/${pod#pod/}.log" kubectl logs -n "$NS" "$pod" --all-containers --prefix --tail=1000 --timestamps
        capture "pod-logs/${pod#pod/}-previous.log" kubectl logs -n "$NS" "$pod" --all-containers --prefix --tail=1000 \
            --timestamps --previous
    done
}

print_failure_summary() {
    log "FAILED: summary (full diagnostics in $artifacts)"
    kubectl get pulsar -n "$NS" -o wide || true
    kubectl get pods -n "$NS" -o wide || true
    echo "--- coordinator status.meshMigration"
    kubectl get pulsarcoordinator "$CLUSTER" -n "$NS" -o jsonpath='{.status.meshMigration}' || true
    echo
    echo "--- custom resources (describe)"
    kubectl describe pulsar -n "$NS" || true
    echo "--- events in $NS (last 60)"
    kubectl get events -n "$NS" --sort-by=.lastTimestamp 2>/dev/null | tail -n 60 || true
    echo "--- pods of istio-system and $OPERATOR_NS"
    kubectl get pods -n istio-system -o wide || true
    kubectl get pods -n "$OPERATOR_NS" -o wide || true
    echo "--- operator log (last 300 lines)"
    kubectl logs -n "$OPERATOR_NS" "deployment/$OPERATOR_DEPLOYMENT" --all-containers --tail=300 || true
}

on_exit() {
    local status=$?
    set +e
    if [ "$cluster_up" = true ]; then
        collect_diagnostics
        if [ "$status" -ne 0 ]; then
            print_failure_summary
        fi
    fi
    if [ "$created_cluster" = true ]; then
        if [ "$status" -eq 0 ] && [ "$E2E_KEEP_CLUSTER" != true ]; then
            log "Deleting kind cluster $KIND_CLUSTER_NAME"
            kind delete cluster --name "$KIND_CLUSTER_NAME"
        else
            log "Kept kind cluster $KIND_CLUSTER_NAME: kind export kubeconfig --name $KIND_CLUSTER_NAME;" \
                "remove it with kind delete cluster --name $KIND_CLUSTER_NAME"
        fi
    fi
    rm -rf "$work"
    if [ "$status" -eq 0 ]; then
        log "End-to-end test passed"
    else
        log "End-to-end test failed (exit $status)"
    fi
    exit "$status"
}
trap on_exit EXIT

# Prints where the cluster stands, between two waits.
progress() {
    kubectl get pulsar -n "$NS" 2>&1 || true
    kubectl get pods -n "$NS" -o wide 2>&1 || true
}

# wait_for SECONDS RESOURCE CONDITION: kubectl wait in slices of a minute, printing progress between them.
wait_for() {
    local timeout=$1 resource=$2 condition=$3 out
    local deadline=$((SECONDS + timeout))
    log "Waiting up to ${timeout}s for $resource in $NS: $condition"
    while :; do
        if out=$(kubectl wait -n "$NS" "$resource" --for="$condition" --timeout=60s 2>&1); then
            echo "$out"
            return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "$out"
            echo "e2e: timed out after ${timeout}s waiting for $resource: $condition" >&2
            return 1
        fi
        echo "--- still waiting ($((deadline - SECONDS))s left): ${out##*$'\n'}"
        progress
    done
}

# Per pod of the cluster that is running and not being deleted: name, istio.io/dataplane-mode label and Istio's
# sidecar.istio.io/status annotation (set by the injector, empty without a sidecar), tab-separated.
pod_mesh_state() {
    kubectl get pods -n "$NS" -l "$POD_SELECTOR" --field-selector=status.phase!=Succeeded,status.phase!=Failed \
        -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.metadata.labels.istio\.io/dataplane-mode}{"\t"}{.metadata.annotations.sidecar\.istio\.io/status}{"\t"}{.metadata.deletionTimestamp}{"\n"}{end}' \
        | awk -F'\t' '$4 == ""'
}

# expect_pods sidecar|ambient: every pod of the cluster is in the given data plane.
expect_pods() {
    local mode=$1 state bad
    state=$(pod_mesh_state)
    [ -n "$state" ] || fail "no pods with $POD_SELECTOR in $NS"
    echo "pods (name, istio.io/dataplane-mode, sidecar):"
    awk -F'\t' '{ printf "  %s\t%s\t%s\n", $1, ($2 == "" ? "-" : $2), ($3 == "" ? "no" : "yes") }' <<<"$state"
    if [ "$mode" = sidecar ]; then
        bad=$(awk -F'\t' '$3 == "" || $2 == "ambient" { print $1 }' <<<"$state")
    else
        bad=$(awk -F'\t' '$3 != "" || $2 != "ambient" { print $1 }' <<<"$state")
    fi
    [ -z "$bad" ] || fail "pods not in $mode mode: $(echo "$bad" | tr '\n' ' ')"
}

# --- Tools and image -------------------------------------------------------------------------------------------------

need kind
need kubectl
need istioctl
need docker
if [ -z "$IMAGE" ]; then
    need mvn
    IMAGE=$(hack/operator-image.sh)
fi
docker image inspect "$IMAGE" >/dev/null 2>&1 \
    || fail "image $IMAGE is not in the local docker; build it first (see the top of this script)"

log "Tools"
kind_version=$(kind version)
echo "$kind_version"
case "$kind_version" in
    "kind v0.32."*) ;;
    *) echo "warning: KIND_NODE_IMAGE defaults to an image built for kind v0.32; with another kind release set it" \
        "to one listed in that release's notes" ;;
esac
kubectl version --client
istioctl version --remote=false
docker version --format 'docker client {{.Client.Version}}, server {{.Server.Version}}'
echo "operator image: $IMAGE ($(docker image inspect --format '{{.Id}}' "$IMAGE"))"

# --- Cluster ---------------------------------------------------------------------------------------------------------

clusters=$(kind get clusters 2>/dev/null || true)
if grep -qx "$KIND_CLUSTER_NAME" <<<"$clusters"; then
    log "Reusing kind cluster $KIND_CLUSTER_NAME"
    kind export kubeconfig --name "$KIND_CLUSTER_NAME" --kubeconfig "$KUBECONFIG"
else
    log "Creating kind cluster $KIND_CLUSTER_NAME ($KIND_NODE_IMAGE)"
    created_cluster=true
    kind create cluster --name "$KIND_CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --kubeconfig "$KUBECONFIG" --wait 5m
fi
cluster_up=true
kubectl get nodes -o wide

# --- Istio -----------------------------------------------------------------------------------------------------------

# Sidecars request little, so that the cluster fits one node; everything else is the ambient profile as it is.
log "Installing Istio, profile ambient"
istioctl install --skip-confirmation --set profile=ambient \
    --set values.global.proxy.resources.requests.cpu=10m \
    --set values.global.proxy.resources.requests.memory=64Mi
kubectl rollout status -n istio-system deployment/istiod --timeout=5m
kubectl rollout status -n istio-system daemonset/istio-cni-node --timeout=5m
kubectl rollout status -n istio-system daemonset/ztunnel --timeout=5m
istioctl version

# --- Operator --------------------------------------------------------------------------------------------------------

log "Loading $IMAGE into $KIND_CLUSTER_NAME"
kind load docker-image "$IMAGE" --name "$KIND_CLUSTER_NAME"

log "Installing the operator: kubectl apply --server-side -k kubernetes/"
existed=$(kubectl get deployment "$OPERATOR_DEPLOYMENT" -n "$OPERATOR_NS" --ignore-not-found -o name)
# --force-conflicts: on a reused cluster an earlier run's `kubectl set image` owns the image field.
kubectl apply --server-side --force-conflicts -k kubernetes/
deployed=$(kubectl get deployment "$OPERATOR_DEPLOYMENT" -n "$OPERATOR_NS" \
    -o jsonpath="{.spec.template.spec.containers[?(@.name==\"$OPERATOR_CONTAINER\")].image}")
if [ "$deployed" != "$IMAGE" ]; then
    echo "kubernetes/install names $deployed: kubectl set image to $IMAGE"
    kubectl set image -n "$OPERATOR_NS" "deployment/$OPERATOR_DEPLOYMENT" "$OPERATOR_CONTAINER=$IMAGE"
elif [ -n "$existed" ]; then
    # Same tag as before, possibly a newly loaded image: start a new pod so that it runs.
    kubectl rollout restart -n "$OPERATOR_NS" "deployment/$OPERATOR_DEPLOYMENT"
fi
for crd in "${CRDS[@]}"; do
    kubectl wait --for=condition=Established "crd/$crd" --timeout=2m
done
kubectl rollout status -n "$OPERATOR_NS" "deployment/$OPERATOR_DEPLOYMENT" --timeout=5m
kubectl get pods -n "$OPERATOR_NS" -o wide
kubectl get pods -n "$OPERATOR_NS" -l app.kubernetes.io/name=pulsar-mesh-operator \
    -o jsonpath='{range .items[*]}{.metadata.name}{": "}{.status.containerStatuses[0].image}{" "}{.status.containerStatuses[0].imageID}{"\n"}{end}'

# --- Example cluster with sidecars -----------------------------------------------------------------------------------

log "Creating the example cluster ($EXAMPLE, sized by hack/e2e/kind-size.yaml)"
mkdir -p "$work/cluster"
cp "$EXAMPLE" hack/e2e/kind-size.yaml "$work/cluster/"
cat >"$work/cluster/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(basename "$EXAMPLE")
patches:
  - path: kind-size.yaml
EOF
if [ -n "$(kubectl get namespace "$NS" --ignore-not-found -o name)" ]; then
    echo "deleting the namespace $NS of an earlier run"
    kubectl delete namespace "$NS" --timeout=10m
fi
kubectl create namespace "$NS"
kubectl apply --server-side -k "$work/cluster"

for resource in "${COMPONENTS[@]}" pulsarcoordinators; do
    wait_for "$READY_TIMEOUT" "$resource/$CLUSTER" condition=Ready
done
progress
log "Every pod runs with a sidecar"
expect_pods sidecar
echo "coordinator status.meshMigration.phase: $(kubectl get pulsarcoordinator "$CLUSTER" -n "$NS" \
    -o jsonpath='{.status.meshMigration.phase}')"

# --- Move to ambient -------------------------------------------------------------------------------------------------

log "Switching the coordinator to ambient"
kubectl patch pulsarcoordinator "$CLUSTER" -n "$NS" --type merge -p '{"spec":{"istio":{"dataplaneMode":"ambient"}}}'

deadline=$((SECONDS + MIGRATION_TIMEOUT))
log "Waiting up to ${MIGRATION_TIMEOUT}s for status.meshMigration.phase=Completed"
while :; do
    if kubectl wait -n "$NS" "pulsarcoordinator/$CLUSTER" --for=jsonpath='{.status.meshMigration.phase}'=Completed \
        --timeout=60s >/dev/null 2>&1; then
        break
    fi
    phase=$(kubectl get pulsarcoordinator "$CLUSTER" -n "$NS" -o jsonpath='{.status.meshMigration.phase}' 2>/dev/null \
        || true)
    echo "--- phase ${phase:-unknown}: $(kubectl get pulsarcoordinator "$CLUSTER" -n "$NS" \
        -o jsonpath='{.status.meshMigration.component} {.status.meshMigration.reason}: {.status.meshMigration.message}' \
        2>/dev/null || true)"
    if [ "$phase" = Refused ]; then
        fail "the migration was refused"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        fail "timed out after ${MIGRATION_TIMEOUT}s waiting for the migration to complete"
    fi
    progress
done
kubectl get pulsarcoordinator "$CLUSTER" -n "$NS" -o jsonpath='{.status.meshMigration}'
echo
target=$(kubectl get pulsarcoordinator "$CLUSTER" -n "$NS" -o jsonpath='{.status.meshMigration.target}')
[ "$target" = ambient ] || fail "status.meshMigration.target is '$target', expected ambient"

for resource in "${COMPONENTS[@]}" pulsarcoordinators; do
    wait_for "$READY_TIMEOUT" "$resource/$CLUSTER" condition=Ready
done
log "Every pod is ambient, without a sidecar"
expect_pods ambient
progress
kubectl get events -n "$NS" --field-selector involvedObject.kind=PulsarCoordinator --sort-by=.lastTimestamp
