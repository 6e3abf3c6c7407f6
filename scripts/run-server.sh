#!/usr/bin/env bash
# One step from a fresh Debian 12 machine to a running server: installs the
# packages, builds, creates a development config with a fresh token per role
# on first run (scripts/dev-config.sh), and starts mnrecords_server on
# loopback on a local SQLite file.
# Environment: MNRECORDS_LISTEN (default 127.0.0.1:50051),
# MNRECORDS_METRICS_LISTEN (default 127.0.0.1:9464: Prometheus metrics at
# /metrics; "" = none), MNRECORDS_DB
# (default ./mnrecords.db), MNRECORDS_CONFIG (default: the development config
# ./mnrecords-dev.textproto, created if missing). Stop it with Ctrl-C (it drains and closes the
# database cleanly).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh mnrecords_server mnrec
config=${MNRECORDS_CONFIG:-mnrecords-dev.textproto}
if [ -z "${MNRECORDS_CONFIG:-}" ]; then scripts/dev-config.sh "$config"; fi
echo "Starting mnrecords_server; the CLI is build/client/cli/mnrec (try: build/client/cli/mnrec health)"
exec build/server/mnrecords_server \
  --listen="${MNRECORDS_LISTEN:-127.0.0.1:50051}" \
  --metrics_listen="${MNRECORDS_METRICS_LISTEN-127.0.0.1:9464}" \
  --db="${MNRECORDS_DB:-mnrecords.db}" --config="$config"
