#include "server/store/sqlite/schema.h"

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "server/store/audit_chain.h"
#include "server/store/revision_hash.h"
#include "server/store/sqlite/audit_rows.h"
#include "server/store/sqlite/connection_setup.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/temp_dir.h"

namespace mnrecords {
namespace sqlite {
namespace {

using ::absl::StatusCode;

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Connection>> db =
        OpenWriter(dir_.File("schema.db"), SqliteStoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
  }

  bool HasTable(const std::string& name) {
    absl::StatusOr<int64_t> n = db_->QueryInt64(absl::StrCat(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '",
        name, "'"));
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() && *n == 1;
  }

  // NoTerms: a context for databases whose records have no search terms.
  static MigrationContext NoTerms() {
    return {[](const RecordRevision&) { return std::vector<std::string>{}; }};
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_F(SchemaTest, MigratesAnEmptyDatabaseToTheLatestVersion) {
  MNR_ASSERT_OK(Migrate(*db_));
  MNR_ASSERT_OK_AND_ASSIGN(const int version, SchemaVersion(*db_));
  EXPECT_EQ(version, LatestSchemaVersion());
  EXPECT_EQ(LatestSchemaVersion(), 10);
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t app_id,
                           db_->QueryInt64("PRAGMA application_id"));
  EXPECT_EQ(app_id, kApplicationId);
  for (const char* table : {"records", "revisions", "record_keys", "requests",
                            "changes", "record_terms"}) {
    EXPECT_TRUE(HasTable(table)) << table;
  }
  // Migrating again is a no-op.
  MNR_EXPECT_OK(Migrate(*db_));
  MNR_ASSERT_OK_AND_ASSIGN(const int again, SchemaVersion(*db_));
  EXPECT_EQ(again, LatestSchemaVersion());
  MNR_ASSERT_OK_AND_ASSIGN(const std::string check,
                           db_->QueryText("PRAGMA integrity_check"));
  EXPECT_EQ(check, "ok");
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t fk_errors,
                           db_->QueryInt64("SELECT count(*) FROM "
                                           "pragma_foreign_key_check"));
  EXPECT_EQ(fk_errors, 0);
}

TEST_F(SchemaTest, AppendedMigrationsRunInOrder) {
  std::vector<Migration> migrations(Migrations().begin(), Migrations().end());
  MNR_ASSERT_OK(Migrate(*db_, migrations));
  const int next = LatestSchemaVersion() + 1;
  migrations.push_back(
      {next, "test: add a table", "CREATE TABLE extra (x INTEGER) STRICT;"});
  MNR_ASSERT_OK(Migrate(*db_, migrations));
  MNR_ASSERT_OK_AND_ASSIGN(const int version, SchemaVersion(*db_));
  EXPECT_EQ(version, next);
  EXPECT_TRUE(HasTable("extra"));
}

TEST_F(SchemaTest, FailedMigrationIsRolledBack) {
  std::vector<Migration> migrations(Migrations().begin(), Migrations().end());
  const int next = LatestSchemaVersion() + 1;
  migrations.push_back({next, "test: broken",
                        "CREATE TABLE half_done (x INTEGER) STRICT;"
                        "INSERT INTO no_such_table VALUES (1);"});
  const absl::Status status = Migrate(*db_, migrations);
  MNR_EXPECT_CODE(status, StatusCode::kInternal);
  EXPECT_NE(status.message().find(
                absl::StrCat("schema migration ", next, " (test: broken)")),
            absl::string_view::npos)
      << status;
  MNR_ASSERT_OK_AND_ASSIGN(const int version, SchemaVersion(*db_));
  EXPECT_EQ(version, next - 1);  // earlier ones stay, `next` left no trace
  EXPECT_TRUE(HasTable("records"));
  EXPECT_FALSE(HasTable("half_done"));
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(SchemaTest, VersionThreeCountsTheRecordsAlreadyStored) {
  // A version-2 database with a course, its three sessions (one in another
  // category) and a photo under one of them.
  MNR_ASSERT_OK(Migrate(*db_, Migrations().first(2)));
  const std::string p = "clinics/c1/patients/p1";
  const std::string c = p + "/courses/co1";
  const std::string s = c + "/sessions/s";
  struct Row {
    std::string name;
    int kind;
    std::string course, session;
    int category;
  } rows[] = {
      {p, 1, "", "", 0},           {c, 2, c, "", 1},
      {s + "1", 3, c, s + "1", 2}, {s + "2", 3, c, s + "2", 2},
      {s + "3", 3, c, s + "3", 9}, {s + "1/photos/f", 4, c, s + "1", 1}};
  MNR_ASSERT_OK(db_->Exec("BEGIN"));
  for (const Row& r : rows) {
    const std::string values = absl::StrCat(
        "'", r.name, "', ", r.kind, ", 'c1', '", p, "', '", r.course, "', '",
        r.session, "', '', 0, ", r.category, ", 1");
    MNR_ASSERT_OK(db_->Exec(absl::StrCat(
        "INSERT INTO records (name, kind, clinic, patient, course, session, "
        "actor, event_time_us, category, revision_id) VALUES (",
        values, ")")));
    MNR_ASSERT_OK(db_->Exec(absl::StrCat(
        "INSERT INTO revisions (name, kind, clinic, patient, course, "
        "session, actor, event_time_us, category, revision_id, "
        "create_time_us, payload) VALUES (",
        values, ", 0, x'00')")));
  }
  MNR_ASSERT_OK(db_->Exec("COMMIT"));
  MNR_ASSERT_OK(Migrate(*db_, Migrations(), NoTerms()));
  auto count = [&](const std::string& parent, int kind, int category) {
    absl::StatusOr<int64_t> n = db_->QueryInt64(absl::StrCat(
        "SELECT coalesce(sum(count), 0) FROM record_counts WHERE parent = '",
        parent, "' AND kind = ", kind, " AND category = ", category));
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  };
  EXPECT_EQ(count(c, 3, 2), 2);
  EXPECT_EQ(count(c, 3, 9), 1);
  EXPECT_EQ(count(p, 2, 1), 1);
  EXPECT_EQ(count(s + "1", 4, 1), 1);
  EXPECT_EQ(count(c, 4, 1), 0) << "a photo counts under its session only";
  MNR_ASSERT_OK_AND_ASSIGN(
      const int64_t total,
      db_->QueryInt64("SELECT sum(count) FROM record_counts"));
  EXPECT_EQ(total, 5) << "every record but the patient has a parent";
}

TEST_F(SchemaTest, VersionFourMakesTheStoredRevisionsChangesInWriteOrder) {
  // A version-3 database with three revisions written out of name order,
  // the second with a create time earlier than the first's.
  MNR_ASSERT_OK(Migrate(*db_, Migrations().first(3)));
  const std::string b = "clinics/c1/patients/b";
  const std::string a = "clinics/c1/patients/a";
  MNR_ASSERT_OK(db_->Exec("BEGIN"));
  for (const auto& [name, revision, time] :
       {std::tuple<std::string, int, int>{b, 1, 50}, {a, 1, 10}, {b, 2, 60}}) {
    if (revision == 1) {
      MNR_ASSERT_OK(db_->Exec(absl::StrCat(
          "INSERT INTO records (name, kind, clinic, patient, course, session, "
          "actor, event_time_us, category, revision_id) VALUES ('",
          name, "', 1, 'c1', '", name, "', '', '', '', 0, 0, 1)")));
    } else {
      MNR_ASSERT_OK(
          db_->Exec(absl::StrCat("UPDATE records SET revision_id = ", revision,
                                 " WHERE name = '", name, "'")));
    }
    MNR_ASSERT_OK(db_->Exec(absl::StrCat(
        "INSERT INTO revisions (name, kind, clinic, patient, course, session, "
        "actor, event_time_us, category, revision_id, create_time_us, "
        "payload) VALUES ('",
        name, "', 1, 'c1', '", name, "', '', '', '', 0, 0, ", revision, ", ",
        time, ", x'00')")));
  }
  MNR_ASSERT_OK(db_->Exec("COMMIT"));
  MNR_ASSERT_OK(Migrate(*db_, Migrations(), NoTerms()));
  MNR_ASSERT_OK_AND_ASSIGN(
      const std::string order,
      db_->QueryText("SELECT group_concat(name || '@' || revision_id || ':' || "
                     "principal, ' ') FROM (SELECT * FROM changes ORDER BY "
                     "seq)"));
  EXPECT_EQ(order, absl::StrCat(b, "@1: ", a, "@1: ", b, "@2:"));
}

TEST_F(SchemaTest, VersionFiveHashesTheStoredRevisionsInBaselineEvents) {
  // A version-4 database: one audit event, then three revisions in two
  // clinics (c2's first).
  MNR_ASSERT_OK(Migrate(*db_, Migrations().first(4)));
  AuditEvent first;
  first.seq = 1;
  first.time = absl::FromUnixMicros(1700000000000000);
  first.principal = "admin-1";
  first.action = "/clinic.microneedling.v1.Audit/GetAuditCheckpoint";
  first.prev_hash = std::string(kAuditGenesisHash);
  MNR_ASSERT_OK(db_->Exec(absl::StrCat(
      "INSERT INTO audit_events (seq, time_us, principal, role, action, "
      "clinic, resource, outcome, peer, request_id, prev_hash, hash) VALUES "
      "(1, 1700000000000000, 'admin-1', '', '",
      first.action, "', '', '', 0, '', '', '", first.prev_hash, "', '",
      AuditEventHash(first.prev_hash, first), "')")));
  const std::vector<std::pair<std::string, std::string>> stored = {
      {"c2", "clinics/c2/patients/z"},
      {"c1", "clinics/c1/patients/b"},
      {"c1", "clinics/c1/patients/a"}};
  MNR_ASSERT_OK(db_->Exec("BEGIN"));
  for (const auto& [clinic, name] : stored) {
    const std::string values =
        absl::StrCat("'", name, "', 1, '", clinic, "', '", name, "', '', '', ",
                     "'', 0, 0, 1");
    MNR_ASSERT_OK(db_->Exec(absl::StrCat(
        "INSERT INTO records (name, kind, clinic, patient, course, session, "
        "actor, event_time_us, category, revision_id) VALUES (",
        values, ")")));
    MNR_ASSERT_OK(db_->Exec(absl::StrCat(
        "INSERT INTO revisions (name, kind, clinic, patient, course, "
        "session, actor, event_time_us, category, revision_id, "
        "create_time_us, payload) VALUES (",
        values, ", 42, x'0a01", name.back() == 'a' ? "61" : "62", "')")));
  }
  MNR_ASSERT_OK(db_->Exec("COMMIT"));
  MNR_ASSERT_OK(Migrate(*db_, Migrations(), NoTerms()));

  // Every revision has its documented hash...
  std::map<std::string, std::string> hashes;
  for (const auto& [clinic, name] : stored) {
    RecordRevision r;
    r.name = name;
    r.revision_id = 1;
    r.kind = RecordKind::kPatient;
    r.clinic = clinic;
    r.patient = name;
    r.create_time = absl::FromUnixMicros(42);
    r.payload = std::string("\x0a\x01") + (name.back() == 'a' ? "a" : "b");
    MNR_ASSERT_OK_AND_ASSIGN(
        hashes[name],
        db_->QueryText(absl::StrCat(
            "SELECT content_sha256 FROM revisions WHERE name = '", name, "'")));
    EXPECT_EQ(hashes[name], RevisionContentHash(r)) << name;
  }
  // ...committed by one baseline event per clinic, in insertion order,
  // chained after the event already there.
  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<AuditEvent> events,
                           ReadAuditEvents(*db_, 1, 10));
  ASSERT_EQ(events.size(), 3u);
  AuditChainWalk walk(1, kAuditGenesisHash);
  for (const AuditEvent& e : events) {
    EXPECT_FALSE(walk.Next(e).has_value()) << "event " << e.seq;
  }
  EXPECT_EQ(events[1].action, kBaselineAuditAction);
  EXPECT_EQ(events[1].clinic, "c1");
  EXPECT_EQ(events[1].principal, "mnrecords");
  EXPECT_EQ(
      events[1].revisions,
      EncodeRevisionDigests(
          {{"clinics/c1/patients/b", 1, hashes["clinics/c1/patients/b"]},
           {"clinics/c1/patients/a", 1, hashes["clinics/c1/patients/a"]}}));
  EXPECT_EQ(events[2].clinic, "c2");
  EXPECT_EQ(events[2].revisions,
            EncodeRevisionDigests({{"clinics/c2/patients/z", 1,
                                    hashes["clinics/c2/patients/z"]}}));
  // The append-only trigger lifted for the backfill is back.
  const absl::Status update =
      db_->Exec("UPDATE revisions SET content_sha256 = ''");
  EXPECT_NE(update.message().find("append-only"), absl::string_view::npos)
      << update;
}

TEST_F(SchemaTest, VersionSevenFilesTheStoredEventsUnderTheirPatients) {
  // A version-6 database whose events named a patient, a record below one,
  // a list parent with a "-" patient and a clinic.
  MNR_ASSERT_OK(Migrate(*db_, Migrations().first(6)));
  const std::vector<std::string> resources = {
      "clinics/c1/patients/p1", "clinics/c1/patients/p2/courses/k1",
      "clinics/c1/patients/-/courses/-", "clinics/c1",
      "clinics/c1/patients/p1/consents/x"};
  MNR_ASSERT_OK(db_->Exec("BEGIN"));
  for (size_t i = 0; i < resources.size(); ++i) {
    MNR_ASSERT_OK(db_->Exec(absl::StrCat(
        "INSERT INTO audit_events (seq, time_us, principal, role, action, "
        "clinic, resource, outcome, peer, request_id, prev_hash, hash) "
        "VALUES (",
        i + 1, ", 1, 'ehr-1', 'ehr_system', 'a', 'c1', '", resources[i],
        "', 0, '', '', '", std::string(64, '0'), "', '", std::string(64, '0'),
        "')")));
  }
  MNR_ASSERT_OK(db_->Exec("COMMIT"));
  MNR_ASSERT_OK(Migrate(*db_));
  MNR_ASSERT_OK_AND_ASSIGN(
      const std::string filed,
      db_->QueryText("SELECT group_concat(patient || '@' || seq, ' ') FROM "
                     "(SELECT * FROM audit_patients ORDER BY patient, seq)"));
  EXPECT_EQ(filed,
            "clinics/c1/patients/p1@1 clinics/c1/patients/p1@5 "
            "clinics/c1/patients/p2@2");
  AuditQuery query;
  query.patient = "clinics/c1/patients/p1";
  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<AuditEvent> events,
                           ListAuditEvents(*db_, query));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].resource, resources[0]);
  EXPECT_EQ(events[1].resource, resources[4]);
}

TEST_F(SchemaTest, VersionEightFilesTheStoredRecordsUnderTheirTerms) {
  // A version-7 database with sessions in two clinics, one amended: the
  // terms come from each record's current revision. The test's terms
  // function reads them off the payload ("lot=A;model=X").
  MNR_ASSERT_OK(Migrate(*db_, Migrations().first(7)));
  MNR_ASSERT_OK(db_->Exec("BEGIN"));
  const struct {
    std::string clinic, name, payload;
    int revision;
  } stored[] = {
      {"c1", "clinics/c1/patients/p/courses/k/sessions/s1", "lot=A;model=X", 1},
      {"c1", "clinics/c1/patients/p/courses/k/sessions/s2", "lot=A;model=Y", 1},
      {"c1", "clinics/c1/patients/p/courses/k/sessions/s2", "lot=B", 2},
      {"c2", "clinics/c2/patients/p/courses/k/sessions/s1", "lot=A", 1}};
  for (const auto& r : stored) {
    if (r.revision == 1) {
      MNR_ASSERT_OK(db_->Exec(absl::StrCat(
          "INSERT INTO records (name, kind, clinic, patient, course, session, "
          "actor, event_time_us, category, revision_id) VALUES ('",
          r.name, "', 3, '", r.clinic, "', '', '', '', '', 0, 2, 1)")));
    } else {
      MNR_ASSERT_OK(db_->Exec(absl::StrCat(
          "UPDATE records SET revision_id = 2 WHERE name = '", r.name, "'")));
    }
    MNR_ASSERT_OK(db_->Exec(absl::StrCat(
        "INSERT INTO revisions (name, kind, clinic, patient, course, session, "
        "actor, event_time_us, category, revision_id, create_time_us, "
        "payload) VALUES ('",
        r.name, "', 3, '", r.clinic, "', '', '', '', '', 0, 2, ", r.revision,
        ", 0, CAST('", r.payload, "' AS BLOB))")));
  }
  MNR_ASSERT_OK(db_->Exec("COMMIT"));

  // Without a way to derive the terms the migration stops, nothing half
  // done: a recall must not miss the sessions stored before it.
  const absl::Status refused = Migrate(*db_);
  MNR_EXPECT_CODE(refused, StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("search terms"), absl::string_view::npos)
      << refused;
  MNR_ASSERT_OK_AND_ASSIGN(const int still, SchemaVersion(*db_));
  EXPECT_EQ(still, 7);

  MigrationContext context;
  context.record_terms = [](const RecordRevision& r) {
    return std::vector<std::string>(absl::StrSplit(r.payload, ';'));
  };
  MNR_ASSERT_OK(Migrate(*db_, Migrations(), context));
  MNR_ASSERT_OK_AND_ASSIGN(
      const std::string filed,
      db_->QueryText("SELECT group_concat(t.clinic || ':' || t.term || '@' || "
                     "substr(r.name, -2), ' ') FROM (SELECT * FROM "
                     "record_terms ORDER BY clinic, term, seq) AS t JOIN "
                     "records AS r ON r.seq = t.seq"));
  EXPECT_EQ(filed, "c1:lot=A@s1 c1:lot=B@s2 c1:model=X@s1 c2:lot=A@s1");
}

TEST_F(SchemaTest, VersionNineAcceptsRecordKindsSevenAndEight) {
  // A version-8 database holding an instruction set (kind 6) refuses kind 7.
  MNR_ASSERT_OK(Migrate(*db_, Migrations().first(8), NoTerms()));
  const auto insert = [&](const std::string& name, int kind) {
    return db_->Exec(absl::StrCat(
        "INSERT INTO records (name, kind, clinic, patient, course, session, "
        "actor, event_time_us, category, revision_id) VALUES ('",
        name, "', ", kind, ", 'c1', '', '', '', '', 0, 0, 1)"));
  };
  MNR_ASSERT_OK(db_->Exec("BEGIN"));
  MNR_ASSERT_OK(insert("clinics/c1/instructionSets/a", 6));
  EXPECT_FALSE(insert("clinics/c1/pluginSettings/p", 7).ok());
  MNR_ASSERT_OK(db_->Exec("ROLLBACK"));

  MNR_ASSERT_OK(Migrate(*db_, Migrations(), NoTerms()));
  MNR_ASSERT_OK_AND_ASSIGN(
      const int64_t widened,
      db_->QueryInt64(
          "SELECT count(*) FROM sqlite_schema WHERE type = "
          "'table' AND instr(sql, 'CHECK (kind BETWEEN 1 AND 11)')"));
  EXPECT_EQ(widened, 5);
  MNR_ASSERT_OK(db_->Exec("BEGIN"));
  MNR_EXPECT_OK(insert("clinics/c1/pluginSettings/p", 7));
  MNR_EXPECT_OK(insert("clinics/c1/x/y", 9));
  MNR_EXPECT_OK(insert("clinics/c1/x/z", 11));
  EXPECT_FALSE(insert("clinics/c1/x/w", 12).ok());
  MNR_ASSERT_OK(db_->Exec("ROLLBACK"));
  MNR_ASSERT_OK_AND_ASSIGN(const std::string check,
                           db_->QueryText("PRAGMA integrity_check"));
  EXPECT_EQ(check, "ok");
  // Defensive mode is back: the schema cannot be edited any more.
  EXPECT_FALSE(db_->Exec("PRAGMA writable_schema = ON; UPDATE sqlite_schema "
                         "SET sql = sql WHERE name = 'records'")
                   .ok());
  // Another connection opened afterwards sees the wider check too.
  absl::StatusOr<std::unique_ptr<Connection>> other =
      OpenWriter(dir_.File("schema.db"), SqliteStoreOptions());
  ASSERT_TRUE(other.ok()) << other.status();
  MNR_ASSERT_OK((*other)->Exec("BEGIN"));
  MNR_EXPECT_OK((*other)->Exec(
      "INSERT INTO changes (clinic, patient, kind, name, revision_id, "
      "principal) SELECT 'c1', '', 7, name, 1, '' FROM records WHERE 0"));
  MNR_ASSERT_OK((*other)->Exec("ROLLBACK"));
}

TEST_F(SchemaTest, RefusesANewerDatabase) {
  MNR_ASSERT_OK(Migrate(*db_));
  MNR_ASSERT_OK(db_->Exec(
      absl::StrCat("PRAGMA user_version = ", LatestSchemaVersion() + 1)));
  const absl::Status status = Migrate(*db_);
  MNR_EXPECT_CODE(status, StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("newer than this server knows"),
            absl::string_view::npos)
      << status;
}

TEST_F(SchemaTest, RefusesAForeignDatabase) {
  MNR_ASSERT_OK(db_->Exec("CREATE TABLE someone_elses (x)"));
  MNR_EXPECT_CODE(Migrate(*db_), StatusCode::kFailedPrecondition);
  MNR_ASSERT_OK(db_->Exec("PRAGMA application_id = 42"));
  MNR_EXPECT_CODE(Migrate(*db_), StatusCode::kFailedPrecondition);
}

TEST_F(SchemaTest, RefusesMisnumberedMigrations) {
  const Migration gap[] = {{1, "one", "SELECT 1;"}, {3, "three", "SELECT 1;"}};
  MNR_EXPECT_CODE(Migrate(*db_, gap), StatusCode::kInternal);
  MNR_ASSERT_OK_AND_ASSIGN(const int version, SchemaVersion(*db_));
  EXPECT_EQ(version, 0);
}

}  // namespace
}  // namespace sqlite
}  // namespace mnrecords
