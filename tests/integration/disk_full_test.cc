// Disk full through the real server (docs/reliability.md "Disk full"). Two ways
// a disk fills: (1) free space falls below the reserve (--min_free_disk_mb):
// record writes are refused with RESOURCE_EXHAUSTED while reads keep working
// and stay audited; (2) the disk is really full (the fault VFS fails every
// write with SQLITE_FULL, as ENOSPC does): writes fail with
// RESOURCE_EXHAUSTED. Either way health checking answers, "mnrecords.writes"
// is NOT_SERVING while "" stays SERVING, and writes resume by themselves,
// without a restart, once space is back.
#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/app/server_app.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr uint64_t kReserve = uint64_t{64} << 20;

class DiskFullTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(mnr_fault_vfs_register(), SQLITE_OK);
  }
  void TearDown() override { mnr_fault_vfs_disarm(); }

  // The server runs on the fault VFS, with the reserve and a free-space
  // reading the test controls.
  static TestServerOptions Options(
      std::shared_ptr<std::atomic<uint64_t>> free) {
    TestServerOptions options;
    options.configure = [free](ServerConfig& config,
                               TestingOptions& test_only) {
      test_only.sqlite_vfs = MNR_FAULT_VFS_NAME;
      config.min_free_disk_bytes = kReserve;
      test_only.free_disk_bytes = [free]() -> absl::StatusOr<uint64_t> {
        return free->load();
      };
    };
    return options;
  }

  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-D1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    auto course = client().CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = course->name();
  }

  RecordsClient& client() { return server_.client(); }

  v1::LogSessionRequest NextSession() {
    v1::LogSessionRequest request = SessionRequest(course_, TestNow());
    request.set_session_id(absl::StrCat("s", ++sessions_));
    return request;
  }

  // Writes is what health says of writes; Server of the server.
  bool Writes() {
    auto serving = client().IsServing(kWritesHealthService);
    EXPECT_TRUE(serving.ok()) << serving.status();
    return serving.ok() && *serving;
  }
  bool Server() {
    auto serving = client().IsServing("");
    EXPECT_TRUE(serving.ok()) << serving.status();
    return serving.ok() && *serving;
  }

  absl::StatusCode ReadCourse() {
    v1::GetCourseRequest get;
    get.set_name(course_);
    return client().GetCourse(get).status().code();
  }

  std::shared_ptr<std::atomic<uint64_t>> free_ =
      std::make_shared<std::atomic<uint64_t>>(uint64_t{1} << 40);
  TestServer server_{Options(free_)};
  std::string course_;
  int sessions_ = 0;
};

TEST_F(DiskFullTest, BelowTheReserveWritesAreRefusedReadsWorkAndWritesResume) {
  EXPECT_TRUE(Writes());
  free_->store(kReserve - 1);
  const v1::LogSessionRequest refused = NextSession();
  auto failed = client().LogSession(refused);
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kResourceExhausted)
      << failed.status();
  EXPECT_TRUE(absl::StrContains(failed.status().message(),
                                "the disk holding the database is full"))
      << failed.status();
  EXPECT_FALSE(Writes());
  EXPECT_TRUE(Server());
  // Reads keep working, and their audit events are stored (the reserve).
  EXPECT_EQ(ReadCourse(), absl::StatusCode::kOk);
  v1::ListAuditEventsRequest audit;
  audit.set_parent("clinics/c1");
  audit.set_resource_prefix(course_);
  auto events = server_.auditor_client().ListAllAuditEvents(audit);
  ASSERT_TRUE(events.ok()) << events.status();
  int refused_events = 0;
  int reads = 0;
  for (const v1::AuditEvent& event : *events) {
    if (event.request_id() == refused.request_id()) {
      ++refused_events;
      EXPECT_EQ(event.outcome(),
                static_cast<int>(absl::StatusCode::kResourceExhausted));
    }
    if (absl::EndsWith(event.action(), "/GetCourse")) ++reads;
  }
  EXPECT_EQ(refused_events, 1);
  EXPECT_GE(reads, 1);

  // Space is freed: the next write goes through, no restart.
  free_->store(uint64_t{1} << 30);
  auto resumed = client().LogSession(refused);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_TRUE(Writes());
}

TEST_F(DiskFullTest,
       AFullDiskFailsWritesWithResourceExhaustedUntilSpaceIsBack) {
  // Every write to the files fails as on a full disk.
  mnr_fault_vfs_arm(MNR_FAULT_WRITE, 1, SQLITE_FULL, /*sticky=*/1);
  const v1::LogSessionRequest request = NextSession();
  auto failed = client().LogSession(request);
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kResourceExhausted)
      << failed.status();
  EXPECT_TRUE(absl::StrContains(failed.status().message(),
                                "the disk or database is full"))
      << failed.status();
  EXPECT_FALSE(Writes());
  EXPECT_TRUE(Server());
  // With no byte left even a read's audit event cannot be stored, and no
  // read goes unaudited: RESOURCE_EXHAUSTED too (the reserve exists so that
  // this is rare).
  EXPECT_EQ(ReadCourse(), absl::StatusCode::kResourceExhausted);

  mnr_fault_vfs_disarm();
  auto resumed = client().LogSession(request);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_TRUE(Writes());
  EXPECT_EQ(ReadCourse(), absl::StatusCode::kOk);
  auto verified = server_.auditor_client().VerifyAuditLog({});
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();
}

}  // namespace
}  // namespace mnrecords::testing
