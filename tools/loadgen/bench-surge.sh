#!/usr/bin/env bash
# The surge benchmark, as issue 7 asks: the whole job on this machine against a real Kafka 3.9
# broker and a real redis-server (both started here, fresh), the four services, the NGOs' webhook
# receiver and the surge simulator all co-located. Two runs of the local stack (deploy/run-local.sh
# pointed at the real broker and server, both fresh for each run):
#   1. the target rate for the duration: sustained registrations and cases reaching a provider
#      (registration sent -> first referral request delivered, signed, to the receiver), and whether
#      every case was screened and referred before the run stopped following it;
#   2. half the end-to-end rate sustained in run 1: the end-to-end latency percentiles.
# Each run starts with its own baseline, measured the same way on the same stack: round trips
# through gRPC, Kafka, a consumer and Redis (the diagnostics service, `pactctl check`). Standard
# SOP deadlines (hours) and a receiver that takes every message without answering, so the figures
# are the surge's own work, not reminders. Prints the figures and the CPU time per process; it
# asserts nothing (a benchmark, not a test).
#
#   tools/loadgen/bench-surge.sh [--rate 1000] [--seconds 60]
set -euo pipefail
PACT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$PACT_ROOT"
rate=1000
seconds=60
while (($#)); do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "usage: $0 [--rate 1000] [--seconds 60]" >&2; exit 2 ;;
  esac
done

run="$PACT_ROOT/.run/bench-surge"
export PACT_KAFKA_STATE_DIR="$run/kafka" PACT_REDIS_STATE_DIR="$run/redis"
# A broker tuned as in production (G1 with short pauses), not the fast-start settings of tests.
export PACT_KAFKA_JVM_OPTS="${PACT_KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=10}"
export PACT_KAFKA_HEAP_OPTS="${PACT_KAFKA_HEAP_OPTS:--Xms1g -Xmx1g}"
stop_infrastructure() {
  deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true
  deploy/redis/redis.sh stop >/dev/null 2>&1 || true
}
trap stop_infrastructure EXIT
bash deploy/run-local.sh --help >/dev/null  # fails early on a broken script, before the broker starts
deploy/bootstrap.sh >/dev/null
rm -rf "$run"
mkdir -p "$run"
infrastructure_cpu() {
  local ticks; ticks="$(getconf CLK_TCK)"
  for name in kafka redis; do
    local pid; pid="$(cat "$run/$name/$name.pid")"
    awk -v ticks="$ticks" -v name="$name" '{printf "  %-28s %8.1f s  (since it started)\n", name, ($14 + $15) / ticks}' \
      "/proc/$pid/stat"
  done
}
export PACT__LOGGING__LEVEL=warn  # info logs each request; at this rate that is a cost of its own

surge() {
  local label="$1" surge_rate="$2" arrivals kafka redis
  arrivals=$((surge_rate * seconds))
  echo "== $label: $arrivals arrivals at $surge_rate/s"
  # Fresh each run: a backlog left by the previous run would be measured too.
  stop_infrastructure
  rm -rf "$run/kafka" "$run/redis"
  kafka="$(deploy/kafka/kafka.sh start 2>/dev/null)"
  redis="$(deploy/redis/redis.sh start 2>/dev/null)"
  bash deploy/run-local.sh --kafka "$kafka" --redis "$redis" --exit --probes 2000 --arrivals "$arrivals" \
    --rate "$surge_rate" --settle 240s --answers off --deadlines standard --summary-json "$run/$label.json" \
    </dev/null | sed -n '/^End-to-end check/,/^  round trips/p;/^Cases/,/^$/p;/^Where the CPU/,/^$/p' ||
    echo "  (some arrivals were refused: the summary below says how many)"
  echo "Broker and Redis, CPU so far:"
  infrastructure_cpu
  python3 - "$run/$label.json" "$arrivals" "$seconds" <<'PY'
import json, sys
s, arrivals, seconds = json.load(open(sys.argv[1])), int(sys.argv[2]), float(sys.argv[3])
c, e = s["cases"], s["end_to_end_ms"]
print(f"  registrations {s['registrations']['per_second']:.0f}/s; {c['registered']} of {arrivals} registered, "
      f"{c['screened']} screened, {c['with_referral']} with a referral, {c['reached']} reached someone who must act (a provider, or a desk when none was eligible)")
print(f"  cases reaching someone who must act: {e['reached_per_second']:.0f}/s sustained (first registration sent to last case reached)")
print(f"  end to end: p50 {e['p50']:.0f} ms, p90 {e['p90']:.0f} ms, p99 {e['p99']:.0f} ms, max {e['max']:.0f} ms")
print(f"  refused: {c['refused']}; registered but not yet screened when the run stopped following: "
      f"{c['registered'] - c['screened']}")
PY
  echo
}

surge "target" "$rate"
# Half of what run 1 sustained end to end (not of the target: a rate the hub cannot sustain only
# measures the queue).
sustained="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['end_to_end_ms']['reached_per_second'])" \
  "$run/target.json")"
surge "half-sustained" "$(python3 -c "import sys; print(max(1, int(float(sys.argv[1]) / 2)))" "$sustained")"
