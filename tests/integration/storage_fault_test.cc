// Storage faults through the real server: the fault-injecting VFS
// (tests/support/fault_vfs.h) fails the Nth write or fsync of a session's
// commit (LogSession: the session, its request id and its audit event in
// one transaction), for every N the commit makes. Each time the call fails
// with UNAVAILABLE (docs/reliability.md "Storage faults"; RESOURCE_EXHAUSTED
// when the write fails with SQLITE_FULL), the server keeps serving (the next
// write succeeds without a restart), and after the server stops the file,
// opened with the default VFS, passes PRAGMA integrity_check with the
// transaction wholly there or wholly absent; the audit chain verifies and a
// retry with the same request_id succeeds.
#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/app/server_app.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// Rows of one LogSession call as found in the file.
struct Footprint {
  int revisions = 0;     // revisions of the session
  int requests = 0;      // its request id
  int audit_events = 0;  // its successful audit event
};

int64_t QueryInt(sqlite3* db, const std::string& sql, const std::string& arg) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  if (!arg.empty()) sqlite3_bind_text(stmt, 1, arg.c_str(), -1, SQLITE_STATIC);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sqlite3_errmsg(db);
  const int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return value;
}

// Inspect opens the (stopped) server's file with the default VFS, checks
// its integrity and returns what it holds of the call with `request_id`.
Footprint Inspect(const std::string& path, const std::string& session,
                  const std::string& request_id) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr),
      SQLITE_OK);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "ok");
  sqlite3_finalize(stmt);
  Footprint found;
  found.revisions = static_cast<int>(
      QueryInt(db, "SELECT count(*) FROM revisions WHERE name = ?", session));
  found.requests = static_cast<int>(QueryInt(
      db, "SELECT count(*) FROM requests WHERE request_id = ?", request_id));
  found.audit_events = static_cast<int>(
      QueryInt(db,
               "SELECT count(*) FROM audit_events WHERE outcome = 0 AND "
               "request_id = ?",
               request_id));
  sqlite3_close(db);
  return found;
}

class StorageFaultTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(mnr_fault_vfs_register(), SQLITE_OK);
  }
  void TearDown() override { mnr_fault_vfs_disarm(); }

  static TestServerOptions FaultyStorage() {
    TestServerOptions options;
    options.configure = [](ServerConfig&, TestingOptions& test_only) {
      test_only.sqlite_vfs = MNR_FAULT_VFS_NAME;
    };
    return options;
  }

  void SetUpCourse() {
    auto patient = server_.client().CreatePatient(PatientRequest("c1", "MRN"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    auto course = server_.client().CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = course->name();
  }

  // A client that makes one attempt, so the test sees the server's status.
  RecordsClient OneAttemptClient() {
    ClientOptions options;
    options.target = server_.target();
    options.bearer_token = server_.token("ehr");
    options.max_attempts = 1;
    auto client = RecordsClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return *std::move(client);
  }

  v1::LogSessionRequest NextSession() {
    v1::LogSessionRequest request = SessionRequest(course_, TestNow());
    request.set_session_id(absl::StrCat("s", ++sessions_));
    return request;
  }

  // CountOps returns how many calls of `op` one (warm) LogSession makes.
  int CountOps(MnrFaultOp op) {
    mnr_fault_vfs_arm(op, /*nth=*/1 << 30, SQLITE_IOERR, /*sticky=*/0);
    auto done = server_.client().LogSession(NextSession());
    EXPECT_TRUE(done.ok()) << done.status();
    const int calls = mnr_fault_vfs_calls(op);
    mnr_fault_vfs_disarm();
    return calls;
  }

  // FailNth fails the nth call of `op` in one LogSession and checks the
  // promises of the file comment.
  // Returns whether the transaction was found whole (else wholly absent).
  bool FailNth(MnrFaultOp op, int nth, int error_code,
               absl::StatusCode expected) {
    SCOPED_TRACE(absl::StrCat("op ", op, ", n = ", nth));
    const v1::LogSessionRequest request = NextSession();
    const std::string session =
        absl::StrCat(course_, "/sessions/", request.session_id());
    {
      RecordsClient client = OneAttemptClient();
      mnr_fault_vfs_arm(op, nth, error_code, /*sticky=*/0);
      auto failed = client.LogSession(request);
      const int failures = mnr_fault_vfs_failures();
      mnr_fault_vfs_disarm();
      if (failures == 0) {
        // This commit made fewer calls than the counted one: nothing failed.
        EXPECT_TRUE(failed.ok()) << failed.status();
      } else {
        EXPECT_FALSE(failed.ok());
        EXPECT_EQ(failed.status().code(), expected) << failed.status();
      }
      // The server keeps serving: the next write succeeds, no restart.
      auto next = client.LogSession(NextSession());
      EXPECT_TRUE(next.ok()) << next.status();
    }
    server_.Stop();
    const Footprint found =
        Inspect(server_.db_path(), session, request.request_id());
    EXPECT_TRUE((found.revisions == 0 && found.requests == 0 &&
                 found.audit_events == 0) ||
                (found.revisions == 1 && found.requests == 1 &&
                 found.audit_events == 1))
        << "revisions " << found.revisions << ", request ids " << found.requests
        << ", audit events " << found.audit_events;
    server_.Start();
    auto verified = server_.auditor_client().VerifyAuditLog({});
    EXPECT_TRUE(verified.ok()) << verified.status();
    if (verified.ok()) {
      EXPECT_TRUE(verified->ok()) << verified->problem();
    }
    // The documented recovery: retry with the same request_id.
    auto retried = server_.client().LogSession(request);
    EXPECT_TRUE(retried.ok()) << retried.status();
    if (retried.ok()) {
      EXPECT_EQ(retried->name(), session);
    }
    return found.revisions == 1;
  }

  // FailEach runs FailNth for n = 1..count and prints what it found.
  void FailEach(MnrFaultOp op, int count, int error_code, const char* what,
                absl::StatusCode expected = absl::StatusCode::kUnavailable) {
    int whole = 0;
    for (int n = 1; n <= count; ++n) {
      if (FailNth(op, n, error_code, expected)) ++whole;
      whole_ = whole;
      if (HasFailure()) return;
    }
    std::printf(
        "failed each of the %d %s calls of a commit: %d times the "
        "transaction was found whole, %d times wholly absent\n",
        count, what, whole, count - whole);
  }

  TestServer server_{FaultyStorage()};
  std::string course_;
  int sessions_ = 0;
  int whole_ = 0;  // FailEach: transactions found whole
};

TEST_F(StorageFaultTest, EveryFailedWriteOfACommitLeavesItWhollyAbsent) {
  SetUpCourse();
  const int writes = CountOps(MNR_FAULT_WRITE);
  std::printf("one LogSession commit: %d xWrite calls\n", writes);
  ASSERT_GE(writes, 2);
  FailEach(MNR_FAULT_WRITE, writes, SQLITE_IOERR_WRITE, "xWrite");
  // A write that never reached the file cannot have committed anything.
  EXPECT_EQ(whole_, 0);
}

TEST_F(StorageFaultTest, EveryWriteFailingForAFullDiskLeavesItWhollyAbsent) {
  SetUpCourse();
  const int writes = CountOps(MNR_FAULT_WRITE);
  FailEach(MNR_FAULT_WRITE, writes, SQLITE_FULL, "xWrite (SQLITE_FULL)",
           absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(whole_, 0);
}

TEST_F(StorageFaultTest, EveryFailedSyncOfACommitLeavesItWhollyThereOrAbsent) {
  SetUpCourse();
  const int syncs = CountOps(MNR_FAULT_SYNC);
  std::printf("one LogSession commit: %d xSync calls\n", syncs);
  ASSERT_GE(syncs, 1);
  FailEach(MNR_FAULT_SYNC, syncs, SQLITE_IOERR_FSYNC, "xSync");
}

TEST_F(StorageFaultTest, AFailedTruncateAtCloseLosesNothing) {
  SetUpCourse();
  const v1::LogSessionRequest request = NextSession();
  auto logged = server_.client().LogSession(request);
  ASSERT_TRUE(logged.ok()) << logged.status();
  // Close truncates the WAL after checkpointing it; fail that.
  mnr_fault_vfs_arm(MNR_FAULT_TRUNCATE, 1, SQLITE_IOERR_TRUNCATE, 1);
  server_.Stop();
  const int failures = mnr_fault_vfs_failures();
  mnr_fault_vfs_disarm();
  EXPECT_GE(failures, 1);
  const Footprint found =
      Inspect(server_.db_path(), logged->name(), request.request_id());
  EXPECT_EQ(found.revisions, 1);
  EXPECT_EQ(found.requests, 1);
  EXPECT_EQ(found.audit_events, 1);
  server_.Start();
  auto read = server_.client().GetSession([&] {
    v1::GetSessionRequest get;
    get.set_name(logged->name());
    return get;
  }());
  ASSERT_TRUE(read.ok()) << read.status();
}

}  // namespace
}  // namespace mnrecords::testing
