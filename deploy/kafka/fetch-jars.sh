#!/usr/bin/env bash
# Fetches the Apache Kafka 3.9.x broker + tools jars and their runtime dependencies (pom.xml beside
# this script) from Maven Central with Maven into <cache>/kafka-3.9.x/libs, where
# <cache> = $PACT_CACHE_DIR or <repo>/.cache. Maven's local repository is ~/.m2 (or
# $PACT_MAVEN_REPO_LOCAL). Idempotent: when the marker written after a complete copy matches the
# current pom.xml it only says so. Prints one line (libs path on it); Maven's output goes to a log.
#
# Usage: deploy/kafka/fetch-jars.sh [--print-libs]   (--print-libs: only print the libs folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${PACT_CACHE_DIR:-$root/.cache}"
base="$cache/kafka-3.9.x"
libs="$base/libs"
marker="$base/.complete"
pom="$here/pom.xml"

if [[ "${1:-}" == "--print-libs" ]]; then echo "$libs"; exit 0; fi

want="$(sha256sum "$pom" | cut -d' ' -f1)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom" | head -1)"

present() { [[ -f "$marker" && "$(head -1 "$marker")" == "$want" && -d "$libs" ]]; }
count() { find "$libs" -maxdepth 1 -name '*.jar' | wc -l; }

if present; then
  echo "kafka jars: present (kafka $version, $(count) jars) in $libs"
  exit 0
fi

mkdir -p "$base"
# the cache is never committed, whether or not the repo's .gitignore lists it
[[ -f "$cache/.gitignore" ]] || printf '*\n' >"$cache/.gitignore"

exec 9>"$base/.lock"
flock 9   # one fetch at a time (parallel test runs, bootstrap + kafka.sh start)
if present; then
  echo "kafka jars: present (kafka $version, $(count) jars) in $libs"
  exit 0
fi

for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "kafka jars: '$tool' not found (run deploy/bootstrap.sh)" >&2; exit 1; }
done

t0=$SECONDS
tmp="$base/libs.tmp.$$"
log="$base/fetch.log"
rm -rf "$tmp"
mvn_args=(-B -q -ntp -f "$pom" dependency:copy-dependencies
  -DincludeScope=runtime -DoutputDirectory="$tmp" -Dmdep.overWriteIfNewer=true)
[[ -n "${PACT_MAVEN_REPO_LOCAL:-}" ]] && mvn_args+=("-Dmaven.repo.local=$PACT_MAVEN_REPO_LOCAL")
if ! mvn "${mvn_args[@]}" >"$log" 2>&1; then
  rm -rf "$tmp"
  echo "kafka jars: Maven failed (full log: $log); last lines:" >&2
  tail -n 25 "$log" >&2
  exit 1
fi

# sanity: the classes kafka.sh runs must be there
for jar in "kafka_2.13-$version.jar" "kafka-tools-$version.jar" "kafka-clients-$version.jar" reload4j-*.jar slf4j-reload4j-*.jar; do
  compgen -G "$tmp/$jar" >/dev/null || { echo "kafka jars: $jar missing after Maven copy (log: $log)" >&2; rm -rf "$tmp"; exit 1; }
done

rm -f "$marker"
rm -rf "$libs"
mv "$tmp" "$libs"
printf '%s\nkafka %s\n' "$want" "$version" >"$marker"
echo "kafka jars: fetched kafka $version ($(count) jars) in $((SECONDS - t0))s into $libs"
