#!/usr/bin/env bash
# Installs everything the build, the tests and the local run need, from Debian bookworm packages
# and (for the Kafka broker) Maven Central. Idempotent: when everything is present it only checks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The package lists are shared with the container image (deploy/docker/Dockerfile).
read_packages() { sed -e 's/#.*//' "$@" | tr -s ' \n' '\n' | sed '/^$/d'; }
mapfile -t packages < <(read_packages "$here/packages/build.txt" "$here/packages/test.txt")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "bootstrap: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's redis-server package starts a system instance; the project runs its own on free ports.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
  service redis-server stop >/dev/null 2>&1 || true
else
  echo "bootstrap: Debian packages present"
fi

"$here/kafka/fetch-jars.sh"
