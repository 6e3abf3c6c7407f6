#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 server for the tests: a
# fresh cluster from pg_virtualenv (postgresql-common), which sets PGHOST,
# PGPORT, PGUSER and PGPASSWORD and drops the cluster afterwards, and
# MNRECORDS_TEST_PG naming its maintenance database
# (tests/support/postgres_test_db.h). pg_virtualenv turns fsync off in the
# clusters it makes (fine for tests: nothing outlives the run; the
# benchmark runs with -o fsync=on). With MNRECORDS_TEST_PG already set, the
# command runs against that server instead.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
if [ -n "${MNRECORDS_TEST_PG:-}" ]; then
  exec "$@"
fi
export MNRECORDS_TEST_PG="dbname=postgres"
# -t: the cluster lives in a temp directory even when running as root.
exec pg_virtualenv -t "$@"
