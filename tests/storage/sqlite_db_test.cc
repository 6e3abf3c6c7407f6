#include "server/store/sqlite/sqlite_db.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/temp_dir.h"

namespace mnrecords {
namespace sqlite {
namespace {

using ::absl::StatusCode;

TEST(SqliteStatusTest, MapsResultCodes) {
  const struct {
    int rc;
    StatusCode code;
  } kCases[] = {
      {SQLITE_FULL, StatusCode::kResourceExhausted},
      {SQLITE_NOMEM, StatusCode::kResourceExhausted},
      {SQLITE_CORRUPT, StatusCode::kDataLoss},
      {SQLITE_CORRUPT_INDEX, StatusCode::kDataLoss},
      {SQLITE_NOTADB, StatusCode::kDataLoss},
      {SQLITE_BUSY, StatusCode::kUnavailable},
      {SQLITE_BUSY_SNAPSHOT, StatusCode::kUnavailable},
      {SQLITE_LOCKED, StatusCode::kUnavailable},
      {SQLITE_CONSTRAINT, StatusCode::kInternal},
      {SQLITE_IOERR, StatusCode::kUnavailable},
      {SQLITE_IOERR_FSYNC, StatusCode::kUnavailable},
      {SQLITE_READONLY, StatusCode::kInternal},
      {SQLITE_ERROR, StatusCode::kInternal},
      {SQLITE_OK, StatusCode::kOk},
      {SQLITE_DONE, StatusCode::kOk},
  };
  for (const auto& c : kCases) {
    const absl::Status status = SqliteStatus(c.rc, nullptr, "doing x");
    EXPECT_EQ(status.code(), c.code) << c.rc << ": " << status;
    if (!status.ok()) {
      EXPECT_EQ(status.message().rfind("doing x: ", 0), 0u) << status;
    }
  }
}

TEST(SqliteStatusTest, ConstraintCodeIsTheCallersChoice) {
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_UNIQUE, nullptr, "x",
                         StatusCode::kAlreadyExists)
                .code(),
            StatusCode::kAlreadyExists);
}

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Connection>> db = Connection::Open(
        dir_.File("t.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    MNR_ASSERT_OK(
        db_->Exec("CREATE TABLE t (i INTEGER NOT NULL, s TEXT NOT NULL UNIQUE, "
                  "b BLOB NOT NULL) STRICT"));
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_F(ConnectionTest, BindsAndReadsValuesExactly) {
  const std::string text("a\0b", 3);
  const std::string blob("\x00\xff", 2);
  {
    MNR_ASSERT_OK_AND_ASSIGN(ScopedStatement insert,
                             db_->Prepare("INSERT INTO t VALUES (?, ?, ?)"));
    MNR_ASSERT_OK(insert->BindInt64(1, std::numeric_limits<int64_t>::min()));
    MNR_ASSERT_OK(insert->BindText(2, text));
    MNR_ASSERT_OK(insert->BindBlob(3, blob));
    MNR_ASSERT_OK(insert->Run());
  }
  {
    // An empty blob is a blob, not NULL.
    MNR_ASSERT_OK_AND_ASSIGN(ScopedStatement insert,
                             db_->Prepare("INSERT INTO t VALUES (?, ?, ?)"));
    MNR_ASSERT_OK(insert->BindInt64(1, 7));
    MNR_ASSERT_OK(insert->BindText(2, ""));
    MNR_ASSERT_OK(insert->BindBlob(3, absl::string_view()));
    MNR_ASSERT_OK(insert->Run());
  }
  MNR_ASSERT_OK_AND_ASSIGN(ScopedStatement select,
                           db_->Prepare("SELECT i, s, b FROM t ORDER BY i"));
  MNR_ASSERT_OK_AND_ASSIGN(bool row, select->Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(select->ColumnInt64(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(select->ColumnText(1), text);
  EXPECT_EQ(select->ColumnBlob(2), blob);
  MNR_ASSERT_OK_AND_ASSIGN(row, select->Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(select->ColumnBlob(2), "");
  MNR_ASSERT_OK_AND_ASSIGN(row, select->Step());
  EXPECT_FALSE(row);
}

TEST_F(ConnectionTest, CachesStatementsAndRefusesReentrantUse) {
  const Statement* first = nullptr;
  {
    MNR_ASSERT_OK_AND_ASSIGN(ScopedStatement s, db_->Prepare("SELECT 1"));
    first = &*s;
    MNR_EXPECT_CODE(db_->Prepare("SELECT 1"), StatusCode::kInternal);
  }
  MNR_ASSERT_OK_AND_ASSIGN(ScopedStatement again, db_->Prepare("SELECT 1"));
  EXPECT_EQ(&*again, first);
}

TEST_F(ConnectionTest, ErrorsCarrySqliteMessage) {
  absl::StatusOr<ScopedStatement> bad = db_->Prepare("SELEC 1");
  MNR_EXPECT_CODE(bad, StatusCode::kInternal);
  EXPECT_NE(bad.status().message().find("syntax error"),
            absl::string_view::npos)
      << bad.status();

  MNR_ASSERT_OK(db_->Exec("INSERT INTO t VALUES (1, 'x', x'00')"));
  MNR_ASSERT_OK_AND_ASSIGN(ScopedStatement dup,
                           db_->Prepare("INSERT INTO t VALUES (2, 'x', x'')"));
  const absl::Status status = dup->Run(StatusCode::kAlreadyExists);
  MNR_EXPECT_CODE(status, StatusCode::kAlreadyExists);
  EXPECT_NE(status.message().find("UNIQUE constraint failed: t.s"),
            absl::string_view::npos)
      << status;
}

TEST_F(ConnectionTest, CloseIsIdempotent) {
  {
    // Cached statements are finalized by Close.
    MNR_ASSERT_OK_AND_ASSIGN(ScopedStatement s, db_->Prepare("SELECT 1"));
    MNR_ASSERT_OK(s->Run());
  }
  MNR_EXPECT_OK(db_->Close());
  MNR_EXPECT_OK(db_->Close());
  EXPECT_FALSE(db_->InTransaction());
}

TEST(ConnectionOpenTest, MissingDirectoryFails) {
  MNR_EXPECT_CODE(Connection::Open("/nonexistent-dir/x/t.db",
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE),
                  StatusCode::kInternal);
}

}  // namespace
}  // namespace sqlite
}  // namespace mnrecords
