#!/usr/bin/env bash
# Test: the Helm chart lints, renders and validates offline, and refuses what it must refuse.
#   helm lint --strict; helm template with the default values and each helm/pact/ci/*-values.yaml;
#   every rendered object against the Kubernetes 1.30 schemas (strict: no unknown fields) and the
#   KEDA ScaledObject / ServiceMonitor CRD schemas, with kubeconform; values that must fail do;
#   the situation read model renders as a single pod with its console reachable; the compose file
#   with Debian's docker-compose.
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
refuse "situation/replicas" --set situation.replicas=2
refuse "situation/autoscaling/mode" --set situation.autoscaling.mode=hpa
refuse "needs networkPolicy.consoleFrom" --set situation.console.ingress.enabled=true \
  --set situation.console.ingress.host=eoc.example.org
refuse "needs situation.console.ingress.host" --set situation.console.ingress.enabled=true \
  --set networkPolicy.enabled=false
refuse "situation/alerts/capacityServiceTypes" --set "situation.alerts.capacityServiceTypes={shelter}"

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

# Every service the chart knows is rendered with its Service; the situation read model runs as exactly
# one pod (it issues the CAP alerts): one replica, Recreate, no scaler, no budget; its console port is
# the one its configuration listens on, and the Service, the NetworkPolicy and the Ingress agree.
for rendered in "$work"/*.yaml; do
  /usr/bin/python3 - "$rendered" <<'PY' || fail "services or the situation singleton in $(basename "$rendered")"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
problems = []
deployments = by_kind.get("Deployment", {})
services = by_kind.get("Service", {})
for name in deployments:
    if name not in services:
        problems.append(f"Deployment {name} has no Service")
situation = [n for n in deployments if n.endswith("-situation")]
if len(situation) != 1:
    problems.append(f"expected one situation Deployment, found {situation}")
else:
    name = situation[0]
    spec = deployments[name]["spec"]
    if spec.get("replicas") != 1:
        problems.append(f"{name}: replicas {spec.get('replicas')}, not 1")
    if spec["strategy"]["type"] != "Recreate":
        problems.append(f"{name}: strategy {spec['strategy']}, not Recreate")
    scaled = [d["metadata"]["name"] for kind in ("HorizontalPodAutoscaler", "ScaledObject")
              for d in by_kind.get(kind, {}).values() if d["spec"]["scaleTargetRef"]["name"] == name]
    if scaled:
        problems.append(f"{name} is autoscaled by {scaled}")
    if name in by_kind.get("PodDisruptionBudget", {}):
        problems.append(f"{name} has a PodDisruptionBudget (one replica: it would block node drains)")
    container = spec["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    config = yaml.safe_load(next(d for n, d in by_kind["ConfigMap"].items() if n.endswith("-config"))["data"]["config.yaml"])
    listen = config["situation"]["console"]["listen"]
    if ports.get("console") != int(listen.rsplit(":", 1)[1]):
        problems.append(f"{name}: container port console {ports.get('console')} but the console listens on {listen}")
    if config["situation"]["console"].get("directory") != "/usr/share/pact/console":
        problems.append("situation.console.directory is not the image's /usr/share/pact/console")
    if not any(p["name"] == "console" for p in services[name]["spec"]["ports"]):
        problems.append(f"Service {name} has no console port")
    policy = by_kind.get("NetworkPolicy", {}).get(name + "-console")
    if by_kind.get("NetworkPolicy") and (policy is None or
            [p["port"] for rule in policy["spec"]["ingress"] for p in rule["ports"]] != [ports.get("console")]):
        problems.append(f"no NetworkPolicy opens {name}'s console port")
    for ingress in by_kind.get("Ingress", {}).values():
        backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
        if backend != {"name": name, "port": {"name": "console"}}:
            problems.append(f"Ingress {ingress['metadata']['name']} does not lead to {name}'s console: {backend}")
sys.exit("; ".join(problems) if problems else 0)
PY
done

if docker-compose -f "$root/deploy/compose/compose.yaml" config -q; then
  echo "compose file: valid (docker-compose $(docker-compose version --short))"
  # Every service the compose stack runs gets its certificate ({service}.crt) from make-secrets.sh.
  copied=" $(sed -n 's/^for service in \(.*\); do cp "\$pki\/\$service\.crt".*/\1/p' "$root/deploy/compose/make-secrets.sh") "
  for service in $(docker-compose -f "$root/deploy/compose/compose.yaml" config | /usr/bin/python3 -c '
import sys, yaml
for service in yaml.safe_load(sys.stdin)["services"].values():
    command = service.get("command") or []
    if command and command[0].startswith("pact-"):
        print(command[0].removeprefix("pact-"))'); do
    [[ "$copied" == *" $service "* ]] || fail "compose runs pact-$service but make-secrets.sh copies no $service.crt"
  done
else
  fail "docker-compose config"
fi
exit "$status"
