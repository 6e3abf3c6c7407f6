#!/usr/bin/env bash
# Runs the backup block of docs/reliability.md (between the backup-journey
# markers)
# verbatim against a freshly started mnrecords_server whose config has a
# backup_dir, then the restore block's steps: stop the server, copy the
# backup (the block's `cp` line with the test's directory), start a server on
# the copy, and run the block's `mnrec audit verify` line verbatim. Checks
# that the record written before the backup is there and that `mnrec admin
# backup` refuses a path with INVALID_ARGUMENT naming file_name.
# Usage: backup_readme_test.sh SERVER_BINARY MNREC_BINARY DOC REPO_ROOT
set -euo pipefail
server_bin=$(realpath "$1") mnrec_bin=$(realpath "$2") readme=$(realpath "$3")
repo=$(realpath "$4")

work=$(mktemp -d)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid"
    local rc=0
    wait "$server_pid" || rc=$?
    server_pid=""
    [ "$rc" = 0 ] || { echo "FAILED: server exited $rc after SIGTERM"; exit 1; }
  fi
}
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
start_server() {  # start_server DB
  rm -f "$work/port"
  "$server_bin" --listen=127.0.0.1:0 --db="$1" --config="$work/dev.textproto" \
    --port_file="$work/port" >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { cat "$work/server.log"; echo "server did not start"; exit 1; }
  export MNREC_SERVER="127.0.0.1:$(cat "$work/port")"
}
block() {  # block NAME: the document's block between NAME's markers
  sed -n "/<!-- $1:start -->/,/<!-- $1:end -->/p" "$readme" |
    sed -e '1,2d' -e '$d' | sed '$d'
}

bash "$repo/scripts/dev-config.sh" "$work/dev.textproto" \
  "$work/dev-tokens.sh" >/dev/null
mkdir "$work/backups" "$work/cwd"
echo "backup_dir: \"$work/backups\"" >>"$work/dev.textproto"
# shellcheck disable=SC1091
source "$work/dev-tokens.sh"
export PATH="$PATH:$(dirname "$mnrec_bin")"
start_server "$work/live.db"
MNREC_TOKEN=$MNREC_EHR_TOKEN mnrec patient create --clinic=demo --id=p1 \
  --identifier='urn:oid:2.16.840.1.113883.19.5|MRN-1' --fitzpatrick=III >/dev/null

block backup-journey >"$work/backup.sh"
grep -q "mnrec admin backup" "$work/backup.sh" || { echo "documented backup block not found"; exit 1; }
(cd "$work/cwd" && bash -euo pipefail "$work/backup.sh") >"$work/backup.out" 2>&1 || {
  cat "$work/backup.out"; echo "FAILED: the documented backup block did not run cleanly"; exit 1; }
[ -s "$work/backups/nightly-1.db" ] || { echo "FAILED: no backup file"; exit 1; }
grep -q '"sequence"' "$work/cwd/nightly-1.checkpoint.json" ||
  { echo "FAILED: no checkpoint file"; exit 1; }
echo "ok: the documented backup block wrote the backup and its checkpoint"

if MNREC_TOKEN=$MNREC_ADMIN_TOKEN mnrec admin backup ../escape.db >"$work/bad.out" 2>&1; then
  echo "FAILED: a path was accepted as a file name"; exit 1
fi
grep -q "^mnrec: INVALID_ARGUMENT: file_name:" "$work/bad.out" ||
  { cat "$work/bad.out"; echo "FAILED: the error does not name file_name"; exit 1; }
echo "ok: a path instead of a file name is INVALID_ARGUMENT naming file_name"

# Restore: stop, copy (the block's cp line, with the test's backup_dir),
# start on the copy, verify (the block's line, verbatim).
stop_server
block restore-journey >"$work/restore.txt"
cp_line=$(grep '^cp ' "$work/restore.txt")
verify_line=$(grep 'mnrec audit verify --checkpoint=' "$work/restore.txt")
[ -n "$cp_line" ] && [ -n "$verify_line" ] || { echo "documented restore block not found"; exit 1; }
(cd "$work/cwd" && bash -euo pipefail -c "${cp_line//\/var\/backups\/mnrecords/$work/backups}")
start_server "$work/cwd/restored.db"
(cd "$work/cwd" && bash -euo pipefail -c "$verify_line") >"$work/verify.out" 2>&1 || {
  cat "$work/verify.out"; echo "FAILED: audit verify after restore"; exit 1; }
grep -Eq "^ok: +true" "$work/verify.out" || { cat "$work/verify.out"; echo "FAILED: not ok"; exit 1; }
echo "ok: the audit chain verifies against the backup's checkpoint after restore"
MNREC_TOKEN=$MNREC_EHR_TOKEN mnrec patient get clinics/demo/patients/p1 >/dev/null ||
  { echo "FAILED: the patient written before the backup is missing"; exit 1; }
echo "ok: the record written before the backup is there after restore"
stop_server
