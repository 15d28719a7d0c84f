#!/usr/bin/env bash
# Test: the runtime image's package list (deploy/packages/runtime.txt) covers every shared library
# the binaries link. Each library `ldd` lists is mapped to its Debian package (dpkg -S); that
# package must be in the list or in the list's dependency closure (apt-cache depends --recurse),
# which is what `apt-get install` puts into the image. A library the image would lack fails here,
# not at a pod's start.
# usage: check-runtime-packages.sh BUILD_DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:?usage: check-runtime-packages.sh BUILD_DIR}"
binaries=(services/intake/pact-intake services/screening/pact-screening services/routing/pact-routing
          services/notification/pact-notification services/situation/pact-situation
          tools/diagnostics/pact-diagnostics tools/pactctl/pactctl)

mapfile -t listed < <(sed -e 's/#.*//' "$here/../packages/runtime.txt" | tr -s ' \n' '\n' | sed '/^$/d')
declare -A installed=()
while read -r package; do
  installed[${package%%:*}]=1
done < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
           --no-enhances "${listed[@]}" | grep -E '^[a-z0-9]')

owner_of() {  # usrmerge: dpkg may record /lib/... for what ldd finds in /usr/lib/... and vice versa
  local path="$1" candidate
  for candidate in "$path" "${path#/usr}" "/usr$path" "$(readlink -f "$path")"; do
    if dpkg -S "$candidate" >/dev/null 2>&1; then dpkg -S "$candidate" | head -1 | cut -d: -f1; return 0; fi
  done
  return 1
}

status=0
declare -A checked=()
for binary in "${binaries[@]}"; do
  [[ -x "$build/$binary" ]] || { echo "missing binary $build/$binary (build first)"; exit 1; }
  while read -r library; do
    [[ -n "${checked[$library]:-}" ]] && continue
    checked[$library]=1
    if ! package="$(owner_of "$library")"; then
      echo "FAIL: $binary links $library, which no Debian package owns"; status=1; continue
    fi
    if [[ -z "${installed[$package]:-}" ]]; then
      echo "FAIL: $binary links $library from package $package, missing from deploy/packages/runtime.txt"
      status=1
    fi
  done < <(ldd "$build/$binary" | awk '/=> \// {print $3}')
done
((status == 0)) && echo "runtime packages cover the ${#checked[@]} shared libraries of ${#binaries[@]} binaries"
exit "$status"
