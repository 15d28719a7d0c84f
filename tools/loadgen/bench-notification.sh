#!/usr/bin/env bash
# Notification's benchmark, as issue 6 asks: webhook deliveries per second through the whole service
# (pact-routing for the directory and pact-notification as real processes, Kafka, Redis, signed
# POSTs to a local receiver) next to the transfer engine alone in the same run, then the p50/p99
# from referral event to delivery at a steady offered rate. Prints the figures; asserts nothing.
#
#   tools/loadgen/bench-notification.sh [referrals=20000] [rate=3000] [seconds=10]
#   PACT_TEST_KAFKA_BOOTSTRAP=host:port ... to use a real broker instead of the embedded one
set -euo pipefail
PACT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PACT_ROOT
source "$PACT_ROOT/deploy/lib/build.sh"
cd "$PACT_ROOT"

deploy/bootstrap.sh >/dev/null
pact_build "$PACT_ROOT/build" -DPACT_BUILD_BENCHMARKS=ON -- notification_load pact-notification pact-routing >/dev/null

run="$PACT_ROOT/.run/bench-notification"
export PACT_REDIS_STATE_DIR="$run/redis"
"$PACT_ROOT/deploy/redis/redis.sh" stop >/dev/null 2>&1 || true
rm -rf "$run"  # a fresh Redis each run: what earlier runs left would be measured too
trap '"$PACT_ROOT/deploy/redis/redis.sh" stop >/dev/null 2>&1 || true' EXIT
PACT_TEST_REDIS_ADDRESS="$(deploy/redis/redis.sh start 2>/dev/null)"
export PACT_TEST_REDIS_ADDRESS PACT_TEST_KAFKA_BOOTSTRAP="${PACT_TEST_KAFKA_BOOTSTRAP:-embedded}"
cd build && services/notification/benchmarks/notification_load "$@"
