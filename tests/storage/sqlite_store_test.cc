// SQLite-specific behaviour of SqliteStore beyond the Store contract suite.
#include "server/store/sqlite/sqlite_store.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status_macros.h"
#include "gtest/gtest.h"
#include "server/store/sqlite/connection_setup.h"
#include "server/store/sqlite/schema.h"
#include "server/store/sqlite/sqlite_txn.h"
#include "tests/storage/sqlite_test_records.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/temp_dir.h"

namespace mnrecords {
namespace {

using ::absl::StatusCode;
using sqlite::Connection;

using testing::Insert;
using testing::Patient;

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteStore> OpenStore(SqliteStoreOptions options = {}) {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(path_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Raw opens a plain read-write connection, as an outside tool would.
  // Only used while no store has the file open.
  std::unique_ptr<Connection> Raw() {
    absl::StatusOr<std::unique_ptr<Connection>> db =
        Connection::Open(path_, SQLITE_OPEN_READWRITE);
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return nullptr;
    EXPECT_TRUE((*db)->Exec("PRAGMA foreign_keys = ON").ok());
    return std::move(db).value();
  }

  testing::ScopedTempDir dir_;
  const std::string path_ = dir_.File("records.db");
};

TEST_F(SqliteStoreTest, CreatesTheSchemaInWalModeAndCheckpointsOnClose) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  MNR_ASSERT_OK(Insert(*store, Patient("p1")));
  MNR_ASSERT_OK(store->Close());
  MNR_EXPECT_OK(store->Close());  // idempotent

  const std::string wal = path_ + "-wal";
  EXPECT_TRUE(!std::filesystem::exists(wal) ||
              std::filesystem::file_size(wal) == 0);
  std::unique_ptr<Connection> raw = Raw();
  ASSERT_NE(raw, nullptr);
  MNR_ASSERT_OK_AND_ASSIGN(const int version, sqlite::SchemaVersion(*raw));
  EXPECT_EQ(version, sqlite::LatestSchemaVersion());
  MNR_ASSERT_OK_AND_ASSIGN(const std::string mode,
                           raw->QueryText("PRAGMA journal_mode"));
  EXPECT_EQ(mode, "wal");
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t rows,
                           raw->QueryInt64("SELECT count(*) FROM revisions"));
  EXPECT_EQ(rows, 1);
}

TEST_F(SqliteStoreTest, EveryConnectionIsConfigured) {
  SqliteStoreOptions options;
  MNR_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Connection> writer,
                           sqlite::OpenWriter(path_, options));
  MNR_ASSERT_OK(sqlite::Migrate(*writer));
  options.synchronous = SqliteSynchronous::kExtra;
  options.busy_timeout = absl::Milliseconds(250);
  MNR_ASSERT_OK_AND_ASSIGN(std::unique_ptr<Connection> reader,
                           sqlite::OpenReader(path_, options));
  struct Want {
    Connection* db;
    int64_t synchronous;
    int64_t busy_timeout_ms;
  };
  for (const Want& want :
       {Want{writer.get(), 2, 5000}, Want{reader.get(), 3, 250}}) {
    MNR_ASSERT_OK_AND_ASSIGN(const std::string mode,
                             want.db->QueryText("PRAGMA journal_mode"));
    EXPECT_EQ(mode, "wal");
    MNR_ASSERT_OK_AND_ASSIGN(const int64_t fk,
                             want.db->QueryInt64("PRAGMA foreign_keys"));
    EXPECT_EQ(fk, 1);
    MNR_ASSERT_OK_AND_ASSIGN(const int64_t sync,
                             want.db->QueryInt64("PRAGMA synchronous"));
    EXPECT_EQ(sync, want.synchronous);
    MNR_ASSERT_OK_AND_ASSIGN(const int64_t timeout,
                             want.db->QueryInt64("PRAGMA busy_timeout"));
    EXPECT_EQ(timeout, want.busy_timeout_ms);
  }
  // Readers cannot write.
  MNR_EXPECT_CODE(reader->Exec("DELETE FROM requests"), StatusCode::kInternal);
  EXPECT_EQ(sqlite3_db_readonly(reader->handle(), "main"), 1);
}

TEST_F(SqliteStoreTest, RejectsBadPathsAndOptions) {
  MNR_EXPECT_CODE(SqliteStore::Open(""), StatusCode::kInvalidArgument);
  MNR_EXPECT_CODE(SqliteStore::Open(":memory:"), StatusCode::kInvalidArgument);
  SqliteStoreOptions options;
  options.reader_pool_size = 0;
  MNR_EXPECT_CODE(SqliteStore::Open(path_, options),
                  StatusCode::kInvalidArgument);
  options.reader_pool_size = 1;
  options.busy_timeout = absl::Seconds(-1);
  MNR_EXPECT_CODE(SqliteStore::Open(path_, options),
                  StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, RefusesANewerSchemaVersion) {
  ASSERT_NE(OpenStore(), nullptr);  // created and closed again
  {
    std::unique_ptr<Connection> raw = Raw();
    ASSERT_NE(raw, nullptr);
    MNR_ASSERT_OK(raw->Exec(absl::StrCat("PRAGMA user_version = ",
                                         sqlite::LatestSchemaVersion() + 1)));
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path_);
  MNR_EXPECT_CODE(store, StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer than this server knows"),
            absl::string_view::npos)
      << store.status();
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsDataLoss) {
  std::ofstream(path_) << std::string(4096, 'x');
  MNR_EXPECT_CODE(SqliteStore::Open(path_), StatusCode::kDataLoss);
}

TEST_F(SqliteStoreTest, TheSchemaEnforcesAppendOnlyRevisions) {
  {
    std::unique_ptr<SqliteStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    MNR_ASSERT_OK(Insert(*store, Patient("p1")));
    RecordRevision v2 = Patient("p1");
    v2.revision_id = 2;
    MNR_ASSERT_OK(store->Write(
        [&](WriteTxn& txn) { return txn.AppendRevision(v2, {}); }));
  }
  std::unique_ptr<Connection> raw = Raw();
  ASSERT_NE(raw, nullptr);
  const std::string name = Patient("p1").name;
  const std::string insert_record =
      "INSERT INTO records (name, kind, clinic, patient, course, session, "
      "actor, event_time_us, category, revision_id) VALUES ";
  const struct {
    std::string sql;
    std::string why;  // part of SQLite's error message
  } kRejected[] = {
      {"UPDATE revisions SET payload = x'00'", "append-only"},
      {"DELETE FROM revisions", "append-only"},
      {"DELETE FROM records", "never deleted"},
      {"UPDATE records SET clinic = 'c2'", "never change"},
      {"UPDATE records SET name = 'clinics/c1/patients/x'", "never change"},
      {"UPDATE records SET revision_id = 5", "only moves forward"},
      {"UPDATE records SET revision_id = 1", "only moves forward"},
      {absl::StrCat("INSERT INTO revisions VALUES ('", name,
                    "', 4, 1, 'c1', '', '', '', '', 0, 0, 0, x'', '')"),
       "contiguous"},
      {absl::StrCat("INSERT INTO revisions VALUES ('", name,
                    "', 0, 1, 'c1', '', '', '', '', 0, 0, 0, x'', '')"),
       "CHECK constraint failed"},
      {insert_record + "('n', 12, 'c1', '', '', '', '', 0, 0, 1)",
       "CHECK constraint failed"},
      {insert_record + "('n', 'patient', 'c1', '', '', '', '', 0, 0, 1)",
       "cannot store TEXT value in INTEGER column"},
      {insert_record + "('n', 1, 'c1', '', '', '', '', 0, 0, NULL)",
       "NOT NULL constraint failed"},
      // A records row without its revision fails at commit (deferred FK).
      {insert_record + "('n', 1, 'c1', '', '', '', '', 0, 0, 1)",
       "FOREIGN KEY constraint failed"},
      {"INSERT INTO record_keys VALUES ('c1', 'k', 'clinics/c1/nobody')",
       "FOREIGN KEY constraint failed"},
      {absl::StrCat("INSERT INTO requests (scope, request_id, request_hash, "
                    "name, revision_id) VALUES ('s', 'r', x'', '",
                    name, "', 3)"),
       "FOREIGN KEY constraint failed"},
  };
  for (const auto& rejected : kRejected) {
    const absl::Status status = raw->Exec(rejected.sql);
    EXPECT_EQ(status.code(), StatusCode::kInternal) << rejected.sql;
    EXPECT_NE(status.message().find(rejected.why), absl::string_view::npos)
        << rejected.sql << ": " << status;
    EXPECT_FALSE(raw->InTransaction());
  }
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t rows,
                           raw->QueryInt64("SELECT count(*) FROM revisions"));
  EXPECT_EQ(rows, 2);
}

TEST_F(SqliteStoreTest, AppendCannotChangeKindOrClinic) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  MNR_ASSERT_OK(Insert(*store, Patient("p1")));
  RecordRevision v2 = Patient("p1");
  v2.revision_id = 2;
  v2.kind = RecordKind::kCourse;
  MNR_EXPECT_CODE(
      store->Write([&](WriteTxn& txn) { return txn.AppendRevision(v2, {}); }),
      StatusCode::kInvalidArgument);
  v2.kind = RecordKind::kPatient;
  v2.clinic = "c2";
  MNR_EXPECT_CODE(
      store->Write([&](WriteTxn& txn) { return txn.AppendRevision(v2, {}); }),
      StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, PutRequestNeedsAnExistingRevision) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  RequestRecord request;
  request.request_hash = "h";
  request.name = Patient("p1").name;
  request.revision_id = 1;
  request.create_time = absl::FromUnixSeconds(1'790'000'000);
  MNR_EXPECT_CODE(store->Write([&](WriteTxn& txn) {
    return txn.PutRequest("CreatePatient", "r-1", request);
  }),
                  StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, ClosedStoreRefusesCalls) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  MNR_ASSERT_OK(store->Close());
  MNR_EXPECT_CODE(store->Read([](ReadTxn&) { return absl::OkStatus(); }),
                  StatusCode::kFailedPrecondition);
  MNR_EXPECT_CODE(store->Write([](WriteTxn&) { return absl::OkStatus(); }),
                  StatusCode::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, ReadsRunWhileAWriteIsOpen) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::Notification inserted;
  absl::Notification read_done;
  std::thread writer([&] {
    MNR_EXPECT_OK(store->Write([&](WriteTxn& txn) -> absl::Status {
      MNR_RETURN_IF_ERROR(txn.InsertRecord(Patient("p1"), {}));
      inserted.Notify();
      if (!read_done.WaitForNotificationWithTimeout(absl::Seconds(30))) {
        return absl::DeadlineExceededError("the read was blocked");
      }
      return absl::OkStatus();
    }));
  });
  inserted.WaitForNotification();
  // The uncommitted insert is invisible to readers.
  MNR_EXPECT_CODE(store->Read([&](ReadTxn& txn) {
    return txn.GetRecord(Patient("p1").name, 0).status();
  }),
                  StatusCode::kNotFound);
  read_done.Notify();
  writer.join();
  MNR_EXPECT_OK(store->Read([&](ReadTxn& txn) {
    return txn.GetRecord(Patient("p1").name, 0).status();
  }));
}

TEST_F(SqliteStoreTest, ASinglePooledReaderServesManyThreads) {
  SqliteStoreOptions options;
  options.reader_pool_size = 1;
  std::unique_ptr<SqliteStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  MNR_ASSERT_OK(Insert(*store, Patient("p1")));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        MNR_EXPECT_OK(store->Read([&](ReadTxn& txn) {
          return txn.GetRecord(Patient("p1").name, 1).status();
        }));
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

TEST_F(SqliteStoreTest, ABusyDatabaseIsUnavailable) {
  SqliteStoreOptions options;
  options.busy_timeout = absl::Milliseconds(100);
  std::unique_ptr<SqliteStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  // Another process takes the write lock (and writes nothing).
  absl::StatusOr<std::unique_ptr<Connection>> other =
      sqlite::OpenWriter(path_, options);
  ASSERT_TRUE(other.ok()) << other.status();
  MNR_ASSERT_OK((*other)->Exec("BEGIN IMMEDIATE"));
  bool ran = false;
  MNR_EXPECT_CODE(store->Write([&](WriteTxn&) {
    ran = true;
    return absl::OkStatus();
  }),
                  StatusCode::kUnavailable);
  EXPECT_FALSE(ran);
  MNR_ASSERT_OK((*other)->Exec("ROLLBACK"));
  MNR_EXPECT_OK(Insert(*store, Patient("p1")));
}

// A storage failure inside a write transaction (here a full database) makes
// the transaction uncommittable even if the caller ignores the error.
TEST(SqliteWriteTxnTest, AStorageFailureBreaksTheTransaction) {
  testing::ScopedTempDir dir;
  MNR_ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Connection> db,
      sqlite::OpenWriter(dir.File("full.db"), SqliteStoreOptions()));
  MNR_ASSERT_OK(sqlite::Migrate(*db));
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t pages,
                           db->QueryInt64("PRAGMA page_count"));
  MNR_ASSERT_OK(db->Exec(absl::StrCat("PRAGMA max_page_count = ", pages + 2)));

  MNR_ASSERT_OK(db->Exec("BEGIN IMMEDIATE"));
  sqlite::SqliteWriteTxn txn(*db);
  RecordRevision big = Patient("big");
  big.payload = std::string(1 << 20, 'x');
  MNR_EXPECT_CODE(txn.InsertRecord(big, {}), StatusCode::kResourceExhausted);
  MNR_EXPECT_CODE(txn.broken(), StatusCode::kResourceExhausted);
  // Later calls fail too, so a caller that ignored the error cannot commit
  // a partial transaction.
  MNR_EXPECT_CODE(txn.InsertRecord(Patient("small"), {}),
                  StatusCode::kResourceExhausted);
  MNR_EXPECT_CODE(txn.GetRecord(big.name, 0), StatusCode::kResourceExhausted);
  if (db->InTransaction()) MNR_EXPECT_OK(db->Exec("ROLLBACK"));
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t rows,
                           db->QueryInt64("SELECT count(*) FROM records"));
  EXPECT_EQ(rows, 0);
}

}  // namespace
}  // namespace mnrecords
