#!/usr/bin/env bash
# Smoke test of the first README command, non-interactive: the local run on the embedded default
# with a small surge exits 0, and its summary adds up (every arrival registered and screened, the
# NGOs' receiver reached, nothing lost or failed for good). Reuses the build (run-local.sh skips
# what is up to date).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
arrivals=60
bash "$root/deploy/run-local.sh" --exit --probes 20 --arrivals "$arrivals" --rate 30 --settle 40s \
  --summary-json "$summary" </dev/null
python3 - "$summary" "$arrivals" <<'PY'
import json, sys
summary, arrivals = json.load(open(sys.argv[1])), int(sys.argv[2])
cases, referrals, notes = summary["cases"], summary["referrals"], summary["notifications"]
problems = []
def expect(ok, what):
    if not ok: problems.append(what)
expect(cases["registered"] == arrivals, f"registered {cases['registered']} of {arrivals}")
expect(cases["refused"] == 0, f"{cases['refused']} registrations refused")
expect(cases["screened"] == arrivals, f"screened {cases['screened']} of {arrivals}")
expect(sum(cases["by_level"].values()) == arrivals, "every case has one level")
expect("not a victim" not in json.dumps(cases["by_level"]), "no level concludes someone is not a victim")
expect(cases["presumed_children"] > 0 and cases["urgent_medical"] > 0, "the mix has children and urgent medical needs")
expect(cases["with_referral"] > 0 and referrals["attempts"] >= cases["with_referral"], "cases were referred")
expect(cases["reached"] > 0, "referrals reached the NGOs' receiver")
expect(cases["reached"] >= cases["with_referral"] * 0.9, f"most referred cases reached someone ({cases['reached']} of {cases['with_referral']})")
expect(summary["end_to_end_ms"]["count"] == cases["reached"], "one latency per case reached")
first_news = notes["delivered_by_kind"].get("referral request", 0) + notes["delivered_by_kind"].get("escalation", 0)
expect(first_news >= cases["reached"], "referrals and escalations delivered")
expect(notes["delivered_by_kind"].get("referral request", 0) > 0, "providers got referral requests")
expect(notes["acknowledged"] > 0, "the receiver acknowledged some messages")
expect(notes["failed"] == 0, f"{notes['failed']} messages failed for good")
statuses = {s for by in referrals["by_service_type"].values() for s in by}
expect("accepted" in statuses and "rejected" in statuses, f"the receiver accepted and rejected some ({sorted(statuses)})")
if problems:
    print("local run smoke test failed:\n  " + "\n  ".join(problems))
    print(json.dumps(summary, indent=2))
    sys.exit(1)
print("local run smoke test passed:", json.dumps({"cases": cases, "end_to_end_ms": summary["end_to_end_ms"]}))
PY
