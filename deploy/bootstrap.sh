#!/usr/bin/env bash
# Installs everything the build, the tests and the local run need, from Debian bookworm packages
# and (for the Kafka broker) Maven Central. Idempotent: when everything is present it only checks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  golang-github-gogo-googleapis-dev
  librdkafka-dev libhiredis-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libsodium-dev libcurl4-openssl-dev libcpp-httplib-dev libyaml-cpp-dev nlohmann-json3-dev
  prometheus-cpp-dev libicu-dev libssl-dev zlib1g-dev
  redis-server redis-tools kcat
  openjdk-17-jre-headless maven
  python3 python3-aiosmtpd curl procps
)

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
