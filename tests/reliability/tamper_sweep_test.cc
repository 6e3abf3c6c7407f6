// The tamper sweep: many single changes, each to a fresh copy of one
// database (records written through the real server: published texts,
// patients with consents, courses, sessions, photos and amendments), made
// as an attacker with access to the database would make them (triggers
// off): record payloads and columns flipped, stored hashes rewritten, a
// change covered with a recomputed hash, revision rows deleted or
// duplicated, audit events changed, deleted or rewritten with their own
// hash. Each must be detected, naming the right record or event, by a read
// of the record, by VerifyRecords' check (VerifyStoredRevisions) or by
// VerifyAuditLog's (VerifyAuditRange plus the checkpoint the auditor
// kept). An untouched copy must raise no alarm.
//
// The checks run in-process on the copy through the same functions the
// RPCs call (a server start per copy would make the sweep minutes long);
// record_integrity_test.cc drives the RPCs themselves.
//
// MNRECORDS_TEST_BACKEND=postgres runs it on PostgreSQL (copies are
// CREATE DATABASE ... TEMPLATE); MNRECORDS_TAMPER_MUTATIONS sets how many
// changes (default 1000).
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "server/audit/audit_verify.h"
#include "server/audit/records_verify.h"
#include "server/store/audit_chain.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/revision_hash.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// Bytes is a blob parameter.
struct Bytes {
  std::string bytes;
};
using Param = std::variant<int64_t, std::string, Bytes>;

// Backend copies the golden database and changes a copy behind the
// server's back. SQL uses $1, $2, ... in order of first appearance.
class Backend {
 public:
  virtual ~Backend() = default;
  // Copy makes copy `i` of the golden database; returns where it is.
  virtual absl::StatusOr<std::string> Copy(int i) = 0;
  // Tamper runs `sql` on the copy with every trigger off.
  virtual absl::Status Tamper(const std::string& where, const std::string& sql,
                              const std::vector<Param>& params) = 0;
  virtual absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& where) = 0;
  virtual void Drop(const std::string& where) = 0;
};

class SqliteBackend final : public Backend {
 public:
  SqliteBackend(std::string golden, std::string dir)
      : golden_(std::move(golden)), dir_(std::move(dir)) {}

  absl::StatusOr<std::string> Copy(int i) override {
    const std::string path = absl::StrCat(dir_, "/copy-", i, ".db");
    for (const char* suffix : {"", "-wal"}) {
      if (!std::filesystem::exists(golden_ + suffix)) continue;
      std::error_code error;
      std::filesystem::copy_file(golden_ + suffix, path + suffix, error);
      if (error) return absl::InternalError(error.message());
    }
    return path;
  }

  absl::Status Tamper(const std::string& where, const std::string& sql,
                      const std::vector<Param>& params) override {
    sqlite3* db = nullptr;
    if (sqlite3_open(where.c_str(), &db) != SQLITE_OK) {
      sqlite3_close(db);
      return absl::InternalError(absl::StrCat("cannot open ", where));
    }
    absl::Status status = Run(db, sql, params);
    sqlite3_close(db);
    return status;
  }

  absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& where) override {
    auto store = SqliteStore::Open(where);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }

  void Drop(const std::string& where) override {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(where + suffix);
    }
  }

 private:
  static absl::Status Run(sqlite3* db, const std::string& sql,
                          const std::vector<Param>& params) {
    auto error = [&](absl::string_view what) {
      return absl::InternalError(
          absl::StrCat(what, ": ", sqlite3_errmsg(db), " in ", sql));
    };
    // Every trigger of the schema, dropped in the attacker's transaction.
    std::string drop = "BEGIN;";
    {
      sqlite3_stmt* list = nullptr;
      sqlite3_prepare_v2(db,
                         "SELECT name FROM sqlite_schema WHERE type = "
                         "'trigger'",
                         -1, &list, nullptr);
      while (sqlite3_step(list) == SQLITE_ROW) {
        absl::StrAppend(
            &drop, "DROP TRIGGER ",
            reinterpret_cast<const char*>(sqlite3_column_text(list, 0)), ";");
      }
      sqlite3_finalize(list);
    }
    if (sqlite3_exec(db, drop.c_str(), nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
      return error("dropping the triggers");
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return error("prepare");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      if (const int64_t* n = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(stmt, at, *n);
      } else if (const std::string* s = std::get_if<std::string>(&params[i])) {
        sqlite3_bind_text(stmt, at, s->data(), static_cast<int>(s->size()),
                          SQLITE_TRANSIENT);
      } else {
        const std::string& b = std::get<Bytes>(params[i]).bytes;
        sqlite3_bind_blob(stmt, at, b.data(), static_cast<int>(b.size()),
                          SQLITE_TRANSIENT);
      }
    }
    const int stepped = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (stepped != SQLITE_DONE) return error("step");
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return error("commit");
    }
    return absl::OkStatus();
  }

  const std::string golden_;
  const std::string dir_;
};

class PostgresBackend final : public Backend {
 public:
  // `golden` is the golden database's URI, postgresql:///{name}.
  explicit PostgresBackend(const std::string& golden)
      : golden_(golden.substr(golden.rfind('/') + 1)) {}

  absl::StatusOr<std::string> Copy(int i) override {
    auto admin = Admin();
    if (!admin.ok()) return admin.status();
    const std::string name = absl::StrCat(golden_, "_copy_", i);
    absl::Status dropped =
        (*admin)->Exec(absl::StrCat("DROP DATABASE IF EXISTS ", name));
    if (!dropped.ok()) return dropped;
    absl::Status created = (*admin)->Exec(
        absl::StrCat("CREATE DATABASE ", name, " TEMPLATE ", golden_));
    if (!created.ok()) return created;
    return absl::StrCat("postgresql:///", name);
  }

  absl::Status Tamper(const std::string& where, const std::string& sql,
                      const std::vector<Param>& params) override {
    auto db = postgres::PgConnection::Connect(where);
    if (!db.ok()) return db.status();
    // Replica mode fires no ordinary trigger and no foreign-key check.
    absl::Status off = (*db)->Exec("SET session_replication_role = replica");
    if (!off.ok()) return off;
    std::vector<postgres::PgParam> pg;
    for (const Param& p : params) {
      if (const int64_t* n = std::get_if<int64_t>(&p)) {
        pg.emplace_back(*n);
      } else if (const std::string* s = std::get_if<std::string>(&p)) {
        pg.emplace_back(*s);
      } else {
        pg.emplace_back(postgres::PgBytes{std::get<Bytes>(p).bytes});
      }
    }
    return (*db)->Query(sql, pg).status();
  }

  absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& where) override {
    auto store = PostgresStore::Open(where);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }

  void Drop(const std::string& where) override {
    auto admin = Admin();
    if (!admin.ok()) return;
    (*admin)
        ->Exec(absl::StrCat("DROP DATABASE IF EXISTS ",
                            where.substr(where.rfind('/') + 1)))
        .IgnoreError();
  }

 private:
  static absl::StatusOr<std::unique_ptr<postgres::PgConnection>> Admin() {
    return postgres::PgConnection::Connect(std::getenv("MNRECORDS_TEST_PG"));
  }
  const std::string golden_;
};

// Golden is what the golden database holds, read once.
struct Golden {
  std::vector<StoredRevision> revisions;
  std::map<std::string, int64_t> last_revision;  // by record name
  std::vector<AuditEvent> events;                // seq order
};

absl::StatusOr<Golden> ReadGolden(Store& store) {
  Golden golden;
  absl::Status read = store.Read([&](ReadTxn& txn) -> absl::Status {
    absl::Status scanned = txn.ScanRevisions(
        "", 0, 1, [&](const StoredRevision& row) -> absl::Status {
          golden.revisions.push_back(row);
          int64_t& last = golden.last_revision[row.revision.name];
          last = std::max(last, row.revision.revision_id);
          return absl::OkStatus();
        });
    if (!scanned.ok()) return scanned;
    return txn.ScanAuditEvents(1, INT64_MAX,
                               [&](const AuditEvent& e) -> absl::Status {
                                 golden.events.push_back(e);
                                 return absl::OkStatus();
                               });
  });
  if (!read.ok()) return read;
  return golden;
}

// Findings are what the checks of a copy report.
struct Findings {
  std::optional<AuditChainBreak> chain;  // VerifyAuditLog's
  RevisionsCheck records;                // VerifyRecords'
  absl::Status read;                     // the read of one revision, if asked
};

// Check runs the checks on `store` against the checkpoint `head` (the
// golden log's last event), reading revision `read` if given.
absl::StatusOr<Findings> Check(
    Store& store, const AuditEvent& head,
    const std::optional<std::pair<std::string, int64_t>>& read) {
  Findings out;
  int64_t last = 0;
  std::optional<AuditEvent> at_checkpoint;
  absl::Status status = store.Read([&](ReadTxn& txn) -> absl::Status {
    auto events = txn.ReadAuditEvents(head.seq, 1);
    if (!events.ok()) return events.status();
    if (!events->empty() && (*events)[0].seq == head.seq) {
      at_checkpoint = (*events)[0];
    }
    auto tail = txn.LastAuditEvent();
    if (!tail.ok()) return tail.status();
    last = tail->has_value() ? (*tail)->seq : 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (last >= 1) {
    auto chain = VerifyAuditRange(store, 1, last, last);
    if (!chain.ok()) return chain.status();
    out.chain = chain->broken;
  }
  if (!out.chain.has_value() &&
      (!at_checkpoint.has_value() || at_checkpoint->hash != head.hash)) {
    out.chain = AuditChainBreak{head.seq, "", "the checkpoint does not hold"};
  }
  auto records = VerifyStoredRevisions(store, "", 20);
  if (!records.ok()) return records.status();
  out.records = *std::move(records);
  if (read.has_value()) {
    out.read = store.Read([&](ReadTxn& txn) {
      return txn.GetRecord(read->first, read->second).status();
    });
  }
  return out;
}

// Populate writes the records the sweep tampers with through `server`.
void Populate(TestServer& server) {
  RecordsClient& ehr = server.client();
  auto procedure = server.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "procedure", v1::INSTRUCTION_KIND_PROCEDURE));
  ASSERT_TRUE(procedure.ok()) << procedure.status();
  for (int p = 0; p < 24; ++p) {
    auto patient =
        ehr.CreatePatient(PatientRequest("c1", absl::StrCat("MRN-", p)));
    ASSERT_TRUE(patient.ok()) << patient.status();
    ASSERT_TRUE(ehr.RecordConsent(
                       ConsentRequest(patient->name(), *procedure, TestNow()))
                    .ok());
    auto course = ehr.CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    for (int s = 0; s < 3; ++s) {
      auto session = ehr.LogSession(SessionRequest(
          course->name(), TestNow() - absl::Hours(24 * 30 * (3 - s))));
      ASSERT_TRUE(session.ok()) << session.status();
      if (s == 0) {
        ASSERT_TRUE(
            ehr.CreatePhoto(PhotoRequest(session->name(),
                                         v1::PHOTO_PHASE_BASELINE, TestNow()))
                .ok());
        v1::AmendSessionRequest amend;
        amend.mutable_session()->set_name(session->name());
        amend.mutable_session()->set_duration_minutes(50 + p % 10);
        amend.mutable_update_mask()->add_paths("duration_minutes");
        amend.set_etag(session->etag());
        amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
        amend.mutable_amendment()->set_reason("Timer misread.");
        amend.mutable_amendment()->set_author("dr-lee");
        amend.set_request_id(NewRequestId());
        ASSERT_TRUE(ehr.AmendSession(amend).ok());
      }
      v1::GetSessionRequest get;
      get.set_name(session->name());
      ASSERT_TRUE(ehr.GetSession(get).ok());  // reads are in the log too
    }
  }
}

int Mutations() {
  int n = 1000;
  const char* env = std::getenv("MNRECORDS_TAMPER_MUTATIONS");
  if (env != nullptr && !absl::SimpleAtoi(env, &n)) n = 1000;
  return n;
}

std::string Describe(const Findings& f) {
  std::string out = absl::StrCat(
      "chain: ",
      f.chain.has_value()
          ? absl::StrCat("broken at ", f.chain->seq, ": ", f.chain->problem)
          : "ok",
      "; read: ", f.read.ToString(), "; records: ", f.records.problem_count,
      " problems");
  for (const RevisionProblem& p : f.records.problems) {
    absl::StrAppend(&out, "\n  ", p.problem);
  }
  return out;
}

TEST(TamperSweepTest, EverySingleChangeIsDetectedAndNamed) {
  TestServer server;
  Populate(server);
  if (::testing::Test::HasFatalFailure()) return;
  server.Stop();
  std::unique_ptr<Backend> backend;
  if (TestBackendIsPostgres()) {
    backend = std::make_unique<PostgresBackend>(server.db_path());
  } else {
    backend = std::make_unique<SqliteBackend>(
        server.db_path(),
        std::filesystem::path(server.db_path()).parent_path().string());
  }
  Golden golden;
  {
    auto store = backend->Open(server.db_path());
    ASSERT_TRUE(store.ok()) << store.status();
    auto read = ReadGolden(**store);
    ASSERT_TRUE(read.ok()) << read.status();
    golden = *std::move(read);
  }
  ASSERT_GT(golden.revisions.size(), 150u);
  ASSERT_GT(golden.events.size(), golden.revisions.size());
  const AuditEvent head = golden.events.back();

  const int mutations = Mutations();
  // No false alarm on an untouched copy.
  {
    auto where = backend->Copy(mutations);
    ASSERT_TRUE(where.ok()) << where.status();
    auto store = backend->Open(*where);
    ASSERT_TRUE(store.ok()) << store.status();
    const StoredRevision& any = golden.revisions.front();
    auto findings =
        Check(**store, head,
              std::make_pair(any.revision.name, any.revision.revision_id));
    ASSERT_TRUE(findings.ok()) << findings.status();
    EXPECT_FALSE(findings->chain.has_value()) << Describe(*findings);
    EXPECT_EQ(findings->records.problem_count, 0) << Describe(*findings);
    EXPECT_EQ(findings->records.revisions_checked,
              static_cast<int64_t>(golden.revisions.size()));
    EXPECT_TRUE(findings->read.ok()) << findings->read;
    store->reset();
    backend->Drop(*where);
  }

  enum Kind {
    kFlipPayloadByte,
    kChangeColumn,
    kCoveredChange,
    kChangeStoredHash,
    kDeleteRevision,
    kDuplicateRevision,
    kChangeAuditField,
    kDeleteAuditEvent,
    kRewriteAuditEvent,
    kKinds
  };
  const char* const kNames[] = {"flip a payload byte",
                                "change a revision column",
                                "change covered by its hash",
                                "change a stored hash",
                                "delete a revision",
                                "duplicate a revision",
                                "change an audit event field",
                                "delete an audit event",
                                "rewrite an audit event + hash"};
  std::mt19937_64 random(20261130);
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  std::map<int, int> done;
  for (int i = 0; i < mutations; ++i) {
    const Kind kind = static_cast<Kind>(pick(kKinds));
    const StoredRevision& row = golden.revisions[pick(golden.revisions.size())];
    const RecordRevision& r = row.revision;
    const AuditEvent& event = golden.events[pick(golden.events.size())];
    SCOPED_TRACE(absl::StrCat("mutation ", i, ": ", kNames[kind], " (",
                              kind < kChangeAuditField
                                  ? absl::StrCat(r.name, "@", r.revision_id)
                                  : absl::StrCat("event ", event.seq),
                              ")"));
    auto where = backend->Copy(i);
    ASSERT_TRUE(where.ok()) << where.status();
    const std::vector<Param> key = {r.name, r.revision_id};
    const std::string where_key = " WHERE name = $2 AND revision_id = $3";
    absl::Status tampered;
    // What the checks must find: a revision problem, or a chain break.
    std::optional<RevisionProblem::Kind> expect_problem;
    int64_t problem_revision = r.revision_id;
    bool expect_read_refused = false;
    int64_t expect_break = 0;
    switch (kind) {
      case kFlipPayloadByte: {
        std::string payload = r.payload;
        payload[pick(payload.size())] ^= static_cast<char>(1 << pick(8));
        tampered = backend->Tamper(
            *where, "UPDATE revisions SET payload = $1" + where_key,
            {Bytes{payload}, r.name, r.revision_id});
        expect_problem = RevisionProblem::Kind::kContentChanged;
        expect_read_refused = true;
        break;
      }
      case kChangeColumn:
      case kCoveredChange: {
        static const char* const kChanges[] = {
            "actor = actor || 'x'", "patient = patient || 'x'",
            "event_time_us = event_time_us + 1", "category = category + 1",
            "create_time_us = create_time_us + 1"};
        const size_t c = pick(kind == kCoveredChange ? 1 : 5);
        RecordRevision changed = r;
        switch (c) {
          case 0:
            changed.actor += "x";
            break;
          case 1:
            changed.patient += "x";
            break;
          case 2:
            changed.event_time_us += 1;
            break;
          case 3:
            changed.category += 1;
            break;
          default:
            changed.create_time += absl::Microseconds(1);
            break;
        }
        if (kind == kCoveredChange) {
          tampered = backend->Tamper(
              *where,
              absl::StrCat("UPDATE revisions SET ", kChanges[c],
                           ", content_sha256 = $1", where_key),
              {RevisionContentHash(changed), r.name, r.revision_id});
        } else {
          tampered = backend->Tamper(
              *where,
              absl::StrCat("UPDATE revisions SET ", kChanges[c],
                           " WHERE name = $1 AND revision_id = $2"),
              key);
        }
        expect_problem = RevisionProblem::Kind::kContentChanged;
        expect_read_refused = kind == kChangeColumn;
        break;
      }
      case kChangeStoredHash:
        tampered = backend->Tamper(
            *where, "UPDATE revisions SET content_sha256 = $1" + where_key,
            {Sha256Hex(absl::StrCat("forged ", i)), r.name, r.revision_id});
        expect_problem = RevisionProblem::Kind::kStoredHashChanged;
        expect_read_refused = true;
        break;
      case kDeleteRevision:
        tampered = backend->Tamper(
            *where,
            "DELETE FROM revisions WHERE name = $1 AND revision_id = $2", key);
        expect_problem = RevisionProblem::Kind::kMissing;
        break;
      case kDuplicateRevision: {
        RecordRevision copy = r;
        copy.revision_id = golden.last_revision[r.name] + 1;
        tampered = backend->Tamper(
            *where,
            "INSERT INTO revisions (name, revision_id, kind, clinic, patient, "
            "course, session, actor, event_time_us, category, "
            "create_time_us, payload, content_sha256) SELECT name, $1, kind, "
            "clinic, patient, course, session, actor, event_time_us, "
            "category, create_time_us, payload, $2 FROM revisions WHERE "
            "name = $3 AND revision_id = $4",
            {copy.revision_id, RevisionContentHash(copy), r.name,
             r.revision_id});
        expect_problem = RevisionProblem::Kind::kNotInLog;
        problem_revision = copy.revision_id;
        break;
      }
      case kChangeAuditField: {
        static const char* const kChanges[] = {
            "principal = principal || 'x'",   "action = action || 'x'",
            "resource = resource || 'x'",     "outcome = outcome + 1",
            "time_us = time_us + 1",          "peer = peer || 'x'",
            "request_id = request_id || 'x'", "role = role || 'x'",
            "revisions = revisions || '0:,'"};
        tampered =
            backend->Tamper(*where,
                            absl::StrCat("UPDATE audit_events SET ",
                                         kChanges[pick(9)], " WHERE seq = $1"),
                            {event.seq});
        expect_break = event.seq;
        break;
      }
      case kDeleteAuditEvent:
        tampered = backend->Tamper(
            *where, "DELETE FROM audit_events WHERE seq = $1", {event.seq});
        expect_break = event.seq;
        break;
      case kRewriteAuditEvent: {
        AuditEvent forged = event;
        forged.principal = "somebody-else";
        tampered = backend->Tamper(
            *where,
            "UPDATE audit_events SET principal = $1, hash = $2 WHERE seq = $3",
            {forged.principal, AuditEventHash(event.prev_hash, forged),
             event.seq});
        // The next event's prev_hash no longer links; the last event is
        // caught by the checkpoint.
        expect_break = event.seq == head.seq ? head.seq : event.seq + 1;
        break;
      }
      case kKinds:
        break;
    }
    ASSERT_TRUE(tampered.ok()) << tampered;
    ++done[kind];
    {
      auto store = backend->Open(*where);
      ASSERT_TRUE(store.ok()) << store.status();
      std::optional<std::pair<std::string, int64_t>> read;
      if (expect_read_refused) read = std::make_pair(r.name, r.revision_id);
      auto findings = Check(**store, head, read);
      ASSERT_TRUE(findings.ok()) << findings.status();
      const Findings& f = *findings;
      if (expect_problem.has_value()) {
        EXPECT_FALSE(f.chain.has_value()) << Describe(f);
        ASSERT_EQ(f.records.problem_count, 1) << Describe(f);
        const RevisionProblem& p = f.records.problems[0];
        EXPECT_EQ(p.kind, *expect_problem) << Describe(f);
        EXPECT_EQ(p.record, r.name) << Describe(f);
        EXPECT_EQ(p.revision_id, problem_revision) << Describe(f);
      } else {
        ASSERT_TRUE(f.chain.has_value()) << Describe(f);
        EXPECT_EQ(f.chain->seq, expect_break) << Describe(f);
      }
      if (expect_read_refused) {
        EXPECT_EQ(f.read.code(), absl::StatusCode::kDataLoss) << Describe(f);
        EXPECT_NE(f.read.message().find(r.name), std::string::npos) << f.read;
      }
    }
    backend->Drop(*where);
    if (::testing::Test::HasFailure()) break;  // one story, not a thousand
  }
  for (const auto& [kind, count] : done) {
    std::printf("%-32s %d\n", kNames[kind], count);
  }
  int total = 0;
  for (const auto& [kind, count] : done) total += count;
  EXPECT_EQ(total, mutations);
}

}  // namespace
}  // namespace mnrecords::testing
