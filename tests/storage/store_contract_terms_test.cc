// Store contract: search terms (RecordKeys::terms, RecordQuery::terms) find
// the records whose current revision holds them, alone or with the other
// filters, in seq order, and follow each new revision.
#include <string>
#include <vector>

#include "common/status_macros.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/store_contract_helpers.h"
#include "tests/storage/store_contract_test.h"

namespace mnrecords {
namespace testing {
namespace {

using ::absl::StatusCode;
using V = std::vector<std::string>;

absl::Status InsertWithTerms(Store& store, const RecordRevision& r,
                             const V& terms) {
  return store.Write([&](WriteTxn& txn) {
    return txn.InsertRecord(r, RecordKeys{{}, terms});
  });
}

absl::Status AppendWithTerms(Store& store, const RecordRevision& r,
                             const V& terms) {
  return store.Write([&](WriteTxn& txn) {
    return txn.AppendRevision(r, RecordKeys{{}, terms});
  });
}

RecordQuery Sessions(const std::string& clinic, const V& terms) {
  RecordQuery q = Query(RecordKind::kSession, clinic);
  q.terms = terms;
  return q;
}

class Equipment {
 public:
  explicit Equipment(Store& store) {
    co1 = Course("c1", "p1", "co1", "dr_a", 1);
    co2 = Course("c1", "p2", "co2", "dr_b", 1);
    RecordRevision elsewhere = Course("c2", "p1", "co1", "dr_a", 1);
    s1 = Session(co1, "s1", "dr_a", 1000);
    s2 = Session(co2, "s2", "dr_b", 2000);
    s3 = Session(co1, "s3", "dr_a", 3000);
    other = Session(elsewhere, "s4", "dr_a", 4000);
    for (const RecordRevision* r : {&co1, &co2, &elsewhere}) {
      EXPECT_TRUE(Insert(store, *r).ok());
    }
    EXPECT_TRUE(InsertWithTerms(store, s1, {"lot=A", "model=X"}).ok());
    EXPECT_TRUE(InsertWithTerms(store, s2, {"lot=A", "model=Y", "lot=A"}).ok());
    EXPECT_TRUE(InsertWithTerms(store, s3, {"lot=B", "model=X"}).ok());
    EXPECT_TRUE(InsertWithTerms(store, other, {"lot=A"}).ok());
  }
  RecordRevision co1, co2, s1, s2, s3, other;
};

TEST_P(StoreContractTest, SearchTermsFindTheRecordsHoldingThem) {
  const Equipment data(*store_);
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=A"})),
            (V{data.s1.name, data.s2.name}));
  EXPECT_EQ(ListNames(*store_, Sessions("c2", {"lot=A"})), V{data.other.name});
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=A", "model=Y"})),
            V{data.s2.name});
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"model=Y", "lot=B"})), V{});
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=C"})), V{});
  // Terms belong to their kind: no course holds them.
  RecordQuery courses = Sessions("c1", {"lot=A"});
  courses.kind = RecordKind::kCourse;
  EXPECT_EQ(ListNames(*store_, courses), V{});

  // With the other filters, whichever drives the query.
  RecordQuery q = Sessions("c1", {"model=X"});
  q.patient = data.co1.patient;
  EXPECT_EQ(ListNames(*store_, q), (V{data.s1.name, data.s3.name}));
  q = Sessions("c1", {"lot=A"});
  q.course = data.co2.name;
  EXPECT_EQ(ListNames(*store_, q), V{data.s2.name});
  q = Sessions("c1", {"lot=A"});
  q.actor = "dr_a";
  EXPECT_EQ(ListNames(*store_, q), V{data.s1.name});
  q = Sessions("c1", {"model=X"});
  q.event_time_from_us = 2000;
  EXPECT_EQ(ListNames(*store_, q), V{data.s3.name});
  q = Sessions("c1", {"model=X"});
  q.course = data.co1.name;
  q.order = RecordQuery::Order::kEventTimeDescending;
  EXPECT_EQ(ListNames(*store_, q), (V{data.s3.name, data.s1.name}));
}

TEST_P(StoreContractTest, SearchTermsPageInSeqOrder) {
  const Equipment data(*store_);
  RecordQuery q = Sessions("c1", {"lot=A"});
  q.limit = 1;
  auto first = ReadValue<std::vector<StoredRecord>>(
      *store_, [&](ReadTxn& txn) { return txn.ListRecords(q); });
  MNR_ASSERT_OK(first.status());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].revision.name, data.s1.name);
  q.after_seq = (*first)[0].seq;
  EXPECT_EQ(ListNames(*store_, q), V{data.s2.name});
}

TEST_P(StoreContractTest, SearchTermsFollowTheCurrentRevision) {
  const Equipment data(*store_);
  // s1's lot was recorded wrong: corrected to B.
  MNR_ASSERT_OK(AppendWithTerms(*store_, Amended(data.s1, "session s1 v2"),
                                {"lot=B", "model=X"}));
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=A"})), V{data.s2.name});
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=B"})),
            (V{data.s1.name, data.s3.name}));
  // A revision without equipment files the record under nothing.
  MNR_ASSERT_OK(
      AppendWithTerms(*store_, Amended(data.s2, "session s2 v2"), {}));
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=A"})), V{});
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"model=Y"})), V{});
  Reopen();
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=B"})),
            (V{data.s1.name, data.s3.name}));
}

TEST_P(StoreContractTest, AFailedWriteFilesNoTerms) {
  const Equipment data(*store_);
  // An append at a stale revision is refused and leaves s3's terms alone.
  RecordRevision stale = Amended(data.s3, "session s3 v2");
  stale.revision_id = 3;
  MNR_EXPECT_CODE(AppendWithTerms(*store_, stale, {"lot=Z"}),
                  StatusCode::kAborted);
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=Z"})), V{});
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=B"})), V{data.s3.name});
  // So is a write whose transaction fails after the insert.
  const absl::Status failed = store_->Write([&](WriteTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(txn.InsertRecord(Session(data.co1, "s9", "dr_a", 9000),
                                         RecordKeys{{}, {"lot=Q"}}));
    return absl::InternalError("abandon the transaction");
  });
  MNR_EXPECT_CODE(failed, StatusCode::kInternal);
  EXPECT_EQ(ListNames(*store_, Sessions("c1", {"lot=Q"})), V{});
}

TEST_P(StoreContractTest, EmptyTermsAreRefused) {
  const RecordRevision course = Course("c1", "p1", "co1", "dr_a", 1);
  MNR_ASSERT_OK(Insert(*store_, course));
  MNR_EXPECT_CODE(
      InsertWithTerms(*store_, Session(course, "s1", "dr_a", 1), {"lot=A", ""}),
      StatusCode::kInvalidArgument);
  auto listed = ReadValue<std::vector<StoredRecord>>(
      *store_,
      [&](ReadTxn& txn) { return txn.ListRecords(Sessions("c1", {""})); });
  MNR_EXPECT_CODE(listed.status(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace testing
}  // namespace mnrecords
