#!/usr/bin/env bash
# The console's browser test against the real services: runs inside `deploy/run-local.sh --then`
# (the four services, the situation read model and the stand-in NGOs up, a surge just done), with
# the stack's addresses in the environment. It registers encounters whose personal fields hold
# canary markers, runs the Playwright test (tests/browser/console.test.mjs) on Debian's Chromium,
# then reads every console endpoint itself (the live stream included) and fails if a marker shows
# up in any answer. Artefacts (screenshots, the answers read) go to PACT_ARTIFACT_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
pactctl="$root/build/tools/pactctl/pactctl"
artifacts="${PACT_ARTIFACT_DIR:-$root/build/test-artifacts/console}"
mkdir -p "$artifacts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Unique per run, so an earlier run's data cannot make the check pass or fail.
export PACT_CANARY_RUN_ID
PACT_CANARY_RUN_ID="$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
register="$root/tests/browser/register-marked.sh"
export PACT_CANARY_MARKERS
PACT_CANARY_MARKERS="$("$register" --markers)"
IFS=, read -r -a markers <<<"$PACT_CANARY_MARKERS"

cases_counted() {
  curl -sSf -H "Authorization: Bearer $PACT_CONSOLE_TOKEN" "${PACT_CONSOLE_BASE}api/situation" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"]["total"]["value"])'
}
before="$(cases_counted)"
echo "browser test: registering encounters with canary markers ($PACT_CANARY_RUN_ID); the console counts $before cases"
for n in 1 2 3; do "$register" "$n" >/dev/null; done
for n in 4 5 6 7 8; do "$register" "$n" psychosocial_support true >/dev/null; done  # a drill beside the real picture
# The page's "one more case" step needs a settled count: wait until the read model has all three.
for _ in $(seq 1 120); do
  cases_now="$(cases_counted)"
  ((cases_now >= before + 3)) && break
  sleep 0.5
done
echo "browser test: the console counts $cases_now cases"
((cases_now == before + 3)) || { echo "browser test: expected $((before + 3)) cases, the console counts $cases_now" >&2; exit 1; }

# The escalation the page must show: every shelter in Serbia full, then a woman who needs one.
cat >"$work/escalate.sh" <<SCRIPT
set -euo pipefail
for service in rs-safe-haven-women rs-safe-haven-children rs-safe-haven-adults; do
  PACT_SUBJECT=directory-admin PACT_ORGANISATION=pact-hub PACT_ROLES=directory_admin PACT_JURISDICTIONS=RS \
    "$pactctl" directory capacity "\$service" --available 0 >/dev/null
done
"$register" 99 shelter >"$work/escalation.reference"
SCRIPT

export PACT_ARTIFACT_DIR="$artifacts" PACT_EXPECT_MIN_CASES="$cases_now"
export PACT_ADD_CASE_CMD="$register 50 >/dev/null" PACT_ESCALATION_REFERENCE_FILE="$work/escalation.reference"
export PACT_ESCALATE_CMD="bash $work/escalate.sh"
node --test --test-reporter=spec tests/browser/console.test.mjs

# Every answer the console gives, read directly: the page, its assets, the API, the CAP documents
# and ten seconds of the live stream. No marker may be in any of them.
echo "browser test: canary check of every console answer"
auth=(-H "Authorization: Bearer $PACT_CONSOLE_TOKEN")
answers="$artifacts/answers"
mkdir -p "$answers"
curl -sSf "${PACT_CONSOLE_BASE}" -o "$answers/index.html"
grep -o 'assets/[^"]*' "$answers/index.html" | sort -u | while read -r asset; do
  curl -sSf "${PACT_CONSOLE_BASE}$asset" -o "$answers/$(basename "$asset")"
done
for exercise in false true; do
  curl -sSf "${auth[@]}" "${PACT_CONSOLE_BASE}api/situation?exercise=$exercise" -o "$answers/situation-$exercise.json"
  curl -sSf "${auth[@]}" "${PACT_CONSOLE_BASE}api/alerts?exercise=$exercise&include_cleared=true" -o "$answers/alerts-$exercise.json"
  curl -s "${auth[@]}" --max-time 10 "${PACT_CONSOLE_BASE}api/situation/stream?exercise=$exercise" \
    -o "$answers/stream-$exercise.txt" || true
done
python3 - "$answers" <<'PY'
import json, sys, os
answers = sys.argv[1]
alerts = json.load(open(os.path.join(answers, "alerts-false.json")))["alerts"]
print(f"browser test: {len(alerts)} CAP alerts issued in the real picture")
PY
for identifier in $(python3 -c 'import json,sys; [print(a["identifier"]) for a in json.load(open(sys.argv[1]))["alerts"]]' \
                    "$answers/alerts-false.json"); do
  # An alert superseded since the list was read answers 404 (its message is on the alert topic).
  curl -sS "${auth[@]}" "${PACT_CONSOLE_BASE}api/alerts/$identifier.xml" -o "$answers/$identifier.xml"
done
found=0
for marker in "${markers[@]}"; do
  if grep -rlF -- "$marker" "$answers" >/dev/null; then
    echo "browser test: marker '$marker' found in: $(grep -rlF -- "$marker" "$answers" | tr '\n' ' ')" >&2
    found=1
  fi
done
grep -q '"situation"' "$answers/stream-false.txt" || grep -q 'event: situation' "$answers/stream-false.txt" ||
  { echo "browser test: the live stream sent no picture" >&2; exit 1; }
((found == 0)) || exit 1
echo "browser test: no marker in $(find "$answers" -type f | wc -l) console answers"
