#!/usr/bin/env bash
# Intake's benchmark, as issues 3 and 4 ask: a real Kafka 3.9 broker and a real redis-server on this
# machine, two pact-intake processes on one hub (one without, one with screening guidance),
# pact-screening (consuming the case events, as in production) and the diagnostics echo service,
# all from the same build, and the load generator driving them in the same run:
#   1. echo baseline (trivial gRPC service, same load generator, same concurrency);
#   2. registrations as fast as they are answered (sustained throughput), without guidance;
#   3. registrations at half that rate (latency percentiles), once screening drained its backlog;
#   4. registrations with guidance (ScreeningService.Screen on each) as fast as they are answered,
#      and at half that rate, with screening assessing the case events at the same time;
# screening is paused (SIGSTOP) during 2 and 3, so that those measure intake alone;
# with intake's and screening's peak RSS and how fast screening assessed the case events.
# Prints the figures; it asserts nothing (a benchmark, not a test).
#
#   tools/loadgen/bench-intake.sh [--duration 20s] [--concurrency 64]
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

run="$PACT_ROOT/.run/bench-intake"
export PACT_KAFKA_STATE_DIR="$run/kafka" PACT_REDIS_STATE_DIR="$run/redis"
# A broker tuned as in production (G1 with short pauses, C2), not the fast-start settings of tests.
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
kafka="$(deploy/kafka/kafka.sh start 2>/dev/null)"
redis="$(deploy/redis/redis.sh start 2>/dev/null)"
build/tools/pactctl/pactctl topics create --bootstrap "$kafka" --hub bench >/dev/null
cat >"$run/hub.yaml" <<YAML
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
security:
  mode: development
intake:
  master_key_file: $run/master.key
  id_key_file: $run/id.key
  blind_index_key_file: $run/blind-index.key
YAML
cat >>"$run/hub.yaml" <<YAML
screening:
  catalogue_dirs: [$PACT_ROOT/reference/screening/catalogues]
  messages_file: $PACT_ROOT/reference/screening/messages.yaml
YAML
# Two intakes on the same hub: one registers without guidance, the other asks screening for it
# (ScreeningService.Screen with the production deadline) on every registration. Screening consumes
# the case events as in production.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
intake="127.0.0.1:$(free_port)"
screening="127.0.0.1:$(free_port)"
PACT__GRPC__LISTEN="$intake" \
  build/services/intake/pact-intake --config "$run/hub.yaml" --ready-file "$run/intake.ready" >"$run/intake.log" 2>&1 &
children+=($!)
intake_pid=$!
PACT__INTAKE__SCREENING_ADDRESS="$screening" \
  build/services/intake/pact-intake --config "$run/hub.yaml" --ready-file "$run/guided.ready" >"$run/guided.log" 2>&1 &
children+=($!)
guided_pid=$!
PACT__GRPC__LISTEN="$screening" PACT__SCREENING__INTAKE_ADDRESS="$intake" \
  build/services/screening/pact-screening --config "$run/hub.yaml" --ready-file "$run/screening.ready" \
  >"$run/screening.log" 2>&1 &
children+=($!)
screening_pid=$!
build/tools/diagnostics/pact-diagnostics --config "$run/hub.yaml" --ready-file "$run/echo.ready" >"$run/echo.log" 2>&1 &
children+=($!)
for f in intake guided screening echo; do for _ in $(seq 1 100); do [[ -s "$run/$f.ready" ]] && break; sleep 0.1; done; done
port_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['grpc_port'])" "$1"; }
guided="127.0.0.1:$(port_of "$run/guided.ready")"
echo_service="127.0.0.1:$(port_of "$run/echo.ready")"

# Screening assesses every case event from the topic. On this one machine it competes with the load
# for the two cores, so the runs wait for it to drain its backlog (and report how fast it did).
metrics_port="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['metrics_port'])" "$run/screening.ready")"
applied() {
  curl -s "http://127.0.0.1:$metrics_port/metrics" |
    awk '/^pact_consumer_records_total\{.*outcome="applied"/ {sum += $NF} END {printf "%d", sum}'
}
drain() {
  # Done when the count has not moved for 5 s after it started moving, or for 20 s if it never did
  # (a consumer resumed after SIGSTOP first rejoins its group). The rate counts from the last
  # sample before it moved.
  local start_count start_time last last_time now previous_time still=0
  start_count="$(applied)"; start_time="$(date +%s.%N)"; last="$start_count"; last_time="$start_time"
  previous_time="$start_time"
  for _ in $(seq 1 900); do
    sleep 1
    now="$(applied)"
    if [[ "$now" == "$last" ]]; then
      still=$((still + 1))
      previous_time="$(date +%s.%N)"
      if [[ "$last" != "$start_count" && $still -ge 5 ]] || [[ $still -ge 20 ]]; then break; fi
      continue
    fi
    if [[ "$last" == "$start_count" ]]; then start_time="$previous_time"; fi
    still=0; last="$now"; last_time="$(date +%s.%N)"; previous_time="$last_time"
  done
  awk -v a="$start_count" -v b="$last" -v t0="$start_time" -v t1="$last_time" 'BEGIN{
    if (b > a) printf "screening drained its backlog: %d assessment events in %.1f s = %.0f case events/s (%d assessed in total)\n", b - a, t1 - t0, (b - a) / (t1 - t0), b;
    else printf "screening had no backlog (%d case events assessed in total)\n", b }'
}
load() { build/tools/loadgen/pact-loadgen --concurrency "$concurrency" --warmup 3s "$@"; }

echo "machine: $(nproc) cores; kafka $kafka (real broker, KRaft), redis $redis; concurrency $concurrency, $duration per run"
echo_line="$(load --address "$echo_service" --target echo --duration "$duration")"
echo "$echo_line"
# Intake alone first: screening is paused (SIGSTOP) so it does not take the cores from intake; it
# assesses the backlog once resumed.
kill -STOP "$screening_pid"
register_line="$(load --address "$intake" --target register --duration "$duration")"
kill -CONT "$screening_pid"
echo "$register_line"
rate_of() { awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "calls/s") print $i}' <<<"$1"; }
echo_rate="$(rate_of "$echo_line")"
register_rate="$(rate_of "$register_line")"
drain
half="$(awk -v r="$register_rate" 'BEGIN{printf "%d", r / 2}')"
kill -STOP "$screening_pid"
half_line="$(load --address "$intake" --target register --duration "$duration" --rate "$half" --concurrency 512)"
kill -CONT "$screening_pid"
echo "${half_line/register   /register@$half/s}"
echo
awk -v e="$echo_rate" -v r="$register_rate" 'BEGIN{printf "intake sustained %.0f registrations/s = %.1f %% of the echo baseline (%.0f calls/s)\n", r, 100 * r / e, e}'
echo "p99 at half that rate: $(awk '{for (i = 1; i <= NF; i++) if ($i == "p99") print $(i+1), $(i+2)}' <<<"$half_line")"
echo "intake peak RSS: $(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$intake_pid/status")"
echo
drain
guided_line="$(load --address "$guided" --target register --duration "$duration")"
echo "${guided_line/register   /register+guidance}"
guided_rate="$(rate_of "$guided_line")"
awk -v e="$echo_rate" -v r="$guided_rate" -v p="$register_rate" 'BEGIN{printf "with screening guidance on every registration: %.0f registrations/s = %.1f %% of echo, %.0f %% of registrations without it\n", r, 100 * r / e, 100 * r / p}'
drain
guided_half="$(awk -v r="$guided_rate" 'BEGIN{printf "%d", r / 2}')"
guided_half_line="$(load --address "$guided" --target register --duration "$duration" --rate "$guided_half" --concurrency 512)"
echo "${guided_half_line/register   /register+guidance@$guided_half/s}"
echo "with guidance, p99 at half that rate (screening assessing the case events at the same time): $(awk '{for (i = 1; i <= NF; i++) if ($i == "p99") print $(i+1), $(i+2)}' <<<"$guided_half_line")"
grep -q '"screening guidance pending"' "$run/guided.log" &&
  echo "guidance pending (screening slower than the deadline) on $(grep -c '"screening guidance pending"' "$run/guided.log") registrations"
drain

echo "screening peak RSS: $(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$screening_pid/status")"
