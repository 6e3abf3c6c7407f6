#!/usr/bin/env bash
# Performance at scale (docs/performance.md "Performance at scale"): seeds a 10,000- and
# a 1,000,000-session database once into a cache directory, then measures
# every read RPC, start-up, resident memory and the audit verification rate
# of the real mnrecords_server on both, side by side, in one run.
#
#   scripts/bench-scale.sh                 # build, seed if absent, measure
#   MNRECORDS_BENCH_DATA=/work/bench-data scripts/bench-scale.sh --iterations=500
#
# Environment: MNRECORDS_BENCH_DATA (cache dir, default
# ~/.cache/mnrecords-bench; a 1M-session database takes about 6 GB),
# BUILD_DIR (default build), SMALL_SESSIONS / LARGE_SESSIONS (10000 /
# 1000000). Extra arguments go to mnrecords_scale_bench. Each run appends
# its own audit events to the databases (the server audits every read).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
data=${MNRECORDS_BENCH_DATA:-$HOME/.cache/mnrecords-bench}
small=${SMALL_SESSIONS:-10000}
large=${LARGE_SESSIONS:-1000000}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j"$(nproc)" \
  --target mnrecords_server mnrecords_seed mnrecords_scale_bench
mkdir -p "$data"
for n in "$small" "$large"; do
  db="$data/sessions-$n-seed-1.db"
  if [ ! -f "$db" ]; then
    # Seed under a temporary name so an interrupted run leaves no
    # half-built database behind that a later run would measure.
    rm -f "$db.partial" "$db.partial.seed" "$db.partial-wal" "$db.partial-shm"
    "$build/tools/seed/mnrecords_seed" --db="$db.partial" --sessions="$n"
    mv "$db.partial.seed" "$db.seed"
    mv "$db.partial" "$db"
  fi
done
exec "$build/tests/scale/mnrecords_scale_bench" \
  --dbs="$data/sessions-$small-seed-1.db,$data/sessions-$large-seed-1.db" "$@"
