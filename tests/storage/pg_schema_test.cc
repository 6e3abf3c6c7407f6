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
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_verify.h"
#include "server/audit/records_verify.h"
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
        "TRUNCATE audit_patients", "TRUNCATE audit_events CASCADE"}) {
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

TEST(PgSchemaTest, VersionThreeHashesTheStoredRevisionsInBaselineEvents) {
  // A version-2 database holding three revisions in two clinics: made by
  // taking this version's schema back (the columns, tables and indexes
  // versions 3 to 6 add dropped) and storing rows as version 2 would.
  const std::string uri = FreshDatabase("baseline");
  ASSERT_TRUE(PostgresStore::Open(uri).ok());
  {
    auto db = postgres::PgConnection::Connect(uri);
    ASSERT_TRUE(db.ok()) << db.status();
    MNR_ASSERT_OK(
        (*db)->Exec("DROP TABLE record_terms;"
                    "DROP INDEX records_by_clinic_category;"
                    "DROP TABLE audit_patients;"
                    "ALTER TABLE audit_events DROP COLUMN accessed;"
                    "DROP INDEX requests_by_create_time;"
                    "DROP INDEX audit_writes_by_clinic;"
                    "ALTER TABLE revisions DROP COLUMN content_sha256;"
                    "ALTER TABLE audit_events DROP COLUMN revisions;"
                    "UPDATE mnrecords_schema SET version = 2"));
    MNR_ASSERT_OK((*db)->Exec("BEGIN"));
    for (const char* name : {"clinics/c2/patients/z", "clinics/c1/patients/b",
                             "clinics/c1/patients/a"}) {
      const std::string clinic = std::string(name).substr(8, 2);
      MNR_ASSERT_OK((*db)->Exec(absl::StrCat(
          "INSERT INTO records (name, kind, clinic, patient, course, session, "
          "actor, event_time_us, category, revision_id) VALUES ('",
          name, "', 1, '", clinic, "', '", name, "', '', '', '', 0, 0, 1)")));
      MNR_ASSERT_OK((*db)->Exec(absl::StrCat(
          "INSERT INTO revisions (name, revision_id, kind, clinic, patient, "
          "course, session, actor, event_time_us, category, create_time_us, "
          "payload) VALUES ('",
          name, "', 1, 1, '", clinic, "', '", name,
          "', '', '', '', 0, 0, 42, '\\x0a0161')")));
    }
    MNR_ASSERT_OK((*db)->Exec("COMMIT"));
  }
  PostgresStoreOptions options;  // patients have no search terms
  options.record_terms = [](const RecordRevision&) {
    return std::vector<std::string>{};
  };
  auto store = PostgresStore::Open(uri, options);
  ASSERT_TRUE(store.ok()) << store.status();
  // Every revision is committed, by baseline events, and the chain holds.
  MNR_ASSERT_OK_AND_ASSIGN(const RevisionsCheck check,
                           VerifyStoredRevisions(**store, "", 10));
  EXPECT_EQ(check.revisions_checked, 3);
  EXPECT_EQ(check.baseline_revisions, 3);
  EXPECT_EQ(check.problem_count, 0);
  ASSERT_EQ(check.audit_head, 2) << "one baseline event per clinic";
  MNR_ASSERT_OK_AND_ASSIGN(const AuditRangeCheck chain,
                           VerifyAuditRange(**store, 1, 2, 2));
  EXPECT_FALSE(chain.broken.has_value()) << chain.broken->problem;
  // The append-only trigger lifted for the backfill is back.
  auto db = postgres::PgConnection::Connect(uri);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ((*db)->Exec("UPDATE revisions SET content_sha256 = ''").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PgSchemaTest, VersionSixFilesTheStoredRecordsUnderTheirTerms) {
  // A version-5 database (version 6's table and index dropped) with
  // sessions in two clinics, one amended: the terms come from each current
  // revision. The test's terms function reads them off the payload
  // ("lot=A;model=X").
  const std::string uri = FreshDatabase("terms");
  ASSERT_TRUE(PostgresStore::Open(uri).ok());
  {
    auto db = postgres::PgConnection::Connect(uri);
    ASSERT_TRUE(db.ok()) << db.status();
    MNR_ASSERT_OK((*db)->Exec(
        "DROP TABLE record_terms; DROP INDEX records_by_clinic_category; "
        "UPDATE mnrecords_schema SET version = 5"));
    MNR_ASSERT_OK((*db)->Exec("BEGIN"));
    const struct {
      std::string clinic, name, payload;
      int revision;
    } stored[] = {
        {"c1", "clinics/c1/patients/p/courses/k/sessions/s1", "lot=A;model=X",
         1},
        {"c1", "clinics/c1/patients/p/courses/k/sessions/s2", "lot=A;model=Y",
         1},
        {"c1", "clinics/c1/patients/p/courses/k/sessions/s2", "lot=B", 2},
        {"c2", "clinics/c2/patients/p/courses/k/sessions/s1", "lot=A", 1}};
    for (const auto& r : stored) {
      if (r.revision == 1) {
        MNR_ASSERT_OK((*db)->Exec(absl::StrCat(
            "INSERT INTO records (name, kind, clinic, patient, course, "
            "session, actor, event_time_us, category, revision_id) VALUES ('",
            r.name, "', 3, '", r.clinic, "', '', '', '', '', 0, 2, 1)")));
      } else {
        MNR_ASSERT_OK((*db)->Exec(absl::StrCat(
            "UPDATE records SET revision_id = 2 WHERE name = '", r.name, "'")));
      }
      MNR_ASSERT_OK((*db)->Exec(absl::StrCat(
          "INSERT INTO revisions (name, revision_id, kind, clinic, patient, "
          "course, session, actor, event_time_us, category, create_time_us, "
          "payload, content_sha256) VALUES ('",
          r.name, "', ", r.revision, ", 3, '", r.clinic,
          "', '', '', '', '', 0, 2, 0, convert_to('", r.payload,
          "', 'UTF8'), '')")));
    }
    MNR_ASSERT_OK((*db)->Exec("COMMIT"));
  }
  // Without a way to derive the terms the server does not start on it.
  auto refused = PostgresStore::Open(uri);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("search terms"),
            absl::string_view::npos)
      << refused.status();

  PostgresStoreOptions options;
  options.record_terms = [](const RecordRevision& r) {
    return std::vector<std::string>(absl::StrSplit(r.payload, ';'));
  };
  auto store = PostgresStore::Open(uri, options);
  ASSERT_TRUE(store.ok()) << store.status();
  auto db = postgres::PgConnection::Connect(uri);
  ASSERT_TRUE(db.ok()) << db.status();
  auto filed = (*db)->Query(
      "SELECT string_agg(t.clinic || ':' || t.term || '@' || right(r.name, 2), "
      "' ' ORDER BY t.clinic, t.term COLLATE \"C\", t.seq) FROM record_terms "
      "AS t JOIN records AS r ON r.seq = t.seq");
  ASSERT_TRUE(filed.ok()) << filed.status();
  EXPECT_EQ(filed->Text(0, 0),
            "c1:lot=A@s1 c1:lot=B@s2 c1:model=X@s1 c2:lot=A@s1");
}

}  // namespace
// WidensKindChecks takes a fresh database back to `from_version`, whose
// kind checks accept 1..`from_max`, and checks that opening it migrates
// them to the latest version's 1..11.
void WidensKindChecks(const std::string& db_name, int from_version,
                      int from_max) {
  const std::string uri = FreshDatabase(db_name);
  ASSERT_TRUE(PostgresStore::Open(uri).ok());
  auto db = postgres::PgConnection::Connect(uri);
  ASSERT_TRUE(db.ok()) << db.status();
  const char* tables[] = {"records", "revisions", "record_counts", "changes",
                          "record_terms"};
  for (const char* table : tables) {
    MNR_ASSERT_OK((*db)->Exec(
        absl::StrCat("ALTER TABLE ", table, " DROP CONSTRAINT ", table,
                     "_kind_check, ADD CONSTRAINT ", table,
                     "_kind_check CHECK (kind BETWEEN 1 AND ", from_max, ")")));
  }
  MNR_ASSERT_OK((*db)->Exec(
      absl::StrCat("UPDATE mnrecords_schema SET version = ", from_version)));
  const auto insert = [&](int kind) {
    MNR_EXPECT_OK((*db)->Exec("BEGIN"));
    const absl::Status status = (*db)->Exec(absl::StrCat(
        "INSERT INTO records (name, kind, clinic, patient, course, session, "
        "actor, event_time_us, category, revision_id) VALUES "
        "('clinics/c1/pluginSettings/p', ",
        kind, ", 'c1', '', '', '', '', 0, 0, 1)"));
    MNR_EXPECT_OK((*db)->Exec("ROLLBACK"));
    return status;
  };
  EXPECT_FALSE(insert(from_max + 1).ok());

  ASSERT_TRUE(PostgresStore::Open(uri).ok());
  MNR_ASSERT_OK_AND_ASSIGN(const int version, postgres::SchemaVersion(**db));
  EXPECT_EQ(version, 8);
  for (int kind = 1; kind <= 11; ++kind) MNR_EXPECT_OK(insert(kind));
  EXPECT_FALSE(insert(12).ok());
  auto checks = (*db)->Query(
      "SELECT count(*) FROM pg_constraint WHERE conname LIKE '%_kind_check' "
      "AND convalidated AND pg_get_constraintdef(oid) LIKE '%<= 11)%'");
  ASSERT_TRUE(checks.ok()) << checks.status();
  EXPECT_EQ(checks->Int64(0, 0), 5);
}

TEST(PgSchemaTest, VersionSevenAcceptsRecordKindsSevenAndEight) {
  WidensKindChecks("kinds", 6, 6);
}

TEST(PgSchemaTest, VersionEightAcceptsRecordKindsNineToEleven) {
  WidensKindChecks("kinds8", 7, 8);
}

}  // namespace mnrecords::testing
