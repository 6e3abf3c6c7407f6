#!/usr/bin/env bash
# Configures and builds mnrecords into ./build (RelWithDebInfo): every target,
# or only the targets named as arguments. MNRECORDS_WERROR=ON turns warnings
# into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMNRECORDS_WERROR="${MNRECORDS_WERROR:-OFF}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
