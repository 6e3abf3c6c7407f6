#!/usr/bin/env bash
# The whole test suite again, built with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer, plus a bounded libFuzzer run of the request
# handlers (MNRECORDS_FUZZ_SECONDS, default 60), into ./build-asan.
# CI (.ci/run) runs it after the normal suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
# -O1 with line tables only: reports keep file:line, and the build takes a
# fraction of the time -O2 -g does (tests/ drops to -O0 under the sanitizer).
# No benchmarks: the normal build smoke-runs them, and under the sanitizers
# they would measure nothing.
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DMNRECORDS_SANITIZE=ON -DMNRECORDS_FUZZ=ON -DMNRECORDS_BUILD_BENCHMARKS=OFF \
  -DMNRECORDS_FUZZ_SECONDS="${MNRECORDS_FUZZ_SECONDS:-60}" \
  -DMNRECORDS_WERROR="${MNRECORDS_WERROR:-OFF}" >/dev/null
cmake --build build-asan -j"$(nproc)"
# detect_leaks: the libraries' own process-lifetime singletons are not leaks
# of ours, but anything else is; halt on the first report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
scripts/with-postgres.sh \
  ctest --test-dir build-asan --output-on-failure -j"$(nproc)" --timeout 900
