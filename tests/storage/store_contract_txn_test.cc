// Store contract: transactions, idempotency records, concurrency and
// durability across reopen.
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status_macros.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/store_contract_helpers.h"
#include "tests/storage/store_contract_test.h"

namespace mnrecords {
namespace testing {
namespace {

using ::absl::StatusCode;

// When the requests of these tests were first made.
const absl::Time kRequestTime = absl::FromUnixSeconds(1'790'000'000);

TEST_P(StoreContractTest, RequestsAreRememberedOnce) {
  const RecordRevision p1 = Patient("c1", "p1");
  RequestRecord request;
  request.request_hash = std::string("\x01\x00\xfe", 3);
  request.name = p1.name;
  request.revision_id = 1;
  request.create_time = kRequestTime;
  auto get = [&](const std::string& scope) {
    return ReadValue<std::optional<RequestRecord>>(
        *store_, [&](ReadTxn& txn) { return txn.GetRequest(scope, "r-1"); });
  };
  MNR_ASSERT_OK_AND_ASSIGN(std::optional<RequestRecord> before,
                           get("CreatePatient"));
  EXPECT_EQ(before, std::nullopt);

  MNR_ASSERT_OK(store_->Write([&](WriteTxn& txn) {
    MNR_RETURN_IF_ERROR(txn.InsertRecord(p1, {}));
    return txn.PutRequest("CreatePatient", "r-1", request);
  }));
  MNR_ASSERT_OK_AND_ASSIGN(std::optional<RequestRecord> after,
                           get("CreatePatient"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->request_hash, request.request_hash);
  EXPECT_EQ(after->name, request.name);
  EXPECT_EQ(after->revision_id, 1);

  MNR_EXPECT_CODE(store_->Write([&](WriteTxn& txn) {
    return txn.PutRequest("CreatePatient", "r-1", request);
  }),
                  StatusCode::kAlreadyExists);
  // The same id in another scope is another request.
  MNR_EXPECT_OK(store_->Write([&](WriteTxn& txn) {
    return txn.PutRequest("AmendPatient", "r-1", request);
  }));
}

// Retention: ExpireRequests forgets the oldest requests first, at most
// `limit` per call, and never one created at or after the cutoff.
TEST_P(StoreContractTest, ExpiredRequestsAreForgottenOldestFirst) {
  const RecordRevision p1 = Patient("c1", "p1");
  const absl::Time t0 = kRequestTime;
  MNR_ASSERT_OK(store_->Write([&](WriteTxn& txn) {
    MNR_RETURN_IF_ERROR(txn.InsertRecord(p1, {}));
    for (int i = 0; i < 4; ++i) {
      RequestRecord request;
      request.request_hash = "h";
      request.name = p1.name;
      request.revision_id = 1;
      // r-3 first, r-0 last: the order of creation is not that of the ids.
      request.create_time = t0 + absl::Hours(3 - i);
      MNR_RETURN_IF_ERROR(
          txn.PutRequest("clinics/c1", absl::StrCat("r-", i), request));
    }
    return absl::OkStatus();
  }));
  auto remembered = [&] {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& txn) -> absl::Status {
                      for (int i = 0; i < 4; ++i) {
                        const std::string id = absl::StrCat("r-", i);
                        MNR_ASSIGN_OR_RETURN(std::optional<RequestRecord> found,
                                             txn.GetRequest("clinics/c1", id));
                        if (found.has_value()) ids.push_back(id);
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return ids;
  };
  auto expire = [&](absl::Time cutoff, int64_t limit) {
    int64_t expired = -1;
    EXPECT_TRUE(store_
                    ->Write([&](WriteTxn& txn) -> absl::Status {
                      MNR_ASSIGN_OR_RETURN(expired,
                                           txn.ExpireRequests(cutoff, limit));
                      return absl::OkStatus();
                    })
                    .ok());
    return expired;
  };
  // Created at t0+3h (r-0), +2h (r-1), +1h (r-2), +0h (r-3). Cutoff
  // t0+2h: r-3 and r-2 are older, r-1 is exactly at it and stays.
  EXPECT_EQ(expire(t0 + absl::Hours(2), 1), 1);
  EXPECT_EQ(remembered(), (std::vector<std::string>{"r-0", "r-1", "r-2"}));
  EXPECT_EQ(expire(t0 + absl::Hours(2), 1), 1);
  EXPECT_EQ(remembered(), (std::vector<std::string>{"r-0", "r-1"}));
  EXPECT_EQ(expire(t0 + absl::Hours(2), 10), 0);
  EXPECT_EQ(remembered(), (std::vector<std::string>{"r-0", "r-1"}));
  // A forgotten id can be used again.
  RequestRecord again;
  again.request_hash = "h2";
  again.name = p1.name;
  again.revision_id = 1;
  again.create_time = t0 + absl::Hours(5);
  MNR_EXPECT_OK(store_->Write([&](WriteTxn& txn) {
    return txn.PutRequest("clinics/c1", "r-3", again);
  }));
  // Without a create time, nothing is remembered.
  again.create_time = absl::InfinitePast();
  MNR_EXPECT_CODE(store_->Write([&](WriteTxn& txn) {
    return txn.PutRequest("clinics/c1", "r-9", again);
  }),
                  StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, FailedWriteLeavesNothingBehind) {
  const RecordRevision p1 = Patient("c1", "p1");
  const RecordRevision p2 = Patient("c1", "p2");
  RequestRecord request;
  request.request_hash = "h";
  request.name = p1.name;
  request.revision_id = 1;
  request.create_time = kRequestTime;
  const absl::Status status = store_->Write([&](WriteTxn& txn) {
    MNR_RETURN_IF_ERROR(txn.InsertRecord(p1, RecordKeys{{"mrn|1"}, {}}));
    MNR_RETURN_IF_ERROR(txn.PutRequest("CreatePatient", "r-1", request));
    MNR_RETURN_IF_ERROR(txn.InsertRecord(p2, RecordKeys{{"mrn|2"}, {}}));
    // Writes are visible inside the transaction.
    MNR_RETURN_IF_ERROR(txn.GetRecord(p2.name, 0).status());
    return absl::FailedPreconditionError("consent missing");
  });
  EXPECT_EQ(status, absl::FailedPreconditionError("consent missing"));

  MNR_EXPECT_CODE(Get(*store_, p1.name), StatusCode::kNotFound);
  MNR_EXPECT_CODE(Get(*store_, p2.name), StatusCode::kNotFound);
  MNR_ASSERT_OK_AND_ASSIGN(const std::optional<std::string> key,
                           Find(*store_, "c1", "mrn|1"));
  EXPECT_EQ(key, std::nullopt);
  MNR_ASSERT_OK_AND_ASSIGN(
      const std::optional<RequestRecord> remembered,
      ReadValue<std::optional<RequestRecord>>(*store_, [&](ReadTxn& txn) {
        return txn.GetRequest("CreatePatient", "r-1");
      }));
  EXPECT_EQ(remembered, std::nullopt);
  // And the names are still free.
  MNR_EXPECT_OK(Insert(*store_, p1, {"mrn|1"}));
}

TEST_P(StoreContractTest, FailedOperationInsideWriteHasNoEffect) {
  const RecordRevision p1 = Patient("c1", "p1");
  const RecordRevision p2 = Patient("c1", "p2");
  MNR_ASSERT_OK(store_->Write([&](WriteTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(txn.InsertRecord(p1, RecordKeys{{"mrn|1"}, {}}));
    // The caller handles this error and commits the rest.
    const absl::Status taken =
        txn.InsertRecord(p2, RecordKeys{{"mrn|2", "mrn|1"}, {}});
    if (taken.code() != StatusCode::kAlreadyExists) {
      return absl::InternalError(
          absl::StrCat("unexpected: ", taken.ToString()));
    }
    return absl::OkStatus();
  }));
  MNR_EXPECT_OK(Get(*store_, p1.name).status());
  MNR_EXPECT_CODE(Get(*store_, p2.name), StatusCode::kNotFound);
  MNR_ASSERT_OK_AND_ASSIGN(const std::optional<std::string> key,
                           Find(*store_, "c1", "mrn|2"));
  EXPECT_EQ(key, std::nullopt);
}

TEST_P(StoreContractTest, ReadSeesOneSnapshot) {
  MNR_ASSERT_OK(Insert(*store_, Patient("c1", "p1")));
  const RecordQuery q = Query(RecordKind::kPatient, "c1");
  absl::Notification first_read_done;
  absl::Notification write_done;
  std::thread writer([&] {
    first_read_done.WaitForNotification();
    MNR_EXPECT_OK(Insert(*store_, Patient("c1", "p2")));
    write_done.Notify();
  });
  MNR_EXPECT_OK(store_->Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> before,
                         txn.ListRecords(q));
    first_read_done.Notify();
    write_done.WaitForNotification();
    MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> after,
                         txn.ListRecords(q));
    EXPECT_EQ(before.size(), 1u);
    EXPECT_EQ(Names(after), Names(before));
    return txn.GetRecord(PatientName("c1", "p2"), 0).status().code() ==
                   StatusCode::kNotFound
               ? absl::OkStatus()
               : absl::InternalError("saw a write made after the snapshot");
  }));
  writer.join();
  EXPECT_EQ(ListNames(*store_, q).size(), 2u);
}

TEST_P(StoreContractTest, ConcurrentReadersAndWriters) {
  constexpr int kWriters = 4;
  constexpr int kWritesEach = 200;
  constexpr int kReaders = 3;
  std::atomic<bool> writing{true};
  std::atomic<int> write_errors{0};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kWritesEach; ++i) {
        RecordRevision p = Patient("c1", absl::StrCat("w", w, "-", i));
        const absl::Status status =
            Insert(*store_, p, {absl::StrCat("mrn|", w, "-", i)});
        if (!status.ok()) {
          ADD_FAILURE() << status;
          ++write_errors;
        }
        if (i % 50 == 25) {
          const absl::Status amend = Append(*store_, Amended(p, "v2"));
          if (!amend.ok()) ++write_errors;
        }
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      size_t last_count = 0;
      while (writing.load()) {
        RecordQuery q = Query(RecordKind::kPatient, "c1");
        q.limit = kWriters * kWritesEach;
        absl::StatusOr<std::vector<StoredRecord>> list = List(*store_, q);
        if (!list.ok() || list->size() < last_count) {
          ++read_errors;
          continue;
        }
        last_count = list->size();
        for (size_t i = 1; i < list->size(); ++i) {
          if ((*list)[i].seq <= (*list)[i - 1].seq) ++read_errors;
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  writing.store(false);
  for (size_t t = kWriters; t < threads.size(); ++t) threads[t].join();
  EXPECT_EQ(write_errors.load(), 0);
  EXPECT_EQ(read_errors.load(), 0);

  RecordQuery q = Query(RecordKind::kPatient, "c1");
  q.limit = kWriters * kWritesEach + 10;
  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<StoredRecord> all,
                           List(*store_, q));
  EXPECT_EQ(all.size(), static_cast<size_t>(kWriters * kWritesEach));
  for (int w = 0; w < kWriters; ++w) {
    for (int i = 0; i < kWritesEach; i += 37) {
      MNR_ASSERT_OK_AND_ASSIGN(
          const std::optional<std::string> holder,
          Find(*store_, "c1", absl::StrCat("mrn|", w, "-", i)));
      EXPECT_EQ(holder, PatientName("c1", absl::StrCat("w", w, "-", i)));
    }
  }
}

TEST_P(StoreContractTest, DataSurvivesReopen) {
  const RecordRevision p1 = Patient("c1", "p1");
  const RecordRevision p1v2 = Amended(p1, "v2");
  MNR_ASSERT_OK(Insert(*store_, p1, {"mrn|1"}));
  MNR_ASSERT_OK(Append(*store_, p1v2, {"mrn|1"}));
  Reopen();
  ASSERT_NE(store_, nullptr);

  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord current, Get(*store_, p1.name));
  ExpectSameRevision(current.revision, p1v2);
  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord first, Get(*store_, p1.name, 1));
  ExpectSameRevision(first.revision, p1);
  MNR_ASSERT_OK_AND_ASSIGN(const std::optional<std::string> holder,
                           Find(*store_, "c1", "mrn|1"));
  EXPECT_EQ(holder, p1.name);
  // New records continue after the old ones.
  MNR_ASSERT_OK(Insert(*store_, Patient("c1", "p2")));
  EXPECT_EQ(ListNames(*store_, Query(RecordKind::kPatient, "c1")),
            (std::vector<std::string>{p1.name, PatientName("c1", "p2")}));
}

}  // namespace
}  // namespace testing
}  // namespace mnrecords
