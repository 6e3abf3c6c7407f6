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
#   3. LogSession from a single client (1 in flight);
#   4. LogSession into a course that already holds 1,000 sessions against
#      one into a course of 1 session (course_1000, course_1: 8 in flight,
#      each slot its own course; no health ceiling), and one line comparing
#      the two;
#   5. LogSession from 64 clinics at once (clinics_64: 64 in flight, slot s
#      writing in clinic demo-(s % 64)), as principals in demo-0..demo-63
#      added to the config with tokens made for this run only.
# Usage: scripts/bench.sh [--duration=10s] [--warmup=2s] [--in_flight=64]
#          [--server_bin=PATH] [--bench_bin=PATH] [--json_dir=DIR]
#          [--server_args='--max_calls_in_flight=128 ...']
#          [--before_bin=PATH [--before_args='--max_threads=64 ...']]
#          [--smoke]
#   --server_bin/--bench_bin: use these binaries, build nothing (e.g. to
#   compare two server builds); --json_dir: keep each scenario's JSON there;
#   --server_args: extra mnrecords_server flags (to compare settings);
#   --before_bin: also run scenario 1 against this (older) server build,
#   started the same way on a fresh database of its own right after the
#   current one, and print both figures with their ratio (--server_args
#   are not passed to it: give its own with --before_args);
#   --smoke: about a second per scenario, 8 in flight, 20-session courses,
#   8 clinics, then check the output is complete and error-free (the ctest
#   bench.loadgen_smoke; it asserts nothing about speed).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10s warmup=2s in_flight=64 patients=256 storage=3s
course_big=1000 clinics=64
server_bin="" bench_bin="" json_dir="" server_args="" smoke=0
before_bin="" before_args=""
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration=${arg#*=} ;;
    --warmup=*) warmup=${arg#*=} ;;
    --in_flight=*) in_flight=${arg#*=} ;;
    --server_bin=*) server_bin=${arg#*=} ;;
    --bench_bin=*) bench_bin=${arg#*=} ;;
    --json_dir=*) json_dir=${arg#*=} ;;
    --server_args=*) server_args=${arg#*=} ;;
    --before_bin=*) before_bin=${arg#*=} ;;
    --before_args=*) before_args=${arg#*=} ;;
    --smoke) smoke=1 ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ]; then
  duration=1s warmup=0.3s in_flight=8 patients=8 storage=0.3s
  course_big=20 clinics=8
fi
if [ -n "$before_bin" ] && [ ! -x "$before_bin" ]; then
  echo "bench.sh: --before_bin=$before_bin is not an executable" >&2
  exit 2
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

# add_principal ID ROLE: appends a principal in clinics demo-0..demo-63 with
# a fresh random token to the config, and prints the token (kept only in
# this script's variables: it is written nowhere).
add_principal() {
  local token
  token=$(openssl rand -hex 24)
  {
    echo "principals {"
    echo "  id: \"$1\""
    echo "  display_name: \"Benchmark $2 in 64 clinics\""
    echo "  role: $2"
    for c in $(seq 0 63); do echo "  clinics: \"demo-$c\""; done
    echo "  token_sha256: \"$(printf %s "$token" | sha256sum | cut -d' ' -f1)\""
    echo "}"
  } >>"$work/dev.textproto"
  echo "$token"
}
clinics_ehr_token=$(add_principal bench-ehr-64-clinics ROLE_EHR_SYSTEM)
clinics_admin_token=$(add_principal bench-admin-64-clinics ROLE_ADMIN)

# start_server BIN DB NAME [FLAGS...]: starts a server on a free port with
# the config above, logging to $work/NAME.log; sets server_pid.
start_server() {
  local bin=$1 db=$2 name=$3
  shift 3
  rm -f "$work/port"
  "$bin" --listen=127.0.0.1:0 --db="$db" --config="$work/dev.textproto" \
    --port_file="$work/port" "$@" >>"$work/$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  if [ ! -s "$work/port" ]; then
    cat "$work/$name.log"
    echo "bench.sh: $bin did not start" >&2
    exit 1
  fi
  echo "bench.sh: $(basename "$bin") ${*:+$* }pid $server_pid on port $(cat "$work/port"), database $db; $(nproc) CPU(s), $(date -u +%FT%TZ)"
}

# stop_server: stops the running server (SIGTERM) and waits for it; fails
# if it did not exit cleanly.
stop_server() {
  local pid=$server_pid
  server_pid=""
  kill -TERM "$pid" && wait "$pid"
}

# shellcheck disable=SC2086  # $server_args: one flag per word
start_server "$server_bin" "$work/bench.db" server $server_args

ehr_token=$MNREC_EHR_TOKEN admin_token=$MNREC_ADMIN_TOKEN
run() {  # run LABEL [mnrecords_bench flags...]
  local label=$1
  shift
  echo
  "$bench_bin" --server="127.0.0.1:$(cat "$work/port")" \
    --token="$ehr_token" --admin_token="$admin_token" \
    --clinic=demo --server_pid="$server_pid" --label="$label" \
    --warmup="$warmup" --duration="$duration" --patients="$patients" \
    --json="$work/$label.json" "$@" | tee -a "$work/out.txt"
  if [ -n "$json_dir" ]; then mkdir -p "$json_dir" && cp "$work/$label.json" "$json_dir/"; fi
}

# field LABEL KEY: the first number named KEY in LABEL's JSON (the
# workload's figures come first).
field() {
  grep -o "\"$2\":[-0-9.]*" "$work/$1.json" | head -1 | cut -d: -f2
}

# note TEXT: prints a comparison line now and again in the summary at the end.
note() {
  echo "$1"
  echo "$1" >>"$work/out.txt"
  echo "$1" >>"$work/summary.txt"
}

# compare WHAT NOW BEFORE UNIT DECIMALS: "WHAT: now N UNIT, before B (x N/B)".
compare() {
  awk -v what="$1" -v now="$2" -v before="$3" -v unit="$4" -v d="$5" 'BEGIN {
    printf "%s: now %.*f%s, before %.*f (x %.2f)\n", what, d, now, unit, d,
      before, (before > 0 ? now / before : 0) }'
}

# undercount LABEL WHO: a note if server threads ended during LABEL's
# workload (their context switches are missing from its figure).
undercount() {
  local ended
  ended=$(field "$1" server_threads_ended)
  if [ "${ended:-0}" -gt 0 ]; then
    echo "; $2 undercounted: server threads ended during the run (at least $ended)"
  fi
}

# thousands N: N with a comma every three digits.
thousands() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

run log_session --mix=log_session:1 --in_flight="$in_flight" \
  --db_dir="$work" --storage_duration="$storage"
if [ -n "$before_bin" ]; then
  # The same scenario against the older build (no storage ceiling: that
  # measures SQLite, not the server), then the current server again.
  stop_server || echo "bench.sh: $server_bin exited with status $? on SIGTERM"
  echo
  # shellcheck disable=SC2086  # $before_args: one flag per word
  start_server "$before_bin" "$work/before.db" before $before_args
  run log_session_before --mix=log_session:1 --in_flight="$in_flight"
  stop_server || echo "bench.sh: $before_bin exited with status $? on SIGTERM"
  echo
  # shellcheck disable=SC2086
  start_server "$server_bin" "$work/bench.db" server $server_args
  echo
  # The scenario's figures over all its calls (create_course included),
  # as in the ratio to the empty-RPC ceiling.
  what="LogSession $in_flight in flight"
  note "$(compare "$what" "$(field log_session calls_per_sec)" \
    "$(field log_session_before calls_per_sec)" " calls/s" 0)"
  note "$(compare "$what p99" "$(field log_session p99_ms)" \
    "$(field log_session_before p99_ms)" " ms" 1)"
  note "$(compare "$what server CPU per call" \
    "$(field log_session server_cpu_us_per_call)" \
    "$(field log_session_before server_cpu_us_per_call)" " µs" 1)"
  note "$(compare "$what server context switches per call" \
    "$(field log_session server_context_switches_per_call)" \
    "$(field log_session_before server_context_switches_per_call)" "" 2)$(
    undercount log_session now)$(undercount log_session_before before)"
fi
run mixed --mix=log_session:40,course_summary:30,consent_history:20,record_consent:10 \
  --in_flight="$in_flight"
run single_client --mix=log_session:1 --in_flight=1 --channels=1

# A course that already holds many sessions against one that holds one,
# everything else equal (no health ceiling: it would be the same twice).
run course_1 --mix=log_session:1 --in_flight=8 --course_sessions=1 \
  --health_ceiling=false
run "course_$course_big" --mix=log_session:1 --in_flight=8 \
  --course_sessions="$course_big" --health_ceiling=false
echo
x=$(field "course_$course_big" calls_per_sec) y=$(field course_1 calls_per_sec)
note "$(printf 'LogSession into a %s-session course: %.0f calls/s vs %.0f into a 1-session course (ratio %s, target >= 1/1.2 = 0.83); server CPU per call %.1f vs %.1f µs' \
  "$(thousands "$course_big")" "$x" "$y" \
  "$(awk -v x="$x" -v y="$y" 'BEGIN { printf "%.2f", (y > 0 ? x / y : 0) }')" \
  "$(field "course_$course_big" server_cpu_us_per_call)" \
  "$(field course_1 server_cpu_us_per_call)")"

ehr_token=$clinics_ehr_token admin_token=$clinics_admin_token \
  run "clinics_$clinics" --mix=log_session:1 --in_flight="$clinics" \
  --clinics="$clinics"

if [ -s "$work/summary.txt" ]; then
  echo
  echo "bench.sh: summary"
  cat "$work/summary.txt"
fi

if [ "$smoke" = 1 ]; then
  fail() { echo "bench smoke: FAILED: $1"; exit 1; }
  [ "$(grep -c 'ratio to the empty-RPC ceiling' "$work/out.txt")" = 4 ] || fail "ceiling ratios missing"
  grep -q '1 row per transaction' "$work/out.txt" || fail "storage ceiling missing"
  for rpc in log_session course_summary consent_history record_consent health_check; do
    grep -Eq "^  $rpc +[0-9]+ +[0-9.]+ " "$work/out.txt" || fail "no figures for $rpc"
  done
  [ "$(grep -c 'server context switches per call: [0-9]' "$work/out.txt")" = 10 ] ||
    fail "context switches per call missing"
  for n in 1 "$course_big"; do
    grep -q "^slot courses: $n session(s) each before the run, [1-9]" "$work/out.txt" ||
      fail "course_$n did not log into $n-session courses"
  done
  grep -Eq "^LogSession into a $course_big-session course: [1-9][0-9]* calls/s vs [1-9][0-9]* into a 1-session course \(ratio [0-9.]+," "$work/out.txt" ||
    fail "course comparison missing"
  grep -q "^dataset: .* in $clinics clinics demo-0..demo-$((clinics - 1));" "$work/out.txt" ||
    fail "clinics_$clinics did not spread over $clinics clinics"
  if grep -q '^  error ' "$work/out.txt"; then fail "calls failed (see above)"; fi
  stop_server || fail "server did not stop cleanly"
  echo "bench smoke: OK"
fi
