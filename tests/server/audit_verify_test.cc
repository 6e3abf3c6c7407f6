// VerifyAuditRange: checking a long range in parallel chunks gives exactly
// the answer of one walk, whatever breaks the chain and wherever.
#include "server/audit/audit_verify.h"

#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "gtest/gtest.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/test_server.h"

namespace mnrecords {
namespace {

constexpr int kEvents = 1000;

class AuditVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RemoveDatabase();  // a file left by an earlier process with this pid
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    absl::Status written = (*store)->Write([](WriteTxn& txn) -> absl::Status {
      for (int i = 1; i <= kEvents; ++i) {
        AuditEvent e;
        e.time = absl::FromUnixSeconds(1700000000 + i);
        e.principal = "p";
        e.role = "clinician";
        e.action = "/clinic.microneedling.v1.TreatmentRecords/GetSession";
        e.clinic = i % 2 == 0 ? "c1" : "";
        e.resource = absl::StrCat("clinics/c1/patients/p", i);
        MNR_RETURN_IF_ERROR(txn.AppendAuditEvent(e).status());
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(written.ok()) << written;
  }

  void TearDown() override { RemoveDatabase(); }

  void RemoveDatabase() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove(absl::StrCat(path_, suffix).c_str());
    }
  }

  // Tamper edits the closed database behind the store's back.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    const std::string all = absl::StrCat(
        "BEGIN; DROP TRIGGER audit_events_no_update; "
        "DROP TRIGGER audit_events_no_delete; ",
        sql, "; COMMIT;");
    EXPECT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  // Check verifies [first, end] with one walk and in 4 chunks, expects the
  // same answer from both, and returns it.
  AuditRangeCheck Check(int64_t first, int64_t end, int64_t head) {
    auto store = SqliteStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return {};
    absl::StatusOr<AuditRangeCheck> walk =
        VerifyAuditRange(**store, first, end, head, 1, 1);
    absl::StatusOr<AuditRangeCheck> chunked =
        VerifyAuditRange(**store, first, end, head, 4, 10);
    EXPECT_TRUE(walk.ok()) << walk.status();
    EXPECT_TRUE(chunked.ok()) << chunked.status();
    if (!walk.ok() || !chunked.ok()) return {};
    EXPECT_EQ(chunked->events_checked, walk->events_checked);
    EXPECT_EQ(chunked->broken.has_value(), walk->broken.has_value());
    if (chunked->broken.has_value() && walk->broken.has_value()) {
      EXPECT_EQ(chunked->broken->seq, walk->broken->seq);
      EXPECT_EQ(chunked->broken->event_name, walk->broken->event_name);
      EXPECT_EQ(chunked->broken->problem, walk->broken->problem);
    }
    return *walk;
  }

  const std::string path_ = testing::UniqueTempPath("audit-verify.db");
};

TEST_F(AuditVerifyTest, AnIntactLogVerifiesWhole) {
  const AuditRangeCheck check = Check(1, kEvents, kEvents);
  EXPECT_FALSE(check.broken.has_value());
  EXPECT_EQ(check.events_checked, kEvents);
  EXPECT_EQ(Check(333, 777, kEvents).events_checked, 777 - 333 + 1);
}

TEST_F(AuditVerifyTest, AChangedEventInALaterChunkIsFoundWithTheCountBefore) {
  Tamper("UPDATE audit_events SET principal = 'x' WHERE seq = 700");
  const AuditRangeCheck check = Check(1, kEvents, kEvents);
  ASSERT_TRUE(check.broken.has_value());
  EXPECT_EQ(check.broken->seq, 700);
  EXPECT_EQ(check.broken->event_name, "clinics/c1/auditEvents/700");
  EXPECT_EQ(check.events_checked, 699);
}

TEST_F(AuditVerifyTest, TheFirstOfTwoBreaksDecides) {
  Tamper(
      "UPDATE audit_events SET principal = 'x' WHERE seq = 100; "
      "UPDATE audit_events SET principal = 'y' WHERE seq = 900");
  const AuditRangeCheck check = Check(1, kEvents, kEvents);
  ASSERT_TRUE(check.broken.has_value());
  EXPECT_EQ(check.broken->seq, 100);
  EXPECT_EQ(check.events_checked, 99);
}

TEST_F(AuditVerifyTest, MissingEventsAtChunkEdgesReadAsInOneWalk) {
  // With 4 chunks over 1..1000, 250 ends the first chunk and 751 starts
  // the last.
  Tamper("DELETE FROM audit_events WHERE seq IN (250, 751)");
  AuditRangeCheck check = Check(1, kEvents, kEvents);
  ASSERT_TRUE(check.broken.has_value());
  EXPECT_EQ(check.broken->seq, 250);
  EXPECT_EQ(check.broken->problem, "event 250 is missing (next is 251)");
  EXPECT_EQ(check.events_checked, 249);
  check = Check(300, kEvents, kEvents);
  ASSERT_TRUE(check.broken.has_value());
  EXPECT_EQ(check.broken->seq, 751);
  EXPECT_EQ(check.events_checked, 751 - 300);
}

TEST_F(AuditVerifyTest, ATruncatedLogEndsTheWalk) {
  Tamper("DELETE FROM audit_events WHERE seq > 600");
  const AuditRangeCheck check = Check(1, kEvents, 600);
  ASSERT_TRUE(check.broken.has_value());
  EXPECT_EQ(check.broken->seq, 601);
  EXPECT_EQ(check.broken->problem,
            "event 601 is missing (the log ends at 600)");
  EXPECT_EQ(check.events_checked, 600);
}

TEST_F(AuditVerifyTest, AMissingEventBeforeTheRangeIsReported) {
  Tamper("DELETE FROM audit_events WHERE seq = 499");
  const AuditRangeCheck check = Check(500, kEvents, kEvents);
  ASSERT_TRUE(check.broken.has_value());
  EXPECT_EQ(check.broken->seq, 499);
  EXPECT_EQ(check.broken->problem, "event 499 is missing");
  EXPECT_EQ(check.events_checked, 0);
}

}  // namespace
}  // namespace mnrecords
