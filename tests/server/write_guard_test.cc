// WriteGuard (server/store/write_guard.h) on a real SqliteStore file: the disk
// reserve, what it reports to health, and FreeDiskBytes.
#include "server/store/write_guard.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/test_server.h"

namespace mnrecords {
namespace {

constexpr uint64_t kReserve = 1000;

class WriteGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    guard_ = std::make_unique<WriteGuard>(
        *store_, kReserve, [this] { return free_; },
        [this](bool writable) { reports_.push_back(writable); });
  }
  void TearDown() override {
    guard_.reset();
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((path_ + suffix).c_str());
    }
  }

  // Write runs an empty write through the guard and says whether fn ran.
  absl::Status Write(bool& ran, absl::Status result = absl::OkStatus()) {
    ran = false;
    return guard_->Write([&](WriteTxn&) {
      ran = true;
      return result;
    });
  }

  const std::string path_ = testing::UniqueTempPath("write_guard");
  std::unique_ptr<SqliteStore> store_;
  absl::StatusOr<uint64_t> free_ = uint64_t{1} << 30;
  std::vector<bool> reports_;
  std::unique_ptr<WriteGuard> guard_;
};

TEST_F(WriteGuardTest, RefusesBelowTheReserveAndResumesOnItsOwn) {
  bool ran = false;
  ASSERT_TRUE(Write(ran).ok());
  EXPECT_TRUE(ran);
  EXPECT_TRUE(reports_.empty());  // writable from the start: no change

  free_ = kReserve - 1;
  const absl::Status refused = Write(ran);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(refused.message(), "999 bytes free"))
      << refused;
  EXPECT_FALSE(ran);
  EXPECT_EQ(Write(ran).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(reports_, std::vector<bool>{false});  // one report per change

  free_ = kReserve;
  ASSERT_TRUE(Write(ran).ok());
  EXPECT_TRUE(ran);
  EXPECT_EQ(reports_, (std::vector<bool>{false, true}));
}

TEST_F(WriteGuardTest, AFullStoreReportsNotWritableOtherErrorsDoNot) {
  bool ran = false;
  EXPECT_EQ(Write(ran, absl::InvalidArgumentError("bad")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(reports_.empty());
  EXPECT_EQ(Write(ran, absl::ResourceExhaustedError("disk full")).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(reports_, std::vector<bool>{false});
  ASSERT_TRUE(Write(ran).ok());
  EXPECT_EQ(reports_, (std::vector<bool>{false, true}));
}

TEST_F(WriteGuardTest, AnUnreadableFreeSpaceDoesNotRefuse) {
  free_ = absl::InternalError("statvfs failed");
  bool ran = false;
  EXPECT_TRUE(Write(ran).ok());
  EXPECT_TRUE(ran);
}

TEST(FreeDiskBytesTest, MeasuresTheDatabaseDirectory) {
  auto free = FreeDiskBytes(testing::UniqueTempPath("free"));
  ASSERT_TRUE(free.ok()) << free.status();
  EXPECT_GT(*free, 0u);
  auto missing = FreeDiskBytes("/no/such/directory/db");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(
      absl::StrContains(missing.status().message(), "/no/such/directory"))
      << missing.status();
}

}  // namespace
}  // namespace mnrecords
