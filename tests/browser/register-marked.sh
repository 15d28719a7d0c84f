#!/usr/bin/env bash
# Registers one encounter through the real intake service with a canary marker in every personal
# field (names, birth place, document, phone, notes, need details, exact location), for the
# console's browser test: none of these may ever reach the console.
#   register-marked.sh --markers                     prints the markers, comma-separated
#   register-marked.sh N [NEED_TYPE] [EXERCISE]      registers encounter N (exercise: true|false) and
#                                                    prints its reference code
# PACT_CANARY_RUN_ID makes the markers unique per run; pactctl's PACT_* environment says where
# intake is and who registers.
set -euo pipefail
run_id="${PACT_CANARY_RUN_ID:?set PACT_CANARY_RUN_ID}"
markers=("CanaryGiven$run_id" "CanaryFamily$run_id" "CANARY-DOC-$run_id" "canary-phone-$run_id"
         "Canary note $run_id" "Canary place $run_id" "Canary need $run_id")
if [[ "${1:-}" == "--markers" ]]; then
  (IFS=,; echo "${markers[*]}")
  exit 0
fi
n="${1:?usage: register-marked.sh N [NEED_TYPE] [EXERCISE]}"
need="${2:-psychosocial_support}"
exercise="${3:-false}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
file="$(mktemp --suffix=.yaml)"
trap 'rm -f "$file"' EXIT
cat >"$file" <<YAML
reporter:
  sector: social_welfare
  jurisdiction: RS
  site: {site_id: presevo-rtc, municipality: Presevo}
person:
  given_name: ${markers[0]}
  family_name: ${markers[1]}
  date_of_birth: 1991-03-0$((n % 9 + 1))
  place_of_birth: ${markers[5]}
  age: {years: 35, certainty: stated}
  gender: female
  nationality: {status: known, country_code: AF}
  languages: [fa]
  companion_status: accompanied
  identifiers: [{type: passport, value: ${markers[2]}-$n}]
  contacts: [{type: phone, value: ${markers[3]}-$n}]
observed_indicator_ids: [ILO-AL-D1-01]
needs:
  - {type: $need, details: ${markers[6]}}
consent: {scopes: [services], method: verbal, informed_in_language: fa}
context:
  emergency_id: wb-2026-surge
  exact_location: {description: ${markers[5]}}
notes: ${markers[4]}
exercise: $exercise
YAML
# Prints the case's reference code (what the console shows), from "registered case <reference>".
PACT_SUBJECT=frontline-canary PACT_ORGANISATION=rs-csw-presevo PACT_ROLES=frontline,case_worker PACT_JURISDICTIONS=RS,MK \
  "$root/build/tools/pactctl/pactctl" register --file "$file" | sed -n 's/^registered case \([^ ]*\).*/\1/p'
