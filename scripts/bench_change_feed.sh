#!/usr/bin/env bash
# The change-feed benchmark (docs/performance.md, "Change feed"): for 1 and
# for 16 watchers, REPS runs, each on a fresh server and database started
# like scripts/bench.sh does (WAL, synchronous=FULL, a temp directory under
# build/): mnrecords_bench logs sessions at 64 in flight while the watchers
# follow clinic demo with WatchChanges from its head (--watchers). Prints
# each run's change-feed lines, then the medians over the runs.
# Usage: scripts/bench_change_feed.sh [--reps=3] [--duration=8s]
#          [--warmup=2s] [--watchers="1 16"] [--server_bin=PATH]
#          [--bench_bin=PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=3 duration=8s warmup=2s watcher_counts="1 16"
server_bin=build/server/mnrecords_server
bench_bin=build/tests/loadgen/mnrecords_bench
for arg in "$@"; do
  case "$arg" in
    --reps=*) reps=${arg#*=} ;;
    --duration=*) duration=${arg#*=} ;;
    --warmup=*) warmup=${arg#*=} ;;
    --watchers=*) watcher_counts=${arg#*=} ;;
    --server_bin=*) server_bin=${arg#*=} ;;
    --bench_bin=*) bench_bin=${arg#*=} ;;
    *) echo "bench_change_feed.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

mkdir -p build
work=$(mktemp -d "$PWD/build/bench_cf.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
scripts/dev-config.sh "$work/dev.textproto" "$work/dev-tokens.sh" >/dev/null
# shellcheck disable=SC1091
source "$work/dev-tokens.sh"
echo "bench_change_feed.sh: $(nproc) CPU(s), $(date -u +%FT%TZ)," \
  "$reps run(s) of $warmup + $duration per watcher count"

for n in $watcher_counts; do
  for r in $(seq "$reps"); do
    rm -f "$work/port" "$work/db"*
    "$server_bin" --listen=127.0.0.1:0 --db="$work/db" \
      --config="$work/dev.textproto" --port_file="$work/port" \
      >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
    echo
    "$bench_bin" --server="127.0.0.1:$(cat "$work/port")" \
      --token="$MNREC_EHR_TOKEN" --admin_token="$MNREC_ADMIN_TOKEN" \
      --clinic=demo --mix=log_session:1 --in_flight=64 --watchers="$n" \
      --health_ceiling=false --server_pid="$server_pid" \
      --warmup="$warmup" --duration="$duration" \
      --label="watchers_${n}_run_$r" --json="$work/w$n-$r.json" |
      grep -E '^(mnrecords_bench|  log_session|  all|  generator|change feed|  changes|  delivery|  checks|  error)'
    kill -TERM "$server_pid" && wait "$server_pid"
    server_pid=""
  done
done

echo
echo "bench_change_feed.sh: medians over $reps run(s)"
python3 - "$work" "$reps" $watcher_counts <<'EOF'
import json, statistics, sys
work, reps, counts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for n in counts:
    runs = [json.load(open("%s/w%s-%d.json" % (work, n, r)))
            for r in range(1, reps + 1)]
    med = lambda f: statistics.median(f(j) for j in runs)
    cf = lambda j: j["change_feed"]
    print("%2s watcher(s): writes %.0f calls/s (p99 %.1f ms); changes "
          "received %.0f/s per watcher, %.0f/s in all; delivery - writer's "
          "reply p50 %.2f ms, p99 %.2f ms; delivery - commit_time p50 %.2f "
          "ms, p99 %.2f ms; missing %d, duplicates %d, cursor not "
          "increasing %d (summed over the runs)" % (
              n, med(lambda j: j["workload"]["calls_per_sec"]),
              med(lambda j: j["workload"]["latency"]["p99_ms"]),
              med(lambda j: cf(j)["changes_per_sec_per_watcher"]),
              med(lambda j: cf(j)["changes_per_sec_per_watcher"]
                  * cf(j)["watchers"]),
              med(lambda j: cf(j)["after_reply"]["p50_ms"]),
              med(lambda j: cf(j)["after_reply"]["p99_ms"]),
              med(lambda j: cf(j)["after_commit_time"]["p50_ms"]),
              med(lambda j: cf(j)["after_commit_time"]["p99_ms"]),
              sum(cf(j)["missing"] for j in runs),
              sum(cf(j)["duplicates"] for j in runs),
              sum(cf(j)["not_increasing"] for j in runs)))
EOF
