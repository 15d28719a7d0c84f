#!/usr/bin/env bash
# Test: the Helm chart lints, renders and validates offline, and refuses what it must refuse.
#   helm lint --strict; helm template with the default values and each helm/pact/ci/*-values.yaml;
#   every rendered object against the Kubernetes 1.30 schemas (strict: no unknown fields) and the
#   KEDA ScaledObject / ServiceMonitor CRD schemas, with kubeconform; values that must fail do;
#   the compose file with Debian's docker-compose.
# Tools come from deploy/validate/install-tools.sh (no network here).
# usage: validate-chart.sh [TOOLS_DIR]   (default <repo>/.cache/deploy-tools)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="${1:-${PACT_CACHE_DIR:-$root/.cache}/deploy-tools}"
helm="$tools/bin/helm"
kubeconform="$tools/bin/kubeconform"
chart="$root/helm/pact"
for tool in "$helm" "$kubeconform"; do
  [[ -x "$tool" ]] || { echo "missing $tool: run deploy/validate/install-tools.sh"; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

"$helm" lint --strict "$chart" --kube-version 1.30.0 || fail "helm lint --strict"
for values in "" "$chart"/ci/*-values.yaml; do
  name="$(basename "${values:-default-values.yaml}" .yaml)"
  if ! "$helm" template "check-$name" "$chart" --kube-version 1.30.0 ${values:+-f "$values"} >"$work/$name.yaml"; then
    fail "helm template with $name"
    continue
  fi
  echo "$name: $(grep -c '^kind:' "$work/$name.yaml") objects ($(grep '^kind:' "$work/$name.yaml" | sort | uniq -c | awk '{printf "%s %s, ", $1, $3}' | sed 's/, $//'))"
  "$kubeconform" -strict -summary -kubernetes-version 1.30.0 \
    -schema-location "$tools/schemas/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json" \
    -schema-location "$tools/schemas/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" \
    "$work/$name.yaml" || fail "kubeconform on $name"
done

# Values the chart must refuse, each with the reason it gives.
refuse() {
  local why="$1"; shift
  if output="$("$helm" template refused "$chart" --kube-version 1.30.0 "$@" 2>&1)"; then
    fail "accepted $* ($why)"
  elif ! grep -q -- "$why" <<<"$output"; then
    fail "refused $* without saying '$why': $output"
  else
    echo "refused as it must: $* ($why)"
  fi
}
refuse "value must be one of 'none', 'hpa'" --set intake.autoscaling.mode=keda
refuse "exceeds the topics' 12 partitions" --set screening.autoscaling.maxReplicas=12
refuse "additional properties 'bogus' not allowed" --set routing.bogus=1
refuse "'not' failed" --set kafka.properties.sasl\\.password=secret
refuse "allOf" --set routing.deadlineProfile=demo
refuse "directoryJson" --set routing.directory=file
refuse "hub/prefix" --set hub.prefix=Not_A_Prefix
refuse "diagnostics/autoscaling/mode" --set diagnostics.autoscaling.mode=hpa
refuse "needs networkPolicy.metricsFrom" --set serviceMonitor.enabled=true
refuse "needs networkPolicy.peerHubs" --set routing.peers.mk="MK @ mk-routing:50051"
refuse "passwordSecret" --set notification.email.smtpUrl=smtp://relay:587 --set notification.email.username=pact
refuse "kafka/properties/message.max.bytes" --set kafka.properties.message\\.max\\.bytes=20000000

# An HPA and a ScaledObject never scale the same Deployment.
for rendered in "$work"/*.yaml; do
  /usr/bin/python3 - "$rendered" <<'PY' || fail "two scalers on one Deployment in $(basename "$rendered")"
import sys, yaml
targets = {}
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if doc and doc["kind"] in ("HorizontalPodAutoscaler", "ScaledObject"):
        name = doc["spec"]["scaleTargetRef"]["name"]
        targets.setdefault(name, []).append(doc["kind"])
both = {name: kinds for name, kinds in targets.items() if len(kinds) > 1}
sys.exit(f"{both}" if both else 0)
PY
done

if docker-compose -f "$root/deploy/compose/compose.yaml" config -q; then
  echo "compose file: valid (docker-compose $(docker-compose version --short))"
else
  fail "docker-compose config"
fi
exit "$status"
