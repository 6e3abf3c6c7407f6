// Databases for tests on PostgreSQL. The test run starts a throwaway
// PostgreSQL server (scripts/test.sh, through pg_virtualenv) and names a
// maintenance database to connect to in MNRECORDS_TEST_PG (a libpq
// connection string, e.g. "dbname=postgres"; libpq's PGHOST, PGPORT,
// PGUSER and PGPASSWORD say where and as whom).
#ifndef MNRECORDS_TESTS_SUPPORT_POSTGRES_TEST_DB_H_
#define MNRECORDS_TESTS_SUPPORT_POSTGRES_TEST_DB_H_

#include <string>

#include "absl/status/statusor.h"

namespace mnrecords::testing {

// PostgresConfigured is true when MNRECORDS_TEST_PG is set.
bool PostgresConfigured();

// PostgresTestDatabase returns the libpq URI of the database for `key` (a
// test's temp path, say): the same key always gives the same database,
// created empty on first use. FAILED_PRECONDITION without
// MNRECORDS_TEST_PG.
absl::StatusOr<std::string> PostgresTestDatabase(const std::string& key);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_SUPPORT_POSTGRES_TEST_DB_H_
