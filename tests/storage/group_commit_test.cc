// Group commit in SqliteStore: concurrent Write() calls share one
// transaction and one durable commit, and each still gets its own outcome.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "gtest/gtest.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/storage/sqlite_test_records.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/temp_dir.h"

namespace mnrecords {
namespace {

using ::absl::StatusCode;

using testing::Insert;
using testing::Patient;

bool Exists(Store& store, const std::string& id) {
  return store
      .Read([&](ReadTxn& txn) {
        return txn.GetRecord(Patient(id).name, 0).status();
      })
      .ok();
}

class GroupCommitTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteStore> OpenStore(SqliteStoreOptions options = {}) {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(path_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // HoldWriter starts a write that keeps the writer busy until `release` is
  // notified, so that later writes queue up behind it.
  std::thread HoldWriter(SqliteStore& store, absl::Notification& running,
                         absl::Notification& release) {
    return std::thread([&] {
      MNR_EXPECT_OK(store.Write([&](WriteTxn& txn) -> absl::Status {
        MNR_RETURN_IF_ERROR(txn.InsertRecord(Patient("holder"), {}));
        running.Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      }));
    });
  }

  // InsertQueuedBehindHolder queues inserts of patients "0".."n-1" behind a
  // held writer, releases it once all n wait, and checks every insert
  // committed.
  void InsertQueuedBehindHolder(SqliteStore& store, int n) {
    absl::Notification running, release;
    std::thread holder = HoldWriter(store, running, release);
    running.WaitForNotification();
    std::vector<std::thread> writers;
    for (int i = 0; i < n; ++i) {
      writers.emplace_back(
          [&, i] { MNR_EXPECT_OK(Insert(store, Patient(absl::StrCat(i)))); });
    }
    WaitForWaiting(store, n);
    release.Notify();
    holder.join();
    for (std::thread& t : writers) t.join();
    for (int i = 0; i < n; ++i) {
      EXPECT_TRUE(Exists(store, absl::StrCat(i))) << i;
    }
  }

  // WaitForWaiting waits until `n` writes are queued behind the writer.
  static void WaitForWaiting(const SqliteStore& store, int64_t n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (store.write_stats().waiting < n && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    ASSERT_EQ(store.write_stats().waiting, n);
  }

  testing::ScopedTempDir dir_;
  const std::string path_ = dir_.File("records.db");
};

TEST_F(GroupCommitTest, QueuedWritesCommitTogetherInOneBatch) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  constexpr int kWriters = 20;
  InsertQueuedBehindHolder(*store, kWriters);
  const WriteQueueStats stats = store->write_stats();
  EXPECT_EQ(stats.writes, kWriters + 1);
  // The holder's batch, then one batch with every queued write.
  EXPECT_EQ(stats.batches, 2);
}

TEST_F(GroupCommitTest, AFailingWriteIsUndoneAloneAndTheOthersCommit) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  MNR_ASSERT_OK(Insert(*store, Patient("taken")));
  absl::Notification running, release;
  std::thread holder = HoldWriter(*store, running, release);
  running.WaitForNotification();

  absl::Status first, failing, last;
  std::thread t1([&] { first = Insert(*store, Patient("first")); });
  WaitForWaiting(*store, 1);
  // Writes half of its work, then fails on a taken name: the half must go.
  std::thread t2([&] {
    failing = store->Write([&](WriteTxn& txn) -> absl::Status {
      MNR_RETURN_IF_ERROR(txn.InsertRecord(Patient("half"), {}));
      return txn.InsertRecord(Patient("taken"), {});
    });
  });
  WaitForWaiting(*store, 2);
  std::thread t3([&] { last = Insert(*store, Patient("last")); });
  WaitForWaiting(*store, 3);
  release.Notify();
  holder.join();
  t1.join();
  t2.join();
  t3.join();

  MNR_EXPECT_OK(first);
  MNR_EXPECT_CODE(failing, StatusCode::kAlreadyExists);
  MNR_EXPECT_OK(last);
  EXPECT_TRUE(Exists(*store, "first"));
  EXPECT_FALSE(Exists(*store, "half"));
  EXPECT_TRUE(Exists(*store, "last"));
  EXPECT_EQ(store->write_stats().batches, 3);  // setup, holder, the three
}

TEST_F(GroupCommitTest, LaterWritesOfABatchSeeEarlierOnes) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::Notification running, release;
  std::thread holder = HoldWriter(*store, running, release);
  running.WaitForNotification();

  absl::Status first, second;
  std::thread t1([&] { first = Insert(*store, Patient("same")); });
  WaitForWaiting(*store, 1);
  std::thread t2([&] { second = Insert(*store, Patient("same")); });
  WaitForWaiting(*store, 2);
  release.Notify();
  holder.join();
  t1.join();
  t2.join();

  MNR_EXPECT_OK(first);
  MNR_EXPECT_CODE(second, StatusCode::kAlreadyExists);
  EXPECT_EQ(store->write_stats().batches, 2);
}

TEST_F(GroupCommitTest, AFullQueueRefusesWritesWithUnavailable) {
  SqliteStoreOptions options;
  options.max_queued_writes = 2;
  std::unique_ptr<SqliteStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  absl::Notification running, release;
  std::thread holder = HoldWriter(*store, running, release);
  running.WaitForNotification();

  std::vector<std::thread> queued;
  for (int i = 0; i < 2; ++i) {
    queued.emplace_back(
        [&, i] { MNR_EXPECT_OK(Insert(*store, Patient(absl::StrCat(i)))); });
  }
  WaitForWaiting(*store, 2);
  bool ran = false;
  MNR_EXPECT_CODE(store->Write([&](WriteTxn&) {
    ran = true;
    return absl::OkStatus();
  }),
                  StatusCode::kUnavailable);
  EXPECT_FALSE(ran);
  EXPECT_EQ(store->write_stats().refused, 1);
  release.Notify();
  holder.join();
  for (std::thread& t : queued) t.join();
  EXPECT_TRUE(Exists(*store, "0"));
  EXPECT_TRUE(Exists(*store, "1"));
}

TEST_F(GroupCommitTest, BatchesAreCappedAtMaxWriteBatch) {
  SqliteStoreOptions options;
  options.max_write_batch = 2;
  std::unique_ptr<SqliteStore> store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  InsertQueuedBehindHolder(*store, 5);
  // The holder, then 2 + 2 + 1.
  EXPECT_EQ(store->write_stats().batches, 4);
}

TEST_F(GroupCommitTest, ManyConcurrentWritersAllCommitExactlyOnce) {
  std::unique_ptr<SqliteStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 16;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        MNR_EXPECT_OK(Insert(*store, Patient(absl::StrCat(t, "-", i))));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  MNR_ASSERT_OK(store->Read([&](ReadTxn& txn) -> absl::Status {
    RecordQuery query;
    query.kind = RecordKind::kPatient;
    query.clinic = "c1";
    query.limit = kThreads * kPerThread + 1;
    MNR_ASSIGN_OR_RETURN(std::vector<StoredRecord> all, txn.ListRecords(query));
    EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
    return absl::OkStatus();
  }));
  EXPECT_EQ(store->write_stats().writes, kThreads * kPerThread);
}

TEST_F(GroupCommitTest, RejectsBadBatchOptions) {
  SqliteStoreOptions options;
  options.max_write_batch = 0;
  MNR_EXPECT_CODE(SqliteStore::Open(path_, options).status(),
                  StatusCode::kInvalidArgument);
  options.max_write_batch = 1;
  options.max_queued_writes = 0;
  MNR_EXPECT_CODE(SqliteStore::Open(path_, options).status(),
                  StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mnrecords
