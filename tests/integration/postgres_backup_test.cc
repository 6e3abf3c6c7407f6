// Admin.BackupDatabase on a server on PostgreSQL: the server makes no file
// copy of a database it does not own (docs/reliability.md "PostgreSQL").
//
// ctest runs it with MNRECORDS_TEST_BACKEND=postgres.
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

v1::BackupDatabaseRequest Backup(const std::string& file_name) {
  v1::BackupDatabaseRequest r;
  r.set_file_name(file_name);
  return r;
}

class PostgresBackupTest : public ::testing::Test {
 protected:
  static TestServerOptions Options(const std::string& dir) {
    TestServerOptions options;
    options.backup_dir = dir;
    return options;
  }
  std::string dir_ = [] {
    const std::string dir = UniqueTempPath("pg-backups");
    std::filesystem::create_directories(dir);
    return dir;
  }();
  TestServer server_{Options(dir_)};
};

// On PostgreSQL the server makes no file copy: BackupDatabase answers
// FAILED_PRECONDITION naming PostgreSQL's own tools, writes nothing into
// backup_dir, and the refused call is audited.
TEST_F(PostgresBackupTest, IsRefusedNamingPostgresqlsOwnTools) {
  ASSERT_TRUE(TestBackendIsPostgres());
  auto backup = server_.admin_client().BackupDatabase(Backup("pg.db"));
  ASSERT_EQ(backup.status().code(), absl::StatusCode::kFailedPrecondition)
      << backup.status();
  EXPECT_TRUE(absl::StrContains(backup.status().message(), "pg_basebackup"))
      << backup.status();
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/pg.db"));
  v1::ListAuditEventsRequest list;
  list.set_parent("clinics/-");
  list.set_action("/clinic.microneedling.v1.Admin/BackupDatabase");
  auto events = server_.auditor_client().ListAllAuditEvents(list);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().outcome(),
            static_cast<int>(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace mnrecords::testing
