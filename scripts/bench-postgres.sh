#!/usr/bin/env bash
# The write benchmark on PostgreSQL (docs/scale-out.md): LogSession with
# --in_flight calls in flight against
#   1. one server on a SQLite file (the embedded default, for comparison),
#   2. one server on a PostgreSQL database,
#   3. two servers on that same PostgreSQL database (the load generator
#      spreads its connections over both),
# each followed by the health-Check ceiling at the same concurrency, in the
# same run. It starts its own throwaway PostgreSQL 15 cluster with
# pg_virtualenv, with fsync ON (durable commits, like production), and
# prints, per scenario, the servers' CPU per call, the database's CPU per
# call (every postgres process, from /proc) and what its client backends
# were waiting for (pg_stat_activity, sampled every 50 ms: the advisory
# write lock, WAL flushes, ...), so the limit shows.
# Usage: scripts/bench-postgres.sh [--duration=8s] [--warmup=2s]
#          [--in_flight=64] [--server_bin=PATH --bench_bin=PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MNRECORDS_BENCH_PG:-}" ]; then
  export MNRECORDS_BENCH_PG=1
  exec pg_virtualenv -t -o fsync=on -o synchronous_commit=on \
    -o max_connections=200 "$0" "$@"
fi
duration=8s warmup=2s in_flight=64 server_bin="" bench_bin=""
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration=${arg#*=} ;;
    --warmup=*) warmup=${arg#*=} ;;
    --in_flight=*) in_flight=${arg#*=} ;;
    --server_bin=*) server_bin=${arg#*=} ;;
    --bench_bin=*) bench_bin=${arg#*=} ;;
    *) echo "bench-postgres.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ -z "$server_bin" ] || [ -z "$bench_bin" ]; then
  scripts/build.sh mnrecords_server mnrecords_bench
  server_bin=${server_bin:-build/server/mnrecords_server}
  bench_bin=${bench_bin:-build/tests/loadgen/mnrecords_bench}
fi

mkdir -p build
work=$(mktemp -d "$PWD/build/bench-pg.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
scripts/dev-config.sh "$work/dev.textproto" "$work/dev-tokens.sh" >/dev/null
# shellcheck disable=SC1091
source "$work/dev-tokens.sh"

# start_server DB NAME: a server on DB on a free port (in $work/NAME.port);
# appends its pid to pids.
start_server() {
  rm -f "$work/$2.port"
  "$server_bin" --listen=127.0.0.1:0 --db="$1" --config="$work/dev.textproto" \
    --port_file="$work/$2.port" >>"$work/$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/$2.port" ] && break; sleep 0.1; done
  [ -s "$work/$2.port" ] || { cat "$work/$2.log"; exit 1; }
}
stop_servers() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" && wait "$pid" || true; done
  pids=()
}

# sample_waits FILE: until killed, appends what each busy client backend
# waits for (or "cpu") every 50 ms.
sample_waits() {
  while true; do
    psql -XAtq -c "SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu')
      FROM pg_stat_activity WHERE backend_type = 'client backend'
      AND state = 'active' AND pid <> pg_backend_pid()" >>"$1" 2>/dev/null || true
    sleep 0.05
  done
}

# scenario LABEL DB SERVERS: SERVERS servers on DB, LogSession at
# --in_flight, then the figures.
scenario() {
  local label=$1 db=$2 n=$3 targets="" server_pids="" i
  for i in $(seq "$n"); do
    start_server "$db" "$label-$i"
    targets="${targets:+$targets,}127.0.0.1:$(cat "$work/$label-$i.port")"
  done
  server_pids=$(IFS=,; echo "${pids[*]}")
  echo
  echo "== $label: $n server(s) on $db"
  local waits="$work/$label.waits"
  : >"$waits"
  sample_waits "$waits" &
  local sampler=$!
  "$bench_bin" --server="$targets" --server_pid="$server_pids" \
    --token="$MNREC_EHR_TOKEN" --admin_token="$MNREC_ADMIN_TOKEN" \
    --clinic=demo --label="$label" --mix=log_session:1 \
    --in_flight="$in_flight" --channels=4 --warmup="$warmup" \
    --duration="$duration" --db_process=postgres
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  if [[ "$db" == postgresql* ]]; then
    echo "  what busy PostgreSQL client backends waited for (samples every 50 ms, whole run):"
    sort "$waits" | uniq -c | sort -rn | head -6 | sed 's/^/   /'
  fi
  stop_servers
}

createdb bench_one
createdb bench_two
echo "bench-postgres.sh: PostgreSQL $(psql -XAtqc 'show server_version'), fsync $(psql -XAtqc 'show fsync'), synchronous_commit $(psql -XAtqc 'show synchronous_commit'); $(nproc) CPU(s), $(date -u +%FT%TZ)"
scenario sqlite_1_server "$work/bench.db" 1
scenario postgres_1_server "postgresql:///bench_one" 1
scenario postgres_2_servers "postgresql:///bench_two" 2
