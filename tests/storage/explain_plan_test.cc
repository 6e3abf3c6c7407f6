// ListRecords must never scan the records table, ListAuditEvents the audit
// log, nor ListChanges and LastChangeSeq the changes: every query shape
// they can build is checked with EXPLAIN QUERY PLAN.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "server/store/sqlite/audit_rows.h"
#include "server/store/sqlite/connection_setup.h"
#include "server/store/sqlite/record_reads.h"
#include "server/store/sqlite/schema.h"
#include "server/store/store_sql.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/temp_dir.h"

namespace mnrecords {
namespace sqlite {
namespace {

class ExplainPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Connection>> db =
        OpenWriter(dir_.File("plan.db"), SqliteStoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    MNR_ASSERT_OK(Migrate(*db_));
  }

  // Plan returns the detail lines of EXPLAIN QUERY PLAN for `sql`.
  std::vector<std::string> Plan(const SqlWithParams& sql) {
    std::vector<std::string> details;
    absl::StatusOr<ScopedStatement> explain =
        db_->Prepare("EXPLAIN QUERY PLAN " + sql.sql);
    EXPECT_TRUE(explain.ok()) << explain.status();
    if (!explain.ok()) return {"prepare failed"};
    const absl::Status bound = BindParams(**explain, sql.params);
    EXPECT_TRUE(bound.ok()) << bound;
    while (true) {
      absl::StatusOr<bool> row = (*explain)->Step();
      EXPECT_TRUE(row.ok()) << row.status();
      if (!row.ok() || !*row) break;
      details.push_back((*explain)->ColumnText(3));
    }
    return details;
  }

  // SearchPlan returns the plan of `sql` as text, after checking that it
  // has lines and that none of them scans a table.
  std::string SearchPlan(const SqlWithParams& sql) {
    const std::vector<std::string> plan = Plan(sql);
    const std::string text = absl::StrJoin(plan, "\n");
    EXPECT_FALSE(plan.empty()) << sql.sql;
    for (const std::string& line : plan) {
      EXPECT_NE(line.rfind("SCAN", 0), 0u) << sql.sql << "\n" << text;
    }
    return text;
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_F(ExplainPlanTest, EveryListRecordsShapeSearchesAnIndex) {
  // Bits: session, course, patient, actor, category, from, to.
  for (int mask = 0; mask < (1 << 7); ++mask) {
    RecordQuery q;
    q.kind = RecordKind::kSession;
    q.clinic = "c1";
    if (mask & 1) q.session = "clinics/c1/patients/p/courses/c/sessions/s";
    if (mask & 2) q.course = "clinics/c1/patients/p/courses/c";
    if (mask & 4) q.patient = "clinics/c1/patients/p";
    if (mask & 8) q.actor = "dr";
    if (mask & 16) q.category = 2;
    if (mask & 32) q.event_time_from_us = 1;
    if (mask & 64) q.event_time_to_us = 2;
    q.after_seq = 10;
    q.limit = 20;
    MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql, ListRecordsSql(q));
    const std::string text = SearchPlan(sql);
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", text));
    const char* index = (mask & 1)    ? "records_by_session"
                        : (mask & 2)  ? "records_by_course"
                        : (mask & 4)  ? "records_by_patient"
                        : (mask & 8)  ? "records_by_clinic_actor"
                        : (mask & 96) ? "records_by_clinic_time"
                        : (mask & 16) ? "records_by_clinic_category"
                                      : "records_by_clinic";
    EXPECT_NE(text.find(absl::StrCat("SEARCH r USING INDEX ", index)),
              std::string::npos);
    EXPECT_NE(text.find("SEARCH v USING INDEX sqlite_autoindex_revisions_1"),
              std::string::npos);
  }
}

// LooksUpEachRecordsTerm: the plan checks a further term of each record by
// one lookup of (seq, clinic, kind, term) in record_terms' primary key or
// its seq index, whichever the planner picks.
bool LooksUpEachRecordsTerm(const std::string& plan) {
  for (const absl::string_view line : absl::StrSplit(plan, '\n')) {
    if (absl::StartsWith(line, "SEARCH x USING ") &&
        absl::StrContains(line, "seq=?") && absl::StrContains(line, "term=?")) {
      return true;
    }
  }
  return false;
}

TEST_F(ExplainPlanTest, SearchTermsAreAnsweredFromTheTermIndex) {
  // A recall by cartridge lot (or model, or device serial) across a clinic:
  // the term's primary-key range in seq order drives, each record is a
  // rowid lookup, further terms are key lookups; no scan, no sort.
  // Bits: actor, category, from, to, a second term, patient.
  for (int mask = 0; mask < (1 << 6); ++mask) {
    RecordQuery q;
    q.kind = RecordKind::kSession;
    q.clinic = "c1";
    q.terms = {"cartridge_lot=L2026-10"};
    if (mask & 1) q.actor = "dr";
    if (mask & 2) q.category = 2;
    if (mask & 4) q.event_time_from_us = 1;
    if (mask & 8) q.event_time_to_us = 2;
    if (mask & 16) q.terms.push_back("device_serial=SN-1");
    if (mask & 32) q.patient = "clinics/c1/patients/p";
    q.after_seq = 10;
    q.limit = 20;
    MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql, ListRecordsSql(q));
    const std::string text = SearchPlan(sql);
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", text));
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos);
    if (mask & 32) {
      // The patient's few records drive; each term is a key lookup.
      EXPECT_NE(text.find("SEARCH r USING INDEX records_by_patient"),
                std::string::npos);
      EXPECT_TRUE(LooksUpEachRecordsTerm(text));
      continue;
    }
    EXPECT_NE(text.find("SEARCH t USING PRIMARY KEY (clinic=? AND kind=? AND "
                        "term=? AND seq>?)"),
              std::string::npos);
    EXPECT_NE(text.find("SEARCH r USING INTEGER PRIMARY KEY (rowid=?)"),
              std::string::npos);
    if (mask & 16) {
      EXPECT_TRUE(LooksUpEachRecordsTerm(text));
    }
  }
}

TEST_F(ExplainPlanTest, TimeOrderedQueriesReadTheirIndexInOrder) {
  // The session just before a time in a course, and a patient's consents of
  // one kind signed before a time: an index range in the asked order, no
  // sort, however many records the course or patient holds.
  for (const bool descending : {true, false}) {
    for (const bool by_course : {true, false}) {
      for (const bool paged : {false, true}) {
        RecordQuery q;
        q.kind = by_course ? RecordKind::kSession : RecordKind::kConsent;
        q.clinic = "c1";
        if (by_course) {
          q.course = "clinics/c1/patients/p/courses/c";
          q.exclude_category = 9;
          q.exclude_name = "clinics/c1/patients/p/courses/c/sessions/s";
        } else {
          q.patient = "clinics/c1/patients/p";
          q.category = 2;
        }
        q.order = descending ? RecordQuery::Order::kEventTimeDescending
                             : RecordQuery::Order::kEventTimeAscending;
        (descending ? q.event_time_to_us : q.event_time_from_us) = 5000;
        if (paged) {
          q.after_event_time_us = 4000;
          q.after_seq = 7;
        }
        q.limit = 1;
        MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql, ListRecordsSql(q));
        const std::string text = absl::StrJoin(Plan(sql), "\n");
        SCOPED_TRACE(absl::StrCat(sql.sql, "\n", text));
        const char* index =
            by_course ? "records_by_course_time" : "records_by_patient_time";
        EXPECT_NE(text.find(absl::StrCat("SEARCH r USING INDEX ", index)),
                  std::string::npos);
        EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos);
        EXPECT_EQ(text.find("SCAN"), std::string::npos);
      }
    }
  }
}

TEST_F(ExplainPlanTest, CountChildrenAndVersionsAreKeyLookups) {
  const char* lookups[] = {
      "SELECT category, count FROM record_counts WHERE parent = 'x' AND "
      "kind = 3 AND count > 0 ORDER BY category",
      "SELECT version FROM records WHERE name = 'x'",
  };
  for (const char* sql : lookups) {
    const std::string text = absl::StrJoin(Plan({sql, {}}), "\n");
    SCOPED_TRACE(text);
    EXPECT_NE(text.find("SEARCH"), std::string::npos);
    EXPECT_EQ(text.find("SCAN"), std::string::npos);
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos);
  }
}

TEST_F(ExplainPlanTest, EveryListAuditEventsShapeSearchesItsIndex) {
  // Bits: clinic, principal, narrow resource prefix, broad resource prefix,
  // action, from, to, failed outcome, newest first.
  for (int mask = 0; mask < (1 << 9); ++mask) {
    if ((mask & 4) && (mask & 8)) continue;  // one prefix at a time
    AuditQuery q;
    if (mask & 128) q.outcome = AuditOutcome::kFailed;
    q.newest_first = (mask & 256) != 0;
    if (mask & 1) q.clinic = "c1";
    if (mask & 2) q.principal = "ehr-1";
    if (mask & 4) q.resource_prefix = "clinics/c1/patients/p1";
    if (mask & 8) q.resource_prefix = "clinics/c1/";
    if (mask & 16) q.action = "/clinic.microneedling.v1.Audit/ListAuditEvents";
    if (mask & 32) q.time_from_us = 1;
    if (mask & 64) q.time_to_us = 2;
    q.after_seq = 10;
    q.limit = 20;
    SqlWithParams sql;
    sql.sql = ListAuditEventsSql(q);
    const std::string text = SearchPlan(sql);
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", text));
    const char* index = (mask & 4)    ? "INDEX audit_by_resource"
                        : (mask & 2)  ? "INDEX audit_by_principal"
                        : (mask & 16) ? "INDEX audit_by_action"
                        : (mask & 1)  ? "INDEX audit_by_clinic"
                        : (mask & 96) ? "INDEX audit_by_time"
                                      : "INTEGER PRIMARY KEY";
    EXPECT_NE(text.find("SEARCH e USING "), std::string::npos);
    EXPECT_NE(text.find(index), std::string::npos);
    // An equality ahead of seq reads in seq order, either way; a range
    // (a narrow resource prefix, a time window) sorts its rows.
    if (index != std::string("INDEX audit_by_resource") &&
        index != std::string("INDEX audit_by_time")) {
      EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos);
    }
  }
}

TEST_F(ExplainPlanTest, APatientsAuditEventsComeFromItsIndexInSeqOrder) {
  // Bits: clinic, principal, action, from, exact outcome, newest first.
  for (int mask = 0; mask < (1 << 6); ++mask) {
    AuditQuery q;
    q.patient = "clinics/c1/patients/p1";
    if (mask & 1) q.clinic = "c1";
    if (mask & 2) q.principal = "ehr-1";
    if (mask & 4) q.action = "/clinic.microneedling.v1.Audit/ListAuditEvents";
    if (mask & 8) q.time_from_us = 1;
    if (mask & 16) {
      q.outcome = AuditOutcome::kExactly;
      q.outcome_code = 7;
    }
    q.newest_first = (mask & 32) != 0;
    q.after_seq = 10;
    q.limit = 20;
    SqlWithParams sql;
    sql.sql = ListAuditEventsSql(q);
    const std::string text = SearchPlan(sql);
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", text));
    EXPECT_NE(text.find("SEARCH p USING PRIMARY KEY (patient=? AND seq"),
              std::string::npos);
    EXPECT_NE(text.find("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)"),
              std::string::npos);
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos);
  }
}

TEST_F(ExplainPlanTest, EveryListChangesShapeSearchesItsIndexInSeqOrder) {
  // Bits: patient, kinds.
  for (int mask = 0; mask < (1 << 2); ++mask) {
    ChangeQuery q;
    q.clinic = "c1";
    if (mask & 1) q.patient = "clinics/c1/patients/p";
    if (mask & 2) q.kinds = {RecordKind::kSession, RecordKind::kPhoto};
    q.after_seq = 10;
    q.limit = 20;
    MNR_ASSERT_OK_AND_ASSIGN(const SqlWithParams sql,
                             ListChangesSql(q, SqlDialect::kSqlite));
    const std::string text = SearchPlan(sql);
    SCOPED_TRACE(absl::StrCat("mask ", mask, "\n", sql.sql, "\n", text));
    const char* index = (mask & 1) ? "changes_by_patient (patient=? AND seq>?)"
                                   : "changes_by_clinic (clinic=? AND seq>?)";
    EXPECT_NE(text.find(absl::StrCat("SEARCH c USING INDEX ", index)),
              std::string::npos);
    EXPECT_NE(text.find("SEARCH v USING INDEX sqlite_autoindex_revisions_1"),
              std::string::npos);
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos);
  }
}

TEST_F(ExplainPlanTest, LastChangeSeqSearchesAnIndex) {
  for (const std::string clinic : {"", "c1"}) {
    const std::string text = absl::StrJoin(
        Plan(LastChangeSeqSql(clinic, SqlDialect::kSqlite)), "\n");
    SCOPED_TRACE(absl::StrCat("clinic \"", clinic, "\"\n", text));
    EXPECT_NE(text.find("SEARCH changes"), std::string::npos);
    if (!clinic.empty()) {
      EXPECT_NE(text.find("INDEX changes_by_clinic (clinic=?)"),
                std::string::npos);
    }
    EXPECT_EQ(text.find("SCAN"), std::string::npos);
  }
}

TEST_F(ExplainPlanTest, MalformedQueriesAreRejected) {
  RecordQuery q;
  q.clinic = "";
  MNR_EXPECT_CODE(ListRecordsSql(q), absl::StatusCode::kInvalidArgument);
  q.clinic = "c1";
  q.limit = 0;
  MNR_EXPECT_CODE(ListRecordsSql(q), absl::StatusCode::kInvalidArgument);
  q.limit = 1;
  q.after_seq = -1;
  MNR_EXPECT_CODE(ListRecordsSql(q), absl::StatusCode::kInvalidArgument);
  q.after_seq = 0;
  q.kind = static_cast<RecordKind>(99);
  MNR_EXPECT_CODE(ListRecordsSql(q), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sqlite
}  // namespace mnrecords
