#!/usr/bin/env bash
# Configures and builds mnrecords into ./build (RelWithDebInfo).
# MNRECORDS_WERROR=ON turns warnings into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMNRECORDS_WERROR="${MNRECORDS_WERROR:-OFF}" >/dev/null
cmake --build build -j"$(nproc)"
