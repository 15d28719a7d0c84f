#!/usr/bin/env bash
# Installs what the deployment checks need, into <cache>/deploy-tools (<cache> = $PACT_CACHE_DIR or
# <repo>/.cache), from the project's registries only; nothing is fetched while the checks run.
#   helm, kubeconform        go install (the Go module proxy), pinned versions
#   Kubernetes 1.30 schemas  the PyPI package kubernetes-validate, made standalone (k8s_schemas.py)
#   KEDA, ServiceMonitor     CRDs from the KEDA and Prometheus operator modules (Go module proxy)
#   docker-compose           Debian's package (deploy/packages/test.txt, installed by bootstrap.sh)
# Idempotent: a marker holding this script's hash skips a second run. Prints the tools folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${PACT_CACHE_DIR:-$root/.cache}"
tools="$cache/deploy-tools"
marker="$tools/.complete"

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VERSION=v1.30.0
KEDA_MODULE=github.com/kedacore/keda/v2@v2.16.1
PROMETHEUS_OPERATOR_MODULE=github.com/prometheus-operator/prometheus-operator@v0.79.2

want="$(cat "$here/install-tools.sh" "$here/k8s_schemas.py" | sha256sum | cut -d' ' -f1)"
if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then
  echo "$tools"
  exit 0
fi
say() { echo "deploy-tools: $*" >&2; }
mkdir -p "$cache" "$tools/bin"
[[ -f "$cache/.gitignore" ]] || printf '*\n' >"$cache/.gitignore"

command -v go >/dev/null || { say "go is missing (the machine's Go installs helm and kubeconform)"; exit 1; }
say "helm $HELM_VERSION and kubeconform $KUBECONFORM_VERSION (go install)"
GOBIN="$tools/bin" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
GOBIN="$tools/bin" go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" >&2

say "Kubernetes $KUBERNETES_VERSION schemas (PyPI kubernetes-validate $KUBERNETES_VALIDATE_VERSION)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pip_download() {  # the machine's CPython has pip; Debian's python3 may not
  local python
  for python in python3 /usr/bin/python3; do
    if "$python" -m pip --version >/dev/null 2>&1; then "$python" -m pip download --quiet --no-deps --dest "$work" "$@" >&2; return; fi
  done
  say "no pip found (python3 -m pip): cannot fetch $*"; return 1
}
pip_download "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
wheel="$(ls "$work"/kubernetes_validate-*.whl)"
python3 -m zipfile -e "$wheel" "$work/wheel" >&2
schemas="$tools/schemas"
rm -rf "$schemas"
/usr/bin/python3 "$here/k8s_schemas.py" core \
  "$work/wheel/kubernetes_validate/kubernetes-json-schema/$KUBERNETES_VERSION-local-strict" \
  "$schemas/$KUBERNETES_VERSION-standalone-strict" >&2

say "KEDA and ServiceMonitor CRD schemas (Go module proxy)"
module_dir() { (cd "$work" && go mod download -json "$1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'); }
keda="$(module_dir "$KEDA_MODULE")"
operator="$(module_dir "$PROMETHEUS_OPERATOR_MODULE")"
/usr/bin/python3 "$here/k8s_schemas.py" crd "$keda/config/crd/bases/keda.sh_scaledobjects.yaml" "$schemas/crds" >&2
/usr/bin/python3 "$here/k8s_schemas.py" crd "$keda/config/crd/bases/keda.sh_triggerauthentications.yaml" "$schemas/crds" >&2
/usr/bin/python3 "$here/k8s_schemas.py" crd \
  "$operator/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" "$schemas/crds" >&2

echo "$want" >"$marker"
echo "$tools"
