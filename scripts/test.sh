#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs the packages,
# builds, and runs every test with CTest (unit, storage on SQLite and on
# PostgreSQL, integration against the real server, CLI, Python interop,
# install/find_package example), with a throwaway PostgreSQL server for the
# run (scripts/with-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
scripts/build.sh
scripts/with-postgres.sh \
  ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
