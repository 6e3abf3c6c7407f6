#!/usr/bin/env bash
# The performance benchmark in one command (docs/performance.md): builds
# mnrecords_server and mnrecords_bench, starts the real server with durable
# commits (WAL, synchronous=FULL) on a fresh database in a temp directory
# under build/ (the disk the database would live on; not a tmpfs), with a
# development config made by scripts/dev-config.sh, and runs the scenarios
# of docs/performance.md, each followed in the same run by the health-Check ceiling at
# the same concurrency (and the first by the raw SQLite ceiling):
#   1. LogSession, 64 calls in flight;
#   2. the mix 40% LogSession, 30% course summary, 20% consent history,
#      10% RecordConsent, 64 in flight;
#   3. LogSession from a single client (1 in flight).
# Usage: scripts/bench.sh [--duration=10s] [--warmup=2s] [--in_flight=64]
#          [--server_bin=PATH] [--bench_bin=PATH] [--json_dir=DIR]
#          [--server_args='--max_calls_in_flight=128 ...'] [--smoke]
#   --server_bin/--bench_bin: use these binaries, build nothing (e.g. to
#   compare two server builds); --json_dir: keep each scenario's JSON there;
#   --server_args: extra mnrecords_server flags (to compare settings);
#   --smoke: about a second per scenario, 8 in flight, then check the
#   output is complete and error-free (the ctest bench.loadgen_smoke; it
#   asserts nothing about speed).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10s warmup=2s in_flight=64 patients=256 storage=3s
server_bin="" bench_bin="" json_dir="" server_args="" smoke=0
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration=${arg#*=} ;;
    --warmup=*) warmup=${arg#*=} ;;
    --in_flight=*) in_flight=${arg#*=} ;;
    --server_bin=*) server_bin=${arg#*=} ;;
    --bench_bin=*) bench_bin=${arg#*=} ;;
    --json_dir=*) json_dir=${arg#*=} ;;
    --server_args=*) server_args=${arg#*=} ;;
    --smoke) smoke=1 ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ]; then
  duration=1s warmup=0.3s in_flight=8 patients=8 storage=0.3s
fi
if [ -z "$server_bin" ] || [ -z "$bench_bin" ]; then
  scripts/install-deps.sh
  scripts/build.sh mnrecords_server mnrecords_bench
  server_bin=${server_bin:-build/server/mnrecords_server}
  bench_bin=${bench_bin:-build/tests/loadgen/mnrecords_bench}
fi

mkdir -p build
work=$(mktemp -d "$PWD/build/bench.XXXXXX")
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
"$server_bin" --listen=127.0.0.1:0 --db="$work/bench.db" \
  --config="$work/dev.textproto" --port_file="$work/port" $server_args \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/server.log"; echo "bench.sh: server did not start" >&2; exit 1; }
echo "bench.sh: $(basename "$server_bin") ${server_args:+$server_args }pid $server_pid on port $(cat "$work/port"), database $work/bench.db; $(nproc) CPU(s), $(date -u +%FT%TZ)"

run() {  # run LABEL [mnrecords_bench flags...]
  local label=$1
  shift
  echo
  "$bench_bin" --server="127.0.0.1:$(cat "$work/port")" \
    --token="$MNREC_EHR_TOKEN" --admin_token="$MNREC_ADMIN_TOKEN" \
    --clinic=demo --server_pid="$server_pid" --label="$label" \
    --warmup="$warmup" --duration="$duration" --patients="$patients" \
    --json="$work/$label.json" "$@" | tee -a "$work/out.txt"
  if [ -n "$json_dir" ]; then mkdir -p "$json_dir" && cp "$work/$label.json" "$json_dir/"; fi
}
run log_session --mix=log_session:1 --in_flight="$in_flight" \
  --db_dir="$work" --storage_duration="$storage"
run mixed --mix=log_session:40,course_summary:30,consent_history:20,record_consent:10 \
  --in_flight="$in_flight"
run single_client --mix=log_session:1 --in_flight=1 --channels=1

if [ "$smoke" = 1 ]; then
  fail() { echo "bench smoke: FAILED: $1"; exit 1; }
  [ "$(grep -c 'ratio to the empty-RPC ceiling' "$work/out.txt")" = 3 ] || fail "ceiling ratios missing"
  grep -q '1 row per transaction' "$work/out.txt" || fail "storage ceiling missing"
  for rpc in log_session course_summary consent_history record_consent health_check; do
    grep -Eq "^  $rpc +[0-9]+ +[0-9.]+ " "$work/out.txt" || fail "no figures for $rpc"
  done
  if grep -q '^  error ' "$work/out.txt"; then fail "calls failed (see above)"; fi
  kill -TERM "$server_pid" && wait "$server_pid" || fail "server did not stop cleanly"
  server_pid=""
  echo "bench smoke: OK"
fi
