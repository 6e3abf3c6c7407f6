// Admin.BackupDatabase against the real server: the copy lands in the
// configured backup directory only, is a sound database holding exactly the
// audit log up to the checkpoint it reports, the call is audited, and bad
// file names, existing files, a server without backup_dir and non-admins
// are refused with exact codes, storing nothing.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

std::string NewDir(const std::string& stem) {
  const std::string dir = UniqueTempPath(stem);
  EXPECT_EQ(mkdir(dir.c_str(), 0700), 0) << dir;
  return dir;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// Query returns the first column of the first row of `sql` on `path`
// (opened read-only).
std::string Query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out = "<error>";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

v1::BackupDatabaseRequest Backup(const std::string& file_name) {
  v1::BackupDatabaseRequest r;
  r.set_file_name(file_name);
  return r;
}

class BackupTest : public ::testing::Test {
 protected:
  static TestServerOptions Options(const std::string& dir) {
    TestServerOptions options;
    options.backup_dir = dir;
    return options;
  }
  std::string dir_ = NewDir("backups");
  TestServer server_{Options(dir_)};
};

TEST_F(BackupTest, CopiesTheDatabaseWithItsCheckpointAndIsAudited) {
  auto patient = server_.client().CreatePatient(PatientRequest("c1", "MRN-B"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  auto head = server_.auditor_client().GetAuditCheckpoint();
  ASSERT_TRUE(head.ok()) << head.status();

  auto backup = server_.admin_client().BackupDatabase(Backup("b-1.db"));
  ASSERT_TRUE(backup.ok()) << backup.status();
  EXPECT_EQ(backup->path(), dir_ + "/b-1.db");
  struct stat st;
  ASSERT_EQ(stat(backup->path().c_str(), &st), 0);
  EXPECT_EQ(backup->size_bytes(), st.st_size);
  // The copy holds everything up to the event of the checkpoint call (whose
  // event was appended before it answered), and no later event.
  EXPECT_EQ(backup->checkpoint().sequence(), head->sequence() + 1);
  EXPECT_EQ(Query(backup->path(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Query(backup->path(), "SELECT max(seq) FROM audit_events"),
            absl::StrCat(backup->checkpoint().sequence()));
  EXPECT_EQ(Query(backup->path(),
                  absl::StrCat("SELECT hash FROM audit_events WHERE seq = ",
                               backup->checkpoint().sequence())),
            backup->checkpoint().hash());
  EXPECT_EQ(
      Query(backup->path(), "SELECT count(*) FROM records WHERE name = '" +
                                patient->name() + "'"),
      "1");
  // No temporary file is left next to it.
  EXPECT_FALSE(Exists(backup->path() + ".partial-0"));

  // The backup call is audited right after the checkpoint it reports.
  v1::ListAuditEventsRequest list;
  list.set_parent("clinics/-");
  list.set_action("/clinic.microneedling.v1.Admin/BackupDatabase");
  auto events = server_.auditor_client().ListAllAuditEvents(list);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].sequence(), backup->checkpoint().sequence() + 1);
  EXPECT_EQ((*events)[0].principal(), "admin");
  EXPECT_EQ((*events)[0].outcome(), 0);
}

TEST_F(BackupTest, RefusesBadNamesAndExistingFilesStoringNothing) {
  for (const std::string& name :
       {std::string(""), std::string("../escape.db"), std::string("a/b.db"),
        std::string(".hidden"), std::string("/tmp/abs.db"),
        std::string("spa ce.db"), std::string(201, 'a')}) {
    SCOPED_TRACE(name);
    auto backup = server_.admin_client().BackupDatabase(Backup(name));
    EXPECT_EQ(backup.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(backup.status().message(), "file_name:"))
        << backup.status();
  }
  std::ofstream(dir_ + "/taken.db") << "not mine";
  auto taken = server_.admin_client().BackupDatabase(Backup("taken.db"));
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(absl::StartsWith(taken.status().message(), "file_name:"))
      << taken.status();
  std::ifstream in(dir_ + "/taken.db");
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "not mine");  // untouched

  ASSERT_TRUE(server_.admin_client().BackupDatabase(Backup("once.db")).ok());
  EXPECT_EQ(
      server_.admin_client().BackupDatabase(Backup("once.db")).status().code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(Exists(UniqueTempPath("escape.db")));
}

TEST_F(BackupTest, OnlyAdminsMayBackUp) {
  for (RecordsClient* caller : {&server_.client(), &server_.auditor_client(),
                                &server_.clinician_client()}) {
    EXPECT_EQ(caller->BackupDatabase(Backup("x.db")).status().code(),
              absl::StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(
      server_.NewClient("").BackupDatabase(Backup("x.db")).status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(Exists(dir_ + "/x.db"));
}

TEST(BackupWithoutDirTest, IsFailedPrecondition) {
  TestServer server;
  auto backup = server.admin_client().BackupDatabase(Backup("x.db"));
  EXPECT_EQ(backup.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(backup.status().message(), "backup_dir"))
      << backup.status();
}

}  // namespace
}  // namespace mnrecords::testing
