#!/usr/bin/env bash
# ctest entry of the EOC console's browser test: the local run (four services, the situation read
# model, the stand-in NGOs) on the real Kafka broker and redis-server that deploy/test-all.sh
# started, a small surge, then tests/browser/drive-console.sh while the stack is up: Playwright
# drives Debian's Chromium through the page, and no canary marker may reach any console answer.
# Screenshots and the answers read are kept in build/test-artifacts/console.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${PACT_TEST_KAFKA_BOOTSTRAP:?the real broker (deploy/test-all.sh starts it)}"
: "${PACT_TEST_REDIS_ADDRESS:?the real redis-server (deploy/test-all.sh starts it)}"
[[ -x "${PACT_CHROMIUM:-/usr/bin/chromium}" ]] || { echo "no Chromium: deploy/bootstrap.sh installs Debian's chromium" >&2; exit 1; }
[[ -d "$root/web/console/node_modules/playwright-core" ]] || { echo "no playwright-core: the build runs npm ci in web/console" >&2; exit 1; }
export PACT_ARTIFACT_DIR="$root/build/test-artifacts/console"
rm -rf "$PACT_ARTIFACT_DIR"
bash "$root/deploy/run-local.sh" --kafka "$PACT_TEST_KAFKA_BOOTSTRAP" --redis "$PACT_TEST_REDIS_ADDRESS" \
  --probes 10 --arrivals 60 --rate 30 --settle 20s --then "bash $root/tests/browser/drive-console.sh" </dev/null
