# Sourced by the run and test scripts: configures (once) and builds (incrementally) one build tree.
# Usage: pact_build BUILD_DIR [CMAKE_ARGS...] [-- TARGETS...]
pact_build() {
  local build_dir="$1"; shift
  local cmake_args=() targets=()
  while (($#)); do
    if [[ "$1" == "--" ]]; then shift; targets=("$@"); break; fi
    cmake_args+=("$1"); shift
  done
  if [[ ! -f "$build_dir/build.ninja" ]]; then
    cmake -S "$PACT_ROOT" -B "$build_dir" -G Ninja "${cmake_args[@]}" >"$build_dir.configure.log" 2>&1 \
      || { cat "$build_dir.configure.log"; return 1; }
  fi
  # Ninja skips what is up to date; two jobs fit the 2-core machines this runs on.
  cmake --build "$build_dir" --parallel "${PACT_BUILD_JOBS:-2}" ${targets:+--target "${targets[@]}"}
}
