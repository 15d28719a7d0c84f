#!/usr/bin/env bash
# Routing's benchmark, as issue 5 asks: routing decisions per second (SOP rules, safety net and
# provider selection over 1,000 providers, in memory) next to the cost of decoding the assessment
# event in the same run; the whole in-memory change of a case; and, against a private real
# redis-server started here, the decision committed with its atomic capacity reservation (1 and 4
# workers) next to a bare Redis round trip (1 and 4 connections). Prints the figures; asserts nothing.
#
#   tools/loadgen/bench-routing.sh [extra Google Benchmark flags]
set -euo pipefail
PACT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PACT_ROOT
source "$PACT_ROOT/deploy/lib/build.sh"
cd "$PACT_ROOT"

deploy/bootstrap.sh >/dev/null
pact_build "$PACT_ROOT/build" -DPACT_BUILD_BENCHMARKS=ON -- routing_bench >/dev/null

run="$PACT_ROOT/.run/bench-routing"
export PACT_REDIS_STATE_DIR="$run/redis"
trap 'deploy/redis/redis.sh stop >/dev/null 2>&1 || true' EXIT
PACT_BENCH_REDIS_ADDRESS="$(deploy/redis/redis.sh start 2>/dev/null)"
export PACT_BENCH_REDIS_ADDRESS
build/services/routing/benchmarks/routing_bench --benchmark_counters_tabular=true "$@"
