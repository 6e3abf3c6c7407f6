// PostgreSQL schema migrations: servers that start together on a new
// database all come up on the one schema (the migration lock), and a
// database that is not ours, or is newer than this code, is refused.
//
// Needs the run's throwaway PostgreSQL (tests/support/postgres_test_db.h).
#include "server/store/postgres/pg_schema.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/postgres_store.h"
#include "tests/storage/status_testing.h"
#include "tests/support/postgres_test_db.h"

namespace mnrecords::testing {
namespace {

std::string FreshDatabase(const std::string& name) {
  absl::StatusOr<std::string> uri =
      PostgresTestDatabase(absl::StrCat("pg_schema_test-", getpid(), "-", name,
                                        "-", absl::ToUnixMicros(absl::Now())));
  EXPECT_TRUE(uri.ok()) << uri.status();
  return uri.ok() ? *uri : "";
}

TEST(PgSchemaTest, ServersStartingTogetherShareOneSchema) {
  const std::string uri = FreshDatabase("together");
  std::vector<absl::Status> opened(6);
  std::vector<std::thread> starts;
  for (size_t i = 0; i < opened.size(); ++i) {
    starts.emplace_back([&, i] {
      auto store = PostgresStore::Open(uri);
      opened[i] = store.status();
    });
  }
  for (std::thread& t : starts) t.join();
  for (const absl::Status& status : opened) MNR_EXPECT_OK(status);
  auto db = postgres::PgConnection::Connect(uri);
  ASSERT_TRUE(db.ok()) << db.status();
  MNR_ASSERT_OK_AND_ASSIGN(const int version, postgres::SchemaVersion(**db));
  EXPECT_EQ(version, postgres::LatestSchemaVersion());
}

TEST(PgSchemaTest, ADatabaseThatIsNotOursIsRefused) {
  const std::string uri = FreshDatabase("foreign");
  auto db = postgres::PgConnection::Connect(uri);
  ASSERT_TRUE(db.ok()) << db.status();
  MNR_ASSERT_OK((*db)->Exec("CREATE TABLE invoices (id integer)"));
  auto store = PostgresStore::Open(uri);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
}

TEST(PgSchemaTest, ANewerSchemaIsRefused) {
  const std::string uri = FreshDatabase("newer");
  ASSERT_TRUE(PostgresStore::Open(uri).ok());
  auto db = postgres::PgConnection::Connect(uri);
  ASSERT_TRUE(db.ok()) << db.status();
  MNR_ASSERT_OK(
      (*db)->Exec(absl::StrCat("UPDATE mnrecords_schema SET version = ",
                               postgres::LatestSchemaVersion() + 1)));
  auto store = PostgresStore::Open(uri);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
}

TEST(PgSchemaTest, ClinicalRowsCannotBeChangedOrDeletedBySql) {
  const std::string uri = FreshDatabase("append-only");
  ASSERT_TRUE(PostgresStore::Open(uri).ok());
  auto db = postgres::PgConnection::Connect(uri);
  ASSERT_TRUE(db.ok()) << db.status();
  for (const char* sql :
       {"TRUNCATE revisions CASCADE", "TRUNCATE records CASCADE",
        "TRUNCATE audit_events"}) {
    EXPECT_EQ((*db)->Exec(sql).code(), absl::StatusCode::kFailedPrecondition)
        << sql;
  }
  MNR_ASSERT_OK((*db)->Exec(
      "INSERT INTO audit_events VALUES (1, 0, 'p', 'r', 'a', 'c', 'x', 0, "
      "'peer', '', repeat('0', 64), repeat('0', 64))"));
  EXPECT_EQ((*db)->Exec("UPDATE audit_events SET outcome = 5").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*db)->Exec("DELETE FROM audit_events").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*db)
                ->Exec("INSERT INTO audit_events VALUES (3, 0, 'p', 'r', "
                       "'a', 'c', 'x', 0, 'peer', '', repeat('0', 64), "
                       "repeat('0', 64))")
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace mnrecords::testing
