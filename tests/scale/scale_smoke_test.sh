#!/usr/bin/env bash
# CI smoke test of the scale benchmark: seeds two small databases and runs
# mnrecords_scale_bench briefly on them. It asserts that the benchmark runs
# and prints its figures, never a speed.
#   scale_smoke_test.sh MNRECORDS_SEED MNRECORDS_SCALE_BENCH
set -euo pipefail
seed=$1
bench=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$seed" --db="$tmp/small.db" --sessions=500 --quiet
"$seed" --db="$tmp/larger.db" --sessions=2000 --quiet
"$bench" --dbs="$tmp/small.db,$tmp/larger.db" --work_dir="$tmp" \
  --iterations=5 --coverage_iterations=2 --warmup=1 --verify_runs=1 \
  --startups=1 --load_threads=2 --load_seconds=0.5 | tee "$tmp/out.txt"
for expected in "start-up to SERVING" "GetSession" "GetConsentCoverage" \
    "VerifyAuditLog (whole log)" "memory under load" "p50 ratio" \
    "coverage report, one clinic-month" "VerifyAuditLog: "; do
  if ! grep -qF "$expected" "$tmp/out.txt"; then
    echo "missing from the benchmark's output: $expected" >&2
    exit 1
  fi
done
