// mnrecords_migrate end to end: a SQLite database built through the real
// server (patients, consents, courses, sessions, amendments, photos,
// revocations, retried and failing calls) is copied into a PostgreSQL
// database of the run's throwaway server (scripts/with-postgres.sh), and
// the copy is proven; PostgresStore then reads exactly what SqliteStore
// reads, and the change feed goes on with the same seqs. Also: a non-empty
// target is refused (and one holding revisions under an older schema), a
// copy stopped at any batch resumes to the same proven result, a tampered
// target fails the proof naming what differs, and the shipped binary's
// exit codes.
#include "tools/migrate/migrate.h"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sha256.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "server/audit/audit_verify.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/sqlite/schema.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fixtures.h"
#include "tests/support/postgres_test_db.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using migrate::MigrateOptions;

#define EXPECT_CONTAINS(text, part) \
  EXPECT_TRUE(absl::StrContains(text, part)) << (text)

using migrate::MigrateReport;

// BuildJourney fills the server's database the way EHRs would.
void BuildJourney(TestServer& server) {
  RecordsClient& client = server.client();
  const absl::Time now = TestNow();
  for (const char* clinic : {"c1", "c2"}) {
    std::vector<v1::InstructionSet> sets;
    for (v1::InstructionKind kind :
         {v1::INSTRUCTION_KIND_PREPARATION, v1::INSTRUCTION_KIND_AFTERCARE,
          v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
      auto set = server.admin_client().PublishInstructionSet(
          InstructionsRequest(clinic, absl::StrCat("set-", kind), kind));
      ASSERT_TRUE(set.ok()) << set.status();
      sets.push_back(*set);
    }
    for (int p = 0; p < 4; ++p) {
      server.clock().Advance(absl::Minutes(7));
      v1::CreatePatientRequest create =
          PatientRequest(clinic, absl::StrCat("MRN-", clinic, "-", p));
      auto patient = client.CreatePatient(create);
      ASSERT_TRUE(patient.ok()) << patient.status();
      // A retried create answers from the request log.
      ASSERT_TRUE(client.CreatePatient(create).ok());
      std::vector<v1::Consent> consents;
      for (const v1::InstructionSet& set : sets) {
        auto consent = client.RecordConsent(
            ConsentRequest(patient->name(), set, now - absl::Hours(24 * 90)));
        ASSERT_TRUE(consent.ok()) << consent.status();
        consents.push_back(*consent);
      }
      auto course = client.CreateCourse(CourseRequest(patient->name()));
      ASSERT_TRUE(course.ok()) << course.status();
      v1::AmendCourseRequest activate;
      activate.mutable_course()->set_name(course->name());
      activate.mutable_course()->set_status(v1::COURSE_STATUS_ACTIVE);
      activate.mutable_update_mask()->add_paths("status");
      activate.set_etag(course->etag());
      activate.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ADDENDUM);
      activate.mutable_amendment()->set_reason("First session booked.");
      activate.mutable_amendment()->set_author("dr-lee");
      ASSERT_TRUE(client.AmendCourse(activate).ok());
      std::string last_session;
      for (int s = 0; s < 3; ++s) {
        server.clock().Advance(absl::Minutes(3));
        auto session = client.LogSession(SessionRequest(
            course->name(), now - absl::Hours(24 * (80 - 30 * s))));
        ASSERT_TRUE(session.ok()) << session.status();
        last_session = session->name();
        if (s == 1) {
          v1::AmendSessionRequest amend;
          amend.mutable_session()->set_name(session->name());
          amend.mutable_session()->set_duration_minutes(50 + p);
          amend.mutable_update_mask()->add_paths("duration_minutes");
          amend.set_etag(session->etag());
          amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
          amend.mutable_amendment()->set_reason("Timer misread.");
          amend.mutable_amendment()->set_author("dr-lee");
          ASSERT_TRUE(client.AmendSession(amend).ok());
        }
      }
      auto photo = client.CreatePhoto(
          PhotoRequest(last_session, v1::PHOTO_PHASE_FOLLOW_UP, now));
      ASSERT_TRUE(photo.ok()) << photo.status();
      if (p == 0) {
        v1::RevokeConsentRequest revoke;
        revoke.set_name(consents.back().name());
        revoke.set_reason("patient withdrew");
        revoke.set_author("nurse-kim");
        ASSERT_TRUE(client.RevokeConsent(revoke).ok());
      }
      v1::GetCourseSummaryRequest summary;
      summary.set_name(course->name());
      ASSERT_TRUE(client.GetCourseSummary(summary).ok());
    }
  }
  // A refused call is audited too.
  v1::GetPatientRequest missing;
  missing.set_name("clinics/c3/patients/nobody");
  EXPECT_FALSE(client.GetPatient(missing).ok());
}

std::string FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return Sha256Hex(bytes.str());
}

std::string Problems(const MigrateReport& report) {
  return absl::StrJoin(report.proof.problems, "\n");
}

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestBackendIsPostgres()) {
      GTEST_SKIP() << "the source is the SQLite file of a TestServer";
    }
    server_ = std::make_unique<TestServer>();
    BuildJourney(*server_);
    server_->Stop();
    source_ = server_->db_path();
    target_ = NewTarget();
  }

  std::string NewTarget() {
    absl::StatusOr<std::string> uri =
        PostgresTestDatabase(UniqueTempPath("migrate-target"));
    EXPECT_TRUE(uri.ok()) << uri.status();
    return uri.ok() ? *uri : "";
  }

  MigrateOptions Options() const {
    MigrateOptions options;
    options.from = source_;
    options.to = target_;
    options.copy.batch_rows = 16;  // many batches from a small database
    return options;
  }

  void Exec(const std::string& sql) {
    auto db = postgres::PgConnection::Connect(target_);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Exec(sql).ok()) << sql;
  }

  std::unique_ptr<TestServer> server_;
  std::string source_;
  std::string target_;
};

// ---- what PostgresStore reads after the copy ----

void ExpectSameRevision(const StoredRecord& a, const StoredRecord& b) {
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.version, b.version);
  const RecordRevision& x = a.revision;
  const RecordRevision& y = b.revision;
  EXPECT_EQ(x.name, y.name);
  EXPECT_EQ(x.kind, y.kind);
  EXPECT_EQ(x.clinic, y.clinic);
  EXPECT_EQ(x.patient, y.patient);
  EXPECT_EQ(x.course, y.course);
  EXPECT_EQ(x.session, y.session);
  EXPECT_EQ(x.actor, y.actor);
  EXPECT_EQ(x.event_time_us, y.event_time_us);
  EXPECT_EQ(x.category, y.category);
  EXPECT_EQ(x.revision_id, y.revision_id) << x.name;
  EXPECT_EQ(x.create_time, y.create_time) << x.name;
  EXPECT_EQ(x.payload, y.payload) << x.name;
}

void ExpectSameAudit(const AuditEvent& a, const AuditEvent& b) {
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.principal, b.principal);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.action, b.action);
  EXPECT_EQ(a.clinic, b.clinic);
  EXPECT_EQ(a.resource, b.resource);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.peer, b.peer);
  EXPECT_EQ(a.request_id, b.request_id);
  EXPECT_EQ(a.prev_hash, b.prev_hash);
  EXPECT_EQ(a.hash, b.hash);
}

// Pages reads `list` (ReadTxn::ListRecords, ::ListChanges) from `store`
// page by page, each after the last seq of the one before, until a page
// is empty or it has `max` rows (-1 = all).
template <typename Row, typename Query>
std::vector<Row> Pages(
    Store& store, Query query,
    absl::StatusOr<std::vector<Row>> (ReadTxn::*list)(const Query&),
    int max = -1) {
  std::vector<Row> out;
  while (max < 0 || static_cast<int>(out.size()) < max) {
    std::vector<Row> page;
    EXPECT_TRUE(store
                    .Read([&](ReadTxn& txn) -> absl::Status {
                      auto rows = (txn.*list)(query);
                      if (!rows.ok()) return rows.status();
                      page = *std::move(rows);
                      return absl::OkStatus();
                    })
                    .ok());
    if (page.empty()) break;
    query.after_seq = page.back().seq;
    out.insert(out.end(), page.begin(), page.end());
  }
  if (max >= 0 && static_cast<int>(out.size()) > max) out.resize(max);
  return out;
}

// AllRecords lists every current record of every kind in `clinic`.
std::vector<StoredRecord> AllRecords(Store& store, const std::string& clinic) {
  std::vector<StoredRecord> out;
  for (int kind = 1; kind <= 6; ++kind) {
    RecordQuery query;
    query.kind = static_cast<RecordKind>(kind);
    query.clinic = clinic;
    query.limit = 7;
    const std::vector<StoredRecord> records =
        Pages(store, query, &ReadTxn::ListRecords);
    out.insert(out.end(), records.begin(), records.end());
  }
  return out;
}

void ExpectSameReads(Store& sqlite, Store& pg) {
  int64_t records = 0;
  int64_t revisions = 0;
  for (const char* clinic : {"c1", "c2", "c3"}) {
    const std::vector<StoredRecord> a = AllRecords(sqlite, clinic);
    const std::vector<StoredRecord> b = AllRecords(pg, clinic);
    ASSERT_EQ(a.size(), b.size()) << clinic;
    for (size_t i = 0; i < a.size(); ++i) {
      ExpectSameRevision(a[i], b[i]);
      const std::string& name = a[i].revision.name;
      std::vector<StoredRecord> ra;
      std::vector<StoredRecord> rb;
      std::vector<CategoryCount> ca;
      std::vector<CategoryCount> cb;
      auto read = [&](Store& store, std::vector<StoredRecord>& revs,
                      std::vector<CategoryCount>& counts) {
        ASSERT_TRUE(store
                        .Read([&](ReadTxn& txn) -> absl::Status {
                          auto r = txn.ListRevisions(name, 0, 1000);
                          if (!r.ok()) return r.status();
                          revs = *std::move(r);
                          auto c =
                              txn.CountChildren(name, RecordKind::kSession);
                          if (!c.ok()) return c.status();
                          counts = *std::move(c);
                          return absl::OkStatus();
                        })
                        .ok());
      };
      read(sqlite, ra, ca);
      read(pg, rb, cb);
      ASSERT_EQ(ra.size(), rb.size()) << name;
      for (size_t j = 0; j < ra.size(); ++j) ExpectSameRevision(ra[j], rb[j]);
      ASSERT_EQ(ca.size(), cb.size()) << name;
      for (size_t j = 0; j < ca.size(); ++j) {
        EXPECT_EQ(ca[j].category, cb[j].category);
        EXPECT_EQ(ca[j].count, cb[j].count);
      }
      ++records;
      revisions += static_cast<int64_t>(ra.size());
    }
  }
  EXPECT_GT(records, 50);
  EXPECT_GT(revisions, records);  // amendments and revocations
  std::vector<AuditEvent> ea;
  std::vector<AuditEvent> eb;
  ASSERT_TRUE(sqlite
                  .Read([&](ReadTxn& txn) -> absl::Status {
                    auto e = txn.ReadAuditEvents(1, 100000);
                    if (!e.ok()) return e.status();
                    ea = *std::move(e);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(pg.Read([&](ReadTxn& txn) -> absl::Status {
                  auto e = txn.ReadAuditEvents(1, 100000);
                  if (!e.ok()) return e.status();
                  eb = *std::move(e);
                  return absl::OkStatus();
                }).ok());
  ASSERT_EQ(ea.size(), eb.size());
  ASSERT_GT(ea.size(), 100u);
  for (size_t i = 0; i < ea.size(); ++i) ExpectSameAudit(ea[i], eb[i]);
}

// ---- the change feed after the copy ----

// ChangeRow is one row of the changes table, every column.
struct ChangeRow {
  int64_t seq = 0;
  std::string clinic;
  std::string patient;
  int64_t kind = 0;
  std::string name;
  int64_t revision_id = 0;
  std::string principal;

  bool operator==(const ChangeRow& o) const {
    return std::tie(seq, clinic, patient, kind, name, revision_id, principal) ==
           std::tie(o.seq, o.clinic, o.patient, o.kind, o.name, o.revision_id,
                    o.principal);
  }
};

std::ostream& operator<<(std::ostream& out, const ChangeRow& c) {
  return out << "change " << c.seq << " (" << c.clinic << ", " << c.patient
             << ", kind " << c.kind << ", " << c.name << " revision "
             << c.revision_id << ", by \"" << c.principal << "\")";
}

constexpr char kChangeRowsSql[] =
    "SELECT seq, clinic, patient, kind, name, revision_id, principal FROM "
    "changes ORDER BY seq";

std::vector<ChangeRow> SqliteChangeRows(const std::string& path) {
  std::vector<ChangeRow> out;
  auto db = sqlite::Connection::Open(path, SQLITE_OPEN_READONLY);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return out;
  auto rows = (*db)->Prepare(kChangeRowsSql);
  EXPECT_TRUE(rows.ok()) << rows.status();
  if (!rows.ok()) return out;
  while (true) {
    absl::StatusOr<bool> more = (*rows)->Step();
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) return out;
    const sqlite::Statement& r = **rows;
    out.push_back({r.ColumnInt64(0), r.ColumnText(1), r.ColumnText(2),
                   r.ColumnInt64(3), r.ColumnText(4), r.ColumnInt64(5),
                   r.ColumnText(6)});
  }
}

std::vector<ChangeRow> PgChangeRows(const std::string& uri) {
  std::vector<ChangeRow> out;
  auto db = postgres::PgConnection::Connect(uri);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return out;
  auto r = (*db)->Query(kChangeRowsSql);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back({r->Int64(i, 0), r->Text(i, 1), r->Text(i, 2), r->Int64(i, 3),
                   r->Text(i, 4), r->Int64(i, 5), r->Text(i, 6)});
  }
  return out;
}

// Changes reads `clinic`'s changes after `after_seq` from `store`, up to
// `max` of them (-1 = all).
std::vector<StoredChange> Changes(Store& store, const std::string& clinic,
                                  int64_t after_seq, int max = -1) {
  ChangeQuery query;
  query.clinic = clinic;
  query.after_seq = after_seq;
  query.limit = 9;
  return Pages(store, query, &ReadTxn::ListChanges, max);
}

// ExpectFeedResumes: a consumer that followed `clinic`'s feed on the
// SQLite server up to its middle and then goes on from its cursor on the
// PostgreSQL copy sees every change exactly once, in order.
void ExpectFeedResumes(Store& sqlite, Store& pg, const std::string& clinic) {
  const std::vector<StoredChange> all = Changes(sqlite, clinic, 0);
  ASSERT_GT(all.size(), 20u) << clinic;
  std::vector<StoredChange> seen =
      Changes(sqlite, clinic, 0, static_cast<int>(all.size() / 2));
  const int64_t cursor = seen.back().seq;
  const std::vector<StoredChange> rest = Changes(pg, clinic, cursor);
  seen.insert(seen.end(), rest.begin(), rest.end());
  ASSERT_EQ(seen.size(), all.size()) << clinic << " after " << cursor;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(seen[i].seq, all[i].seq);
    EXPECT_EQ(seen[i].principal, all[i].principal);
    EXPECT_EQ(seen[i].revision.name, all[i].revision.name);
    EXPECT_EQ(seen[i].revision.revision_id, all[i].revision.revision_id);
    EXPECT_EQ(seen[i].revision.payload, all[i].revision.payload);
  }
}

TEST_F(MigrateTest, CopiesTheJourneyAndProvesIt) {
  const std::string before = FileSha256(source_);
  MigrateOptions options = Options();
  std::vector<std::string> progress;
  options.progress.report = [&](const std::string& line, bool) {
    progress.push_back(line);
  };
  absl::StatusOr<MigrateReport> report = migrate::RunMigration(options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->proof.ok()) << Problems(*report);
  EXPECT_EQ(FileSha256(source_), before) << "the source was modified";
  ASSERT_TRUE(report->copy.has_value());
  EXPECT_GT(report->copy->batches, 10);
  ASSERT_EQ(report->proof.tables.size(), 9u);
  for (const migrate::TableProof& t : report->proof.tables) {
    EXPECT_GT(t.source_rows, 0) << t.table;
    EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
    EXPECT_EQ(t.differences, 0) << t.table;
  }
  EXPECT_EQ(report->proof.target_chain_events,
            report->proof.tables.back().target_rows);
  EXPECT_GT(report->proof.source_head.seq, 100);
  EXPECT_CONTAINS(absl::StrJoin(progress, "\n"),
                  "copy records+revisions: done");

  // The changes are the source's, row for row, seqs included (not the
  // target schema's backfill, which would have no principals).
  const std::vector<ChangeRow> source_changes = SqliteChangeRows(source_);
  ASSERT_GT(source_changes.size(), 100u);
  EXPECT_NE(source_changes.back().principal, "");
  EXPECT_EQ(PgChangeRows(target_), source_changes);
  const int64_t copied_max_change = source_changes.back().seq;

  // PostgresStore on the copy reads what SqliteStore reads on the source.
  auto pg = PostgresStore::Open(target_);
  ASSERT_TRUE(pg.ok()) << pg.status();
  {
    auto sqlite = SqliteStore::Open(source_);
    ASSERT_TRUE(sqlite.ok()) << sqlite.status();
    ExpectSameReads(**sqlite, **pg);
    for (const char* clinic : {"c1", "c2"}) {
      ExpectFeedResumes(**sqlite, **pg, clinic);
    }
  }
  const int64_t head = report->proof.source_head.seq;
  auto verified = VerifyAuditRange(**pg, 1, head, head);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_FALSE(verified->broken.has_value()) << verified->broken->problem;
  EXPECT_EQ(verified->events_checked, head);

  // A server on the copy goes on where the source stopped: the next record
  // gets the next seq, the next change a seq above every copied one, the
  // next audit event chains onto the source's head.
  auto db = postgres::PgConnection::Connect(target_);
  ASSERT_TRUE(db.ok()) << db.status();
  auto max_seq = (*db)->Query("SELECT max(seq) FROM records");
  ASSERT_TRUE(max_seq.ok()) << max_seq.status();
  RecordRevision patient;
  patient.name = "clinics/c1/patients/after-migration";
  patient.kind = RecordKind::kPatient;
  patient.clinic = "c1";
  patient.patient = patient.name;
  patient.revision_id = 1;
  patient.create_time = TestNow();
  patient.payload = "new";
  AuditEvent event;
  event.time = TestNow();
  event.principal = "ehr";
  event.role = "ehr_system";
  event.action = "/test/AfterMigration";
  AuditEvent appended;
  StoredRecord stored;
  ASSERT_TRUE((*pg)
                  ->Write([&](WriteTxn& txn) -> absl::Status {
                    txn.set_principal("ehr");
                    absl::Status s = txn.InsertRecord(patient, {});
                    if (!s.ok()) return s;
                    auto r = txn.GetRecord(patient.name, 0);
                    if (!r.ok()) return r.status();
                    stored = *r;
                    auto e = txn.AppendAuditEvent(event);
                    if (!e.ok()) return e.status();
                    appended = *e;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(stored.seq, max_seq->Int64(0, 0) + 1);
  EXPECT_EQ(appended.seq, head + 1);
  EXPECT_EQ(appended.prev_hash, report->proof.source_head.hash);
  const std::vector<StoredChange> after = Changes(**pg, "c1", 0);
  ASSERT_FALSE(after.empty());
  const StoredChange& next = after.back();
  EXPECT_EQ(next.revision.name, patient.name);
  EXPECT_EQ(next.principal, "ehr");
  EXPECT_GT(next.seq, copied_max_change);
  EXPECT_EQ(next.seq, copied_max_change + 1);
  EXPECT_EQ(Changes(**pg, "c1", copied_max_change).size(), 1u);
}

TEST_F(MigrateTest, RefusesATargetThatIsNotEmpty) {
  ASSERT_TRUE(migrate::RunMigration(Options()).ok());
  absl::StatusOr<MigrateReport> again = migrate::RunMigration(Options());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_CONTAINS(again.status().message(), "not empty");

  // --resume on a complete copy copies nothing and proves it again.
  MigrateOptions resume = Options();
  resume.resume = true;
  absl::StatusOr<MigrateReport> resumed = migrate::RunMigration(resume);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_TRUE(resumed->proof.ok()) << Problems(*resumed);
  for (const migrate::TableCopy& t : resumed->copy->tables) {
    EXPECT_EQ(t.rows, 0) << t.table;
    EXPECT_FALSE(t.resumed_after.empty()) << t.table;
  }

  // One row anywhere is enough to refuse.
  target_ = NewTarget();
  ASSERT_TRUE(PostgresStore::Open(target_).ok());
  Exec(
      "INSERT INTO record_counts (parent, kind, category, count) VALUES "
      "('clinics/c9/patients/x', 2, 1, 1)");
  absl::StatusOr<MigrateReport> refused = migrate::RunMigration(Options());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_CONTAINS(refused.status().message(), "record_counts");
}

// Stops the copy before the COMMIT of every few batches, as a crash would,
// and resumes each time until it completes: every phase gets interrupted.
TEST_F(MigrateTest, ResumesAfterEveryInterruption) {
  MigrateOptions options = Options();
  options.copy.stop_after_batches = 0;  // the first run stops at once
  absl::StatusOr<MigrateReport> report = migrate::RunMigration(options);
  ASSERT_EQ(report.status().code(), absl::StatusCode::kAborted);
  options.resume = true;
  options.copy.stop_after_batches = 3;
  int runs = 1;
  std::vector<std::string> resumed_tables;
  while (true) {
    report = migrate::RunMigration(options);
    ++runs;
    if (report.ok()) break;
    ASSERT_EQ(report.status().code(), absl::StatusCode::kAborted)
        << report.status();
    ASSERT_LT(runs, 500);
  }
  EXPECT_GT(runs, 10);
  EXPECT_TRUE(report->proof.ok()) << Problems(*report);
  for (const migrate::TableProof& t : report->proof.tables) {
    EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
  }

  // A copy stopped midway is refused without --resume.
  target_ = NewTarget();
  options = Options();
  options.copy.stop_after_batches = 5;
  ASSERT_FALSE(migrate::RunMigration(options).ok());
  options.copy.stop_after_batches = -1;
  EXPECT_EQ(migrate::RunMigration(options).status().code(),
            absl::StatusCode::kFailedPrecondition);
  options.resume = true;
  report = migrate::RunMigration(options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->proof.ok()) << Problems(*report);
  EXPECT_FALSE(report->copy->tables[0].resumed_after.empty());
}

// A copy begun under the previous PostgreSQL schema (no changes table yet)
// is not upgraded: schema 2 would derive changes of its own for the copied
// revisions, with other seqs than the source's.
TEST_F(MigrateTest, RefusesToUpgradeAPartialCopyOfAnOlderSchema) {
  MigrateOptions options = Options();
  options.copy.stop_after_batches = 4;
  ASSERT_EQ(migrate::RunMigration(options).status().code(),
            absl::StatusCode::kAborted);
  Exec("DROP TABLE changes; UPDATE mnrecords_schema SET version = 1");
  options.resume = true;
  options.copy.stop_after_batches = -1;
  absl::StatusOr<MigrateReport> report = migrate::RunMigration(options);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_CONTAINS(report.status().message(),
                  "holds revisions under mnrecords schema version 1");
  auto db = postgres::PgConnection::Connect(target_);
  ASSERT_TRUE(db.ok()) << db.status();
  auto version = (*db)->Query("SELECT version FROM mnrecords_schema");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->Int64(0, 0), 1) << "the target was migrated";
}

TEST_F(MigrateTest, RefusesToResumeFromAnotherSource) {
  MigrateOptions options = Options();
  options.copy.stop_after_batches = 4;
  ASSERT_FALSE(migrate::RunMigration(options).ok());
  // Another database, with the same shape but other records.
  TestServer other;
  BuildJourney(other);
  other.Stop();
  options.from = other.db_path();
  options.resume = true;
  options.copy.stop_after_batches = -1;
  absl::StatusOr<MigrateReport> report = migrate::RunMigration(options);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_CONTAINS(report.status().message(), "refusing to resume");
}

TEST_F(MigrateTest, TamperedTargetFailsTheProofNamingWhatDiffers) {
  ASSERT_TRUE(migrate::RunMigration(Options()).ok());
  // Change one byte of revision 2 of an amended session, as someone with
  // the database's owner rights could (the triggers refuse it otherwise).
  auto db = postgres::PgConnection::Connect(target_);
  ASSERT_TRUE(db.ok());
  auto amended = (*db)->Query(
      "SELECT name FROM revisions WHERE revision_id = 2 AND kind = 3 "
      "ORDER BY name LIMIT 1");
  ASSERT_TRUE(amended.ok() && amended->rows() == 1);
  const std::string name = amended->Text(0, 0);
  EXPECT_FALSE((*db)
                   ->Exec("UPDATE revisions SET payload = '\\x00'::bytea "
                          "WHERE revision_id = 1")
                   .ok())
      << "the append-only trigger must refuse";
  ASSERT_TRUE((*db)
                  ->Exec("ALTER TABLE revisions DISABLE TRIGGER ALL; "
                         "ALTER TABLE audit_events DISABLE TRIGGER ALL; "
                         "ALTER TABLE changes DISABLE TRIGGER ALL")
                  .ok());
  ASSERT_TRUE(
      (*db)
          ->Query("UPDATE revisions SET payload = set_byte(payload, 5, "
                  "(get_byte(payload, 5) + 1) % 256) WHERE name = $1 AND "
                  "revision_id = 2",
                  {name})
          .ok());
  ASSERT_TRUE(
      (*db)
          ->Exec("UPDATE audit_events SET principal = 'x' WHERE seq = 7")
          .ok());
  // A change under another seq: a consumer's cursor would skip or repeat.
  auto change =
      (*db)->Query("SELECT name, revision_id FROM changes WHERE seq = 3");
  ASSERT_TRUE(change.ok() && change->rows() == 1);
  const std::string change_name = change->Text(0, 0);
  const int64_t change_revision = change->Int64(0, 1);
  ASSERT_TRUE(
      (*db)
          ->Exec("CREATE TEMP TABLE moved AS SELECT * FROM changes WHERE "
                 "seq = 3; DELETE FROM changes WHERE seq = 3; INSERT INTO "
                 "changes OVERRIDING SYSTEM VALUE SELECT seq + 1000000, "
                 "clinic, patient, kind, name, revision_id, principal FROM "
                 "moved")
          .ok());
  ASSERT_TRUE((*db)
                  ->Exec("ALTER TABLE revisions ENABLE TRIGGER ALL; "
                         "ALTER TABLE audit_events ENABLE TRIGGER ALL; "
                         "ALTER TABLE changes ENABLE TRIGGER ALL")
                  .ok());

  MigrateOptions verify = Options();
  verify.verify_only = true;
  absl::StatusOr<MigrateReport> report = migrate::RunMigration(verify);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->proof.ok());
  const std::string problems = Problems(*report);
  EXPECT_CONTAINS(problems, absl::StrCat("revision 2 of record ", name,
                                         " differs: payload SHA-256"));
  EXPECT_CONTAINS(problems, "audit event 7 differs: principal");
  EXPECT_CONTAINS(problems, "audit chain on the target: event 7: stored hash");
  EXPECT_CONTAINS(problems,
                  absl::StrCat("change 3 (revision ", change_revision, " of ",
                               change_name, ") is missing on the target"));
  EXPECT_CONTAINS(problems, "changes.seq identity would hand out");

  // The tail of the log cut off: the source's checkpoint is not the
  // target's last event any more.
  ASSERT_TRUE((*db)
                  ->Exec("ALTER TABLE audit_events DISABLE TRIGGER ALL; "
                         "DELETE FROM audit_events WHERE seq = (SELECT "
                         "max(seq) FROM audit_events); "
                         "ALTER TABLE audit_events ENABLE TRIGGER ALL")
                  .ok());
  report = migrate::RunMigration(verify);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_CONTAINS(
      Problems(*report),
      absl::StrCat("the source's checkpoint (its last event) ",
                   report->proof.source_head.seq, ":",
                   report->proof.source_head.hash, " is not the target's"));
}

TEST_F(MigrateTest, VerifiesTheCheckpointsAnAuditorHolds) {
  ASSERT_TRUE(migrate::RunMigration(Options()).ok());
  auto sqlite = SqliteStore::Open(source_);
  ASSERT_TRUE(sqlite.ok());
  AuditEvent tenth;
  ASSERT_TRUE((*sqlite)
                  ->Read([&](ReadTxn& txn) -> absl::Status {
                    auto e = txn.ReadAuditEvents(10, 1);
                    if (!e.ok()) return e.status();
                    tenth = e->at(0);
                    return absl::OkStatus();
                  })
                  .ok());
  MigrateOptions verify = Options();
  verify.verify_only = true;
  verify.checkpoints = {{10, tenth.hash}};
  absl::StatusOr<MigrateReport> report = migrate::RunMigration(verify);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->proof.ok()) << Problems(*report);
  verify.checkpoints = {{10, tenth.prev_hash}};
  report = migrate::RunMigration(verify);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_CONTAINS(
      Problems(*report),
      absl::StrCat("checkpoint 10:", tenth.prev_hash,
                   ": event 10 in the source has hash ", tenth.hash));
  EXPECT_FALSE(migrate::ParseCheckpoint("10:abc").ok());
  EXPECT_FALSE(migrate::ParseCheckpoint("0:" + tenth.hash).ok());
}

TEST_F(MigrateTest, RefusesASourceOfAnotherSchemaVersion) {
  const std::string old_path = UniqueTempPath("old-schema.db");
  {
    auto db = sqlite::Connection::Open(
        old_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(sqlite::Migrate(**db, sqlite::Migrations().subspan(0, 2)).ok());
  }
  MigrateOptions options = Options();
  options.from = old_path;
  absl::StatusOr<MigrateReport> report = migrate::RunMigration(options);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_CONTAINS(report.status().message(), "schema version 2");
  std::remove(old_path.c_str());

  options.from = UniqueTempPath("missing.db");
  EXPECT_FALSE(migrate::RunMigration(options).ok());
}

// ---- the shipped binary ----

struct ProcessRun {
  int exit_code = -1;
  std::string output;
};

ProcessRun RunBinary(const std::string& args) {
  const std::string command =
      absl::StrCat(MNRECORDS_MIGRATE_BINARY, " ", args, " 2>&1");
  ProcessRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    run.output.append(buffer, n);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST_F(MigrateTest, BinaryExitCodes) {
  const std::string flags =
      absl::StrCat("--from=", source_, " --to=", target_, " --batch_rows=20");
  ProcessRun stopped = RunBinary(flags + " --stop_after_batches=2");
  EXPECT_EQ(stopped.exit_code, 3) << stopped.output;
  ProcessRun refused = RunBinary(flags);
  EXPECT_EQ(refused.exit_code, 3) << refused.output;
  EXPECT_CONTAINS(refused.output, "not empty");
  ProcessRun resumed = RunBinary(flags + " --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_CONTAINS(resumed.output, "proof: the target is an exact copy");
  EXPECT_CONTAINS(resumed.output, "rows/s");
  ProcessRun wrong = RunBinary(
      flags + " --verify_only --checkpoint=1:" + std::string(64, 'a') +
      " --checkpoint=2:" + std::string(64, 'b'));
  EXPECT_EQ(wrong.exit_code, 1) << wrong.output;
  EXPECT_CONTAINS(wrong.output, "checkpoint 1:");
  EXPECT_CONTAINS(wrong.output, "checkpoint 2:");
  ProcessRun usage = RunBinary("--from=" + source_ + " --to=/tmp/x.db");
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
}

}  // namespace
}  // namespace mnrecords::testing
