// Store contract: what a write reads to check its context at a cost that
// does not grow with the records — versions, child counts, time order.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/store_contract_helpers.h"
#include "tests/storage/store_contract_test.h"

namespace mnrecords {
namespace testing {
namespace {

using ::absl::StatusCode;
using V = std::vector<std::string>;

absl::StatusOr<int64_t> Version(Store& store, const std::string& name) {
  return ReadValue<int64_t>(
      store, [&](ReadTxn& txn) { return txn.RecordVersion(name); });
}

absl::StatusOr<std::vector<CategoryCount>> Counts(Store& store,
                                                  const std::string& parent,
                                                  RecordKind kind) {
  return ReadValue<std::vector<CategoryCount>>(
      store, [&](ReadTxn& txn) { return txn.CountChildren(parent, kind); });
}

std::vector<std::pair<int32_t, int64_t>> Pairs(
    const std::vector<CategoryCount>& counts) {
  std::vector<std::pair<int32_t, int64_t>> out;
  for (const CategoryCount& c : counts) out.emplace_back(c.category, c.count);
  return out;
}

TEST_P(StoreContractTest, VersionsGrowWithTheRecordAndItsChildren) {
  const RecordRevision patient = Patient("c1", "p1");
  const RecordRevision course = Course("c1", "p1", "co1", "dr_a", 1);
  MNR_EXPECT_OK_AND_EQ(Version(*store_, course.name), 0);  // no such record
  MNR_ASSERT_OK(Insert(*store_, patient));
  MNR_ASSERT_OK(Insert(*store_, course));
  MNR_EXPECT_OK_AND_EQ(Version(*store_, course.name), 1);
  MNR_EXPECT_OK_AND_EQ(Version(*store_, patient.name), 2);  // + its course

  const RecordRevision s1 = Session(course, "s1", "dr_a", 1000);
  MNR_ASSERT_OK(Insert(*store_, s1));
  MNR_EXPECT_OK_AND_EQ(Version(*store_, course.name), 2);
  MNR_ASSERT_OK(Append(*store_, Amended(s1, "corrected")));
  MNR_EXPECT_OK_AND_EQ(Version(*store_, s1.name), 2);
  MNR_EXPECT_OK_AND_EQ(Version(*store_, course.name), 3);
  // Only the parent changes: the patient is the course's parent, not the
  // session's.
  MNR_EXPECT_OK_AND_EQ(Version(*store_, patient.name), 2);
  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord read, Get(*store_, course.name));
  EXPECT_EQ(read.version, 3);
}

TEST_P(StoreContractTest, AFailedWriteLeavesVersionsAndCountsAlone) {
  const RecordRevision course = Course("c1", "p1", "co1", "dr_a", 1);
  MNR_ASSERT_OK(Insert(*store_, course));
  MNR_EXPECT_CODE(store_->Write([&](WriteTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(txn.InsertRecord(Session(course, "s1", "dr", 5), {}));
    return absl::AbortedError("changed my mind");
  }),
                  StatusCode::kAborted);
  MNR_EXPECT_OK_AND_EQ(Version(*store_, course.name), 1);
  MNR_ASSERT_OK_AND_ASSIGN(const auto counts,
                           Counts(*store_, course.name, RecordKind::kSession));
  EXPECT_TRUE(counts.empty());
}

TEST_P(StoreContractTest, CountChildrenCountsCurrentRevisionsByCategory) {
  const RecordRevision course = Course("c1", "p1", "co1", "dr_a", 1);
  const RecordRevision other = Course("c1", "p1", "co2", "dr_a", 1);
  MNR_ASSERT_OK(Insert(*store_, course));
  MNR_ASSERT_OK(Insert(*store_, other));
  std::vector<RecordRevision> sessions;
  for (int i = 0; i < 3; ++i) {
    RecordRevision s = Session(course, absl::StrCat("s", i), "dr", i);
    s.category = 2;
    MNR_ASSERT_OK(Insert(*store_, s));
    sessions.push_back(s);
  }
  RecordRevision elsewhere = Session(other, "s9", "dr", 9);
  elsewhere.category = 2;
  MNR_ASSERT_OK(Insert(*store_, elsewhere));
  using P = std::vector<std::pair<int32_t, int64_t>>;
  MNR_ASSERT_OK_AND_ASSIGN(auto counts,
                           Counts(*store_, course.name, RecordKind::kSession));
  EXPECT_EQ(Pairs(counts), (P{{2, 3}}));
  // A new revision in another category moves the record's count.
  RecordRevision voided = Amended(sessions[1], "entered in error");
  voided.category = 9;
  MNR_ASSERT_OK(Append(*store_, voided));
  MNR_ASSERT_OK_AND_ASSIGN(counts,
                           Counts(*store_, course.name, RecordKind::kSession));
  EXPECT_EQ(Pairs(counts), (P{{2, 2}, {9, 1}}));
  // Same category: no change.
  MNR_ASSERT_OK(Append(*store_, Amended(sessions[0], "typo")));
  MNR_ASSERT_OK_AND_ASSIGN(counts,
                           Counts(*store_, course.name, RecordKind::kSession));
  EXPECT_EQ(Pairs(counts), (P{{2, 2}, {9, 1}}));
  MNR_ASSERT_OK_AND_ASSIGN(
      counts, Counts(*store_, course.patient, RecordKind::kCourse));
  EXPECT_EQ(Pairs(counts), (P{{1, 2}}));
  MNR_ASSERT_OK_AND_ASSIGN(
      counts, Counts(*store_, "clinics/c1/patients/none", RecordKind::kCourse));
  EXPECT_TRUE(counts.empty());
}

TEST_P(StoreContractTest, TimeOrderFindsTheRecordsAroundATime) {
  const RecordRevision course = Course("c1", "p1", "co1", "dr_a", 1);
  MNR_ASSERT_OK(Insert(*store_, course));
  // Inserted out of time order; two share a time.
  std::vector<RecordRevision> s;
  const int64_t times[] = {3000, 1000, 2000, 2000, 4000};
  for (int i = 0; i < 5; ++i) {
    s.push_back(Session(course, absl::StrCat("s", i), "dr", times[i]));
    MNR_ASSERT_OK(Insert(*store_, s.back()));
  }
  RecordQuery q = Query(RecordKind::kSession, "c1");
  q.course = course.name;
  q.order = RecordQuery::Order::kEventTimeDescending;
  q.event_time_to_us = 3000;  // before 3000: 2000 (s3 then s2), 1000
  EXPECT_EQ(ListNames(*store_, q), (V{s[3].name, s[2].name, s[1].name}));
  q.limit = 1;
  EXPECT_EQ(ListNames(*store_, q), (V{s[3].name}));
  q.exclude_name = s[3].name;
  EXPECT_EQ(ListNames(*store_, q), (V{s[2].name}));
  q.exclude_name.clear();
  // Paging after (2000, s3) goes on with s2.
  q.after_event_time_us = 2000;
  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord s3, Get(*store_, s[3].name));
  q.after_seq = s3.seq;
  EXPECT_EQ(ListNames(*store_, q), (V{s[2].name}));

  RecordQuery up = Query(RecordKind::kSession, "c1");
  up.course = course.name;
  up.order = RecordQuery::Order::kEventTimeAscending;
  up.event_time_from_us = 2001;
  EXPECT_EQ(ListNames(*store_, up), (V{s[0].name, s[4].name}));
  up.exclude_category = 0;  // every test session has category 0
  EXPECT_EQ(ListNames(*store_, up), V{});
}

TEST_P(StoreContractTest, TimeOrderByPatientNeedsACategory) {
  const RecordRevision c1 = Course("c1", "p1", "co1", "dr_a", 1);
  const RecordRevision c2 = Course("c1", "p1", "co2", "dr_a", 2);
  MNR_ASSERT_OK(Insert(*store_, c1));
  MNR_ASSERT_OK(Insert(*store_, c2));
  RecordQuery q = Query(RecordKind::kCourse, "c1");
  q.patient = c1.patient;
  q.order = RecordQuery::Order::kEventTimeDescending;
  MNR_EXPECT_CODE(List(*store_, q).status(), StatusCode::kInvalidArgument);
  q.category = 2;
  EXPECT_EQ(ListNames(*store_, q), (V{c2.name}));
  RecordQuery clinic_wide = Query(RecordKind::kCourse, "c1");
  clinic_wide.order = RecordQuery::Order::kEventTimeAscending;
  MNR_EXPECT_CODE(List(*store_, clinic_wide).status(),
                  StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace testing
}  // namespace mnrecords
