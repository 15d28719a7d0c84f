#!/usr/bin/env bash
# Builds the EOC console page into OUT_DIR: installs exactly the npm packages package-lock.json
# pins (npm ci, again only when the lock file changed) and runs Vite. Called by the build
# (web/CMakeLists.txt); the browser test uses the same node_modules (playwright-core).
#   web/build-console.sh OUT_DIR
set -euo pipefail
out="${1:?usage: build-console.sh OUT_DIR}"
cd "$(dirname "${BASH_SOURCE[0]}")/console"
stamp=node_modules/.pact-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
# Two build trees (build/, build-asan/) share node_modules: one at a time.
exec 9>"$(pwd)/.build.lock"
flock 9
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
PACT_CONSOLE_OUT_DIR="$out" node node_modules/vite/bin/vite.js build --logLevel warn
