#!/usr/bin/env bash
# What production security costs intake, measured in one run on this machine: a real Kafka 3.9
# broker and a real redis-server, the diagnostics echo service (the machine's baseline), and two
# pact-intake processes on one hub from the same build:
#   development: plaintext, identity from request metadata;
#   production:  TLS on the API port, a signed bearer token (EdDSA) verified on every call, the
#                shipped access policy, the per-person rate limit (200/s), as the chart runs it.
# Both write the audit trail (it is not optional). The load generator registers as 200 frontline
# workers (in production each with its own token, minted once and reused, as a client would).
# Runs, interleaved so drift on a shared machine hits both: development, production, development,
# production at full speed, then both at the same fixed rate for latency. Prints figures; asserts
# nothing (a benchmark, not a test).
#
#   tools/loadgen/bench-security.sh [--duration 20s] [--concurrency 64]
set -euo pipefail
PACT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PACT_ROOT
source "$PACT_ROOT/deploy/lib/build.sh"
cd "$PACT_ROOT"
duration=20s
concurrency=64
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    *) echo "usage: $0 [--duration 20s] [--concurrency 64]" >&2; exit 2 ;;
  esac
done

deploy/bootstrap.sh >/dev/null
pact_build "$PACT_ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

run="$PACT_ROOT/.run/bench-security"
export PACT_KAFKA_STATE_DIR="$run/kafka" PACT_REDIS_STATE_DIR="$run/redis"
export PACT_KAFKA_JVM_OPTS="${PACT_KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=10}"
export PACT_KAFKA_HEAP_OPTS="${PACT_KAFKA_HEAP_OPTS:--Xms1g -Xmx1g}"
children=()
cleanup() {
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true
  deploy/redis/redis.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
rm -rf "$run"
mkdir -p "$run"
for key in master id blind-index; do head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$run/$key.key"; done
bash deploy/security/make-local-pki.sh "$run/pki" >/dev/null
kafka="$(deploy/kafka/kafka.sh start 2>/dev/null)"
redis="$(deploy/redis/redis.sh start 2>/dev/null)"
build/tools/pactctl/pactctl topics create --bootstrap "$kafka" --hub bench >/dev/null
write_config() {  # file, security section
  cat >"$1" <<YAML
hub:
  prefix: bench
  jurisdictions: [RS, MK]
kafka:
  bootstrap_servers: $kafka
redis:
  address: $redis
logging:
  level: warn
metrics:
  listen: 127.0.0.1:0
$2
intake:
  master_key_file: $run/master.key
  id_key_file: $run/id.key
  blind_index_key_file: $run/blind-index.key
YAML
}
write_config "$run/development.yaml" "security:
  mode: development"
write_config "$run/production.yaml" "security:
  mode: production
  tls:
    certificate_file: $run/pki/{service}.crt
    private_key_file: $run/pki/{service}.key
    ca_file: $run/pki/ca.crt
  tokens:
    issuer: pact-bench
    public_keys_directory: $run/pki/token-keys
  policy_file: $PACT_ROOT/deploy/security/access-policy.yaml
  rate_limit:
    calls_per_second: 200
    burst: 400"
start() {  # name, config, binary
  "$3" --config "$2" --ready-file "$run/$1.ready" >"$run/$1.log" 2>&1 &
  children+=($!)
  for _ in $(seq 1 100); do [[ -s "$run/$1.ready" ]] && break; sleep 0.1; done
  [[ -s "$run/$1.ready" ]] || { echo "$1 did not start; see $run/$1.log" >&2; exit 1; }
}
start echo "$run/development.yaml" build/tools/diagnostics/pact-diagnostics
start development "$run/development.yaml" build/services/intake/pact-intake
start production "$run/production.yaml" build/services/intake/pact-intake
development_pid="${children[1]}"
production_pid="${children[2]}"
address_of() { echo "127.0.0.1:$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['grpc_port'])" "$run/$1.ready")"; }

load() { build/tools/loadgen/pact-loadgen --concurrency "$concurrency" --warmup 3s "$@"; }
load_development() {
  (unset PACT_CA_FILE PACT_TOKEN_SIGNING_KEY PACT_TOKEN_ISSUER PACT_TOKEN; load --address "$(address_of development)" --target register "$@")
}
load_production() {
  PACT_CA_FILE="$run/pki/ca.crt" PACT_TOKEN_SIGNING_KEY="$run/pki/token-signing/local-1.pem" PACT_TOKEN_ISSUER=pact-bench \
    load --address "$(address_of production)" --target register "$@"
}
rate_of() { awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "calls/s") print $i}' <<<"$1"; }
p_of() { awk -v p="$2" '{for (i = 1; i <= NF; i++) if ($i == p) print $(i+1), $(i+2)}' <<<"$1"; }

echo "machine: $(nproc) cores; kafka $kafka (real broker, KRaft), redis $redis; concurrency $concurrency, $duration per run"
echo_line="$(load --address "$(address_of echo)" --target echo --duration "$duration")"
echo "$echo_line"
rates_development=()
rates_production=()
for round in 1 2; do
  line="$(load_development --duration "$duration")"
  echo "${line/register   /register (development, round $round)}"
  rates_development+=("$(rate_of "$line")")
  line="$(load_production --duration "$duration")"
  echo "${line/register   /register (production, round $round)}"
  rates_production+=("$(rate_of "$line")")
done
best_development="$(printf '%s\n' "${rates_development[@]}" | sort -g | tail -1)"
best_production="$(printf '%s\n' "${rates_production[@]}" | sort -g | tail -1)"
fixed="$(awk -v r="$best_production" 'BEGIN{printf "%d", r / 2}')"
development_fixed="$(load_development --duration "$duration" --rate "$fixed" --concurrency 512)"
echo "${development_fixed/register   /register@$fixed/s (development)}"
production_fixed="$(load_production --duration "$duration" --rate "$fixed" --concurrency 512)"
echo "${production_fixed/register   /register@$fixed/s (production)}"
echo
awk -v e="$(rate_of "$echo_line")" -v d="$best_development" -v p="$best_production" 'BEGIN{
  printf "echo baseline %.0f calls/s; registrations, best of two: development %.0f/s (%.1f %% of echo), production %.0f/s (%.1f %% of echo)\n", e, d, 100 * d / e, p, 100 * p / e
  printf "production security keeps %.1f %% of development throughput\n", 100 * p / d }'
echo "p50 / p99 at $fixed/s: development $(p_of "$development_fixed" p50) / $(p_of "$development_fixed" p99), production $(p_of "$production_fixed" p50) / $(p_of "$production_fixed" p99)"
echo "peak RSS: development intake $(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$development_pid/status"), production intake $(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$production_pid/status")"
