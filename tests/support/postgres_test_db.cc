#include "tests/support/postgres_test_db.h"

#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "server/store/postgres/pg_connection.h"

namespace mnrecords::testing {

bool PostgresConfigured() {
  const char* admin = std::getenv("MNRECORDS_TEST_PG");
  return admin != nullptr && *admin != '\0';
}

absl::StatusOr<std::string> PostgresTestDatabase(const std::string& key) {
  if (!PostgresConfigured()) {
    return absl::FailedPreconditionError(
        "no test PostgreSQL: set MNRECORDS_TEST_PG (scripts/test.sh starts "
        "one with pg_virtualenv)");
  }
  const std::string name = absl::StrCat("mnr_", Sha256Hex(key).substr(0, 24));
  MNR_ASSIGN_OR_RETURN(
      std::unique_ptr<postgres::PgConnection> admin,
      postgres::PgConnection::Connect(std::getenv("MNRECORDS_TEST_PG")));
  MNR_ASSIGN_OR_RETURN(
      postgres::PgResult found,
      admin->Query("SELECT 1 FROM pg_database WHERE datname = $1", {name}));
  if (found.rows() == 0) {
    absl::Status created = admin->Exec(absl::StrCat("CREATE DATABASE ", name));
    // Another test process may have created it meanwhile.
    if (!created.ok() && !absl::IsAlreadyExists(created) &&
        created.message().find("already exists") == absl::string_view::npos) {
      return created;
    }
  }
  return absl::StrCat("postgresql:///", name);
}

}  // namespace mnrecords::testing
