// Every list query of the PostgreSQL store runs on an index: each shape of
// ListRecords, ListAuditEvents and ListChanges, LastChangeSeq, and the key
// lookups of the write path, EXPLAINed with PostgreSQL's default planner
// settings (sequential scans allowed) on a database with 24,000 records
// (with their revisions, changes, counts, keys and request ids) and 24,000
// audit events whose statistics are fresh (ANALYZE), so the planner knows a
// scan would be slower. No plan may hold a "Seq Scan".
//
// Needs the run's throwaway PostgreSQL (tests/support/postgres_test_db.h).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/pg_txn.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/store_sql.h"
#include "tests/storage/status_testing.h"
#include "tests/support/postgres_test_db.h"

namespace mnrecords::testing {
namespace {

using postgres::PgConnection;
using postgres::PgParam;
using postgres::PgResult;

// 20 clinics x 100 patients x (1 patient + 1 course + 10 sessions).
constexpr char kFill[] = R"sql(
BEGIN;
INSERT INTO records (name, kind, clinic, patient, course, session, actor,
                     event_time_us, category, revision_id, version)
SELECT n.name, n.kind, n.clinic, n.patient, n.course, n.session, 'dr-' || (g % 7),
       g * 1000, g % 4, 1, 1
FROM generate_series(1, 24000) AS g,
LATERAL (SELECT 'c' || (g % 20) AS clinic,
                'clinics/c' || (g % 20) || '/patients/p' || (g / 12) AS patient,
                g % 12 AS slot) AS base,
LATERAL (SELECT base.clinic,
                CASE base.slot WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 3 END AS kind,
                base.patient,
                CASE WHEN base.slot = 0 THEN '' ELSE base.patient || '/courses/k' END AS course,
                CASE WHEN base.slot >= 2 THEN base.patient || '/courses/k/sessions/s' || base.slot ELSE '' END AS session,
                CASE base.slot WHEN 0 THEN base.patient
                               WHEN 1 THEN base.patient || '/courses/k'
                               ELSE base.patient || '/courses/k/sessions/s' || base.slot END AS name) AS n;
INSERT INTO revisions (name, revision_id, kind, clinic, patient, course, session,
                       actor, event_time_us, category, create_time_us, payload)
SELECT name, 1, kind, clinic, patient, course, session, actor, event_time_us,
       category, 0, '\x00'::bytea FROM records;
INSERT INTO changes (clinic, patient, kind, name, revision_id, principal)
SELECT clinic, patient, kind, name, revision_id, 'ehr-' || (seq % 3)
FROM records ORDER BY seq;
INSERT INTO audit_events (seq, time_us, principal, role, action, clinic,
                          resource, outcome, peer, request_id, prev_hash, hash)
SELECT g, g * 1000, 'p' || (g % 9), 'r', 'a' || (g % 11), 'c' || (g % 20),
       'clinics/c' || (g % 20) || '/patients/p' || (g / 12), 0, 'peer', '',
       repeat('0', 64), repeat('0', 64)
FROM generate_series(1, 24000) AS g;
INSERT INTO audit_patients (patient, seq)
SELECT resource, seq FROM audit_events;
INSERT INTO record_counts (parent, kind, category, count)
SELECT course, kind, category, count(*) FROM records WHERE kind = 3
GROUP BY course, kind, category;
INSERT INTO record_keys (clinic, lookup_key, name)
SELECT clinic, 'mrn|' || name, name FROM records WHERE kind = 1;
INSERT INTO record_terms (clinic, kind, term, seq)
SELECT clinic, kind, 'cartridge_lot=L' || (seq % 40), seq FROM records
WHERE kind = 3
UNION ALL
SELECT clinic, kind, 'device_serial=SN-' || (seq % 30), seq FROM records
WHERE kind = 3;
INSERT INTO requests (scope, request_id, request_hash, name, revision_id)
SELECT 'clinics/' || clinic, 'r' || seq, '\x00'::bytea, name, 1 FROM records;
COMMIT;
ANALYZE;
)sql";

class PgExplainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> uri = PostgresTestDatabase(absl::StrCat(
        "pg_explain_test-", getpid(), "-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_TRUE(uri.ok()) << uri.status();
    // The store creates the schema.
    auto store = PostgresStore::Open(*uri);
    ASSERT_TRUE(store.ok()) << store.status();
    store->reset();
    auto db = PgConnection::Connect(*uri);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    MNR_ASSERT_OK(db_->Exec(kFill));
  }

  // Plan EXPLAINs `sql` with `params` and returns its lines.
  std::string Plan(const std::string& sql, const std::vector<PgParam>& params) {
    absl::StatusOr<PgResult> plan = db_->Query("EXPLAIN " + sql, params);
    EXPECT_TRUE(plan.ok()) << plan.status() << "\n" << sql;
    if (!plan.ok()) return "";
    std::vector<std::string> lines;
    for (int i = 0; i < plan->rows(); ++i) lines.push_back(plan->Text(i, 0));
    return absl::StrJoin(lines, "\n");
  }

  static std::vector<PgParam> ToPg(const SqlWithParams& sql) {
    std::vector<PgParam> out;
    for (const auto& p : sql.params) {
      if (const int64_t* n = std::get_if<int64_t>(&p)) {
        out.emplace_back(*n);
      } else {
        out.emplace_back(std::get<std::string>(p));
      }
    }
    return out;
  }

  std::unique_ptr<PgConnection> db_;
};

TEST_F(PgExplainTest, EveryListRecordsShapeUsesAnIndex) {
  // Bits: session, course, patient, actor, category, from, to.
  for (int mask = 0; mask < (1 << 7); ++mask) {
    RecordQuery q;
    q.kind = RecordKind::kSession;
    q.clinic = "c1";
    if (mask & 1) q.session = "clinics/c1/patients/p1/courses/k/sessions/s3";
    if (mask & 2) q.course = "clinics/c1/patients/p1/courses/k";
    if (mask & 4) q.patient = "clinics/c1/patients/p1";
    if (mask & 8) q.actor = "dr-3";
    if (mask & 16) q.category = 2;
    if (mask & 32) q.event_time_from_us = 1000000;
    if (mask & 64) q.event_time_to_us = 2000000;
    q.after_seq = 10;
    q.limit = 20;
    MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql,
                             ListRecordsSql(q, SqlDialect::kPostgres));
    const std::string plan = Plan(sql.sql, ToPg(sql));
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", plan));
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
    EXPECT_NE(plan.find("Index"), std::string::npos);
  }
}

TEST_F(PgExplainTest, SearchTermsUseTheTermIndex) {
  // A recall by cartridge lot (or device serial) across a clinic, alone or
  // with the other filters. Bits: actor, category, from, to, a second
  // term, patient.
  for (int mask = 0; mask < (1 << 6); ++mask) {
    RecordQuery q;
    q.kind = RecordKind::kSession;
    q.clinic = "c1";
    q.terms = {"cartridge_lot=L21"};
    if (mask & 1) q.actor = "dr-3";
    if (mask & 2) q.category = 2;
    if (mask & 4) q.event_time_from_us = 1000000;
    if (mask & 8) q.event_time_to_us = 2000000;
    if (mask & 16) q.terms.push_back("device_serial=SN-1");
    if (mask & 32) q.patient = "clinics/c1/patients/p1";
    q.after_seq = 10;
    q.limit = 20;
    MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql,
                             ListRecordsSql(q, SqlDialect::kPostgres));
    const std::string plan = Plan(sql.sql, ToPg(sql));
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", plan));
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
    // The term's rows come from record_terms' primary key (an index scan
    // or a bitmap of it, as the planner estimates).
    if (!(mask & 32)) {
      EXPECT_NE(plan.find("record_terms_pkey"), std::string::npos);
    }
  }
}

TEST_F(PgExplainTest, TimeOrderedQueriesUseTheirIndexWithoutASort) {
  for (const bool descending : {true, false}) {
    for (const bool by_course : {true, false}) {
      RecordQuery q;
      q.kind = by_course ? RecordKind::kSession : RecordKind::kConsent;
      q.clinic = "c1";
      if (by_course) {
        q.course = "clinics/c1/patients/p1/courses/k";
        q.exclude_name = "clinics/c1/patients/p1/courses/k/sessions/s3";
      } else {
        q.patient = "clinics/c1/patients/p1";
        q.category = 2;
      }
      q.order = descending ? RecordQuery::Order::kEventTimeDescending
                           : RecordQuery::Order::kEventTimeAscending;
      (descending ? q.event_time_to_us : q.event_time_from_us) = 5000000;
      q.after_event_time_us = 4000000;
      q.after_seq = 7;
      q.limit = 1;
      MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql,
                               ListRecordsSql(q, SqlDialect::kPostgres));
      const std::string plan = Plan(sql.sql, ToPg(sql));
      SCOPED_TRACE(absl::StrCat(sql.sql, "\n", plan));
      EXPECT_NE(plan.find(by_course ? "records_by_course_time"
                                    : "records_by_patient_time"),
                std::string::npos);
      EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
      EXPECT_EQ(plan.find("Sort"), std::string::npos);
    }
  }
}

TEST_F(PgExplainTest, EveryListAuditEventsShapeUsesAnIndex) {
  // Bits: clinic, principal, narrow resource prefix, broad resource prefix,
  // action, from, to.
  for (int mask = 0; mask < (1 << 7); ++mask) {
    if ((mask & 4) && (mask & 8)) continue;  // one prefix at a time
    AuditQuery q;
    if (mask & 1) q.clinic = "c1";
    if (mask & 2) q.principal = "p1";
    if (mask & 4) q.resource_prefix = "clinics/c1/patients/p1";
    if (mask & 8) q.resource_prefix = "clinics/c1/";
    if (mask & 16) q.action = "a1";
    if (mask & 32) q.time_from_us = 1000000;
    if (mask & 64) q.time_to_us = 2000000;
    q.after_seq = 10;
    q.limit = 20;
    std::vector<PgParam> params;
    MNR_ASSERT_OK_AND_ASSIGN(const std::string sql,
                             postgres::ListAuditEventsSql(q, &params));
    const std::string plan = Plan(sql, params);
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql, "\n", plan));
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
    EXPECT_NE(plan.find("Index"), std::string::npos);
  }
}

TEST_F(PgExplainTest, APatientsAuditEventsComeFromItsIndex) {
  // Bits: principal, action, failed outcome, newest first.
  for (int mask = 0; mask < (1 << 4); ++mask) {
    AuditQuery q;
    q.clinic = "c1";
    q.patient = "clinics/c1/patients/p1";
    if (mask & 1) q.principal = "p1";
    if (mask & 2) q.action = "a1";
    if (mask & 4) q.outcome = AuditOutcome::kFailed;
    q.newest_first = (mask & 8) != 0;
    q.after_seq = 10;
    q.limit = 20;
    std::vector<PgParam> params;
    MNR_ASSERT_OK_AND_ASSIGN(const std::string sql,
                             postgres::ListAuditEventsSql(q, &params));
    const std::string plan = Plan(sql, params);
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql, "\n", plan));
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
    EXPECT_NE(plan.find("audit_patients_pkey"), std::string::npos);
  }
}

TEST_F(PgExplainTest, EveryListChangesShapeUsesAnIndexInSeqOrder) {
  // Bits: patient, kinds.
  for (int mask = 0; mask < (1 << 2); ++mask) {
    ChangeQuery q;
    q.clinic = "c1";
    if (mask & 1) q.patient = "clinics/c1/patients/p1";
    if (mask & 2) q.kinds = {RecordKind::kSession, RecordKind::kPhoto};
    q.after_seq = 10;
    q.limit = 20;
    MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql,
                             ListChangesSql(q, SqlDialect::kPostgres));
    const std::string plan = Plan(sql.sql, ToPg(sql));
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", plan));
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
    EXPECT_EQ(plan.find("Sort"), std::string::npos);
    // The clinic's (or patient's) own index, never changes_pkey: walking
    // the seq order from the cursor reads every other clinic's change
    // since, which for an idle clinic is all of them.
    EXPECT_NE(plan.find((mask & 1) ? "using changes_by_patient on changes c"
                                   : "using changes_by_clinic on changes c"),
              std::string::npos);
    EXPECT_EQ(plan.find("changes_pkey"), std::string::npos);
  }
}

TEST_F(PgExplainTest, LastChangeSeqUsesAnIndex) {
  for (const std::string clinic : {"", "c1"}) {
    const SqlWithParams sql = LastChangeSeqSql(clinic, SqlDialect::kPostgres);
    const std::string plan = Plan(sql.sql, ToPg(sql));
    SCOPED_TRACE(absl::StrCat(sql.sql, "\n", plan));
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
    // A clinic's on its index, not changes_pkey walked back from the end
    // (as for the whole table), which passes every change other clinics
    // wrote since the clinic's last.
    EXPECT_NE(plan.find(clinic.empty() ? "using changes_pkey on changes"
                                       : "using changes_by_clinic on changes"),
              std::string::npos);
  }
}

TEST_F(PgExplainTest, WritePathLookupsAreKeyLookups) {
  const std::pair<const char*, std::vector<PgParam>> lookups[] = {
      {"SELECT category, count FROM record_counts WHERE parent = $1 AND "
       "kind = $2 AND count > 0 ORDER BY category",
       {std::string("clinics/c1/patients/p1/courses/k"), int64_t{3}}},
      {"SELECT version FROM records WHERE name = $1",
       {std::string("clinics/c1/patients/p1")}},
      {"SELECT name, version FROM records WHERE name IN ($1, $2, $3)",
       {std::string("a"), std::string("b"), std::string("c")}},
      {"SELECT name FROM record_keys WHERE clinic = $1 AND lookup_key = $2",
       {std::string("c1"), std::string("mrn|1")}},
      {"SELECT request_hash, name, revision_id FROM requests WHERE scope = "
       "$1 AND request_id = $2",
       {std::string("clinics/c1"), std::string("r1")}},
      {"SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1", {}},
  };
  for (const auto& [sql, params] : lookups) {
    const std::string plan = Plan(sql, params);
    SCOPED_TRACE(absl::StrCat(sql, "\n", plan));
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
  }
}

}  // namespace
}  // namespace mnrecords::testing
