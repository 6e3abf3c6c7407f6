// Store contract: the change feed (every revision written is a change with
// a seq in commit order; filters; the principal; rolled-back writes leave
// no change; changes survive a reopen).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status_macros.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/store_contract_helpers.h"
#include "tests/storage/store_contract_test.h"

namespace mnrecords {
namespace testing {
namespace {

using ::absl::StatusCode;

absl::StatusOr<std::vector<StoredChange>> Changes(Store& store,
                                                  const ChangeQuery& query) {
  return ReadValue<std::vector<StoredChange>>(
      store, [&](ReadTxn& txn) { return txn.ListChanges(query); });
}

absl::StatusOr<int64_t> LastSeq(Store& store, const std::string& clinic) {
  return ReadValue<int64_t>(
      store, [&](ReadTxn& txn) { return txn.LastChangeSeq(clinic); });
}

ChangeQuery ClinicChanges(const std::string& clinic, int64_t after_seq = 0) {
  ChangeQuery query;
  query.clinic = clinic;
  query.after_seq = after_seq;
  query.limit = 100;
  return query;
}

// Described is "name@revision" of each change.
std::vector<std::string> Described(const std::vector<StoredChange>& changes) {
  std::vector<std::string> out;
  for (const StoredChange& c : changes) {
    out.push_back(c.revision.name + "@" +
                  std::to_string(c.revision.revision_id));
  }
  return out;
}

absl::Status WriteAs(Store& store, const std::string& principal,
                     const RecordRevision& r, bool insert) {
  return store.Write([&](WriteTxn& txn) {
    txn.set_principal(principal);
    return insert ? txn.InsertRecord(r, {}) : txn.AppendRevision(r, {});
  });
}

TEST_P(StoreContractTest, EveryRevisionIsAChangeInCommitOrder) {
  const RecordRevision p1 = Patient("c1", "p1");
  const RecordRevision p2 = Patient("c1", "p2");
  const RecordRevision other = Patient("c2", "p1");
  MNR_ASSERT_OK(WriteAs(*store_, "alice", p1, /*insert=*/true));
  MNR_ASSERT_OK(WriteAs(*store_, "bob", other, /*insert=*/true));
  MNR_ASSERT_OK(WriteAs(*store_, "bob", p2, /*insert=*/true));
  MNR_ASSERT_OK(WriteAs(*store_, "carol", Amended(p1, "v2"), false));

  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<StoredChange> changes,
                           Changes(*store_, ClinicChanges("c1")));
  EXPECT_EQ(Described(changes),
            (std::vector<std::string>{p1.name + "@1", p2.name + "@1",
                                      p1.name + "@2"}));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_LT(changes[0].seq, changes[1].seq);
  EXPECT_LT(changes[1].seq, changes[2].seq);
  EXPECT_EQ(changes[0].principal, "alice");
  EXPECT_EQ(changes[1].principal, "bob");
  EXPECT_EQ(changes[2].principal, "carol");
  EXPECT_EQ(changes[2].revision.payload, "v2");
  ExpectSameRevision(changes[0].revision, p1);

  MNR_ASSERT_OK_AND_ASSIGN(const int64_t last_c1, LastSeq(*store_, "c1"));
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t last_c2, LastSeq(*store_, "c2"));
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t last_any, LastSeq(*store_, ""));
  MNR_ASSERT_OK_AND_ASSIGN(const int64_t last_none, LastSeq(*store_, "c9"));
  EXPECT_EQ(last_c1, changes[2].seq);
  EXPECT_LT(last_c2, changes[1].seq);
  EXPECT_EQ(last_any, changes[2].seq);
  EXPECT_EQ(last_none, 0);

  // Resuming after each change gives exactly the changes after it.
  for (size_t i = 0; i < changes.size(); ++i) {
    MNR_ASSERT_OK_AND_ASSIGN(
        const std::vector<StoredChange> tail,
        Changes(*store_, ClinicChanges("c1", changes[i].seq)));
    EXPECT_EQ(tail.size(), changes.size() - i - 1) << "after change " << i;
    if (!tail.empty()) {
      EXPECT_EQ(tail.front().seq, changes[i + 1].seq);
    }
  }
}

TEST_P(StoreContractTest, ChangesFilterByPatientAndKindAndPage) {
  const RecordRevision p1 = Patient("c1", "p1");
  const RecordRevision p2 = Patient("c1", "p2");
  const RecordRevision course = Course("c1", "p1", "k1", "dr", 1);
  const RecordRevision session = Session(course, "s1", "dr", 1000);
  for (const RecordRevision* r : {&p1, &p2, &course, &session}) {
    MNR_ASSERT_OK(Insert(*store_, *r));
  }

  ChangeQuery by_patient = ClinicChanges("c1");
  by_patient.patient = p1.name;
  EXPECT_EQ(Described(*Changes(*store_, by_patient)),
            (std::vector<std::string>{p1.name + "@1", course.name + "@1",
                                      session.name + "@1"}));

  ChangeQuery sessions_and_patients = ClinicChanges("c1");
  sessions_and_patients.kinds = {RecordKind::kSession, RecordKind::kPatient};
  EXPECT_EQ(Described(*Changes(*store_, sessions_and_patients)),
            (std::vector<std::string>{p1.name + "@1", p2.name + "@1",
                                      session.name + "@1"}));

  ChangeQuery page = ClinicChanges("c1");
  page.limit = 3;
  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<StoredChange> first,
                           Changes(*store_, page));
  ASSERT_EQ(first.size(), 3u);
  page.after_seq = first.back().seq;
  EXPECT_EQ(Described(*Changes(*store_, page)),
            (std::vector<std::string>{session.name + "@1"}));
}

TEST_P(StoreContractTest, RolledBackWritesLeaveNoChange) {
  const RecordRevision p1 = Patient("c1", "p1");
  MNR_ASSERT_OK(Insert(*store_, p1));
  // A write that fails after storing a revision leaves nothing.
  const absl::Status failed = store_->Write([&](WriteTxn& txn) {
    MNR_RETURN_IF_ERROR(txn.InsertRecord(Patient("c1", "p2"), {}));
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(failed.code(), StatusCode::kAborted);
  // A refused revision inside a successful write leaves nothing either.
  MNR_ASSERT_OK(store_->Write([&](WriteTxn& txn) {
    EXPECT_EQ(txn.InsertRecord(p1, {}).code(), StatusCode::kAlreadyExists);
    return txn.InsertRecord(Patient("c1", "p3"), {});
  }));
  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<StoredChange> changes,
                           Changes(*store_, ClinicChanges("c1")));
  EXPECT_EQ(Described(changes),
            (std::vector<std::string>{p1.name + "@1",
                                      PatientName("c1", "p3") + "@1"}));

  Reopen();
  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<StoredChange> reopened,
                           Changes(*store_, ClinicChanges("c1")));
  ASSERT_EQ(reopened.size(), changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(reopened[i].seq, changes[i].seq);
  }
  // Later writes get later seqs than any seen before the reopen.
  MNR_ASSERT_OK(Insert(*store_, Patient("c1", "p4")));
  MNR_ASSERT_OK_AND_ASSIGN(
      const std::vector<StoredChange> tail,
      Changes(*store_, ClinicChanges("c1", changes.back().seq)));
  EXPECT_EQ(Described(tail),
            (std::vector<std::string>{PatientName("c1", "p4") + "@1"}));
}

TEST_P(StoreContractTest, MalformedChangeQueriesAreRefused) {
  ChangeQuery no_clinic;
  EXPECT_EQ(Changes(*store_, no_clinic).status().code(),
            StatusCode::kInvalidArgument);
  ChangeQuery bad_limit = ClinicChanges("c1");
  bad_limit.limit = 0;
  EXPECT_EQ(Changes(*store_, bad_limit).status().code(),
            StatusCode::kInvalidArgument);
  ChangeQuery negative = ClinicChanges("c1", -1);
  EXPECT_EQ(Changes(*store_, negative).status().code(),
            StatusCode::kInvalidArgument);
  ChangeQuery bad_kind = ClinicChanges("c1");
  bad_kind.kinds = {static_cast<RecordKind>(42)};
  EXPECT_EQ(Changes(*store_, bad_kind).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace testing
}  // namespace mnrecords
