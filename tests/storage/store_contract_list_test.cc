// Store contract: listing records and revisions.
#include <optional>
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

class Listing {
 public:
  explicit Listing(Store& store) {
    co1 = Course("c1", "p1", "co1", "dr_a", 1);
    co2 = Course("c1", "p1", "co2", "dr_b", 2);
    co3 = Course("c1", "p2", "co3", "dr_a", 2);
    s1 = Session(co1, "s1", "dr_a", 1000);
    s2 = Session(co1, "s2", "dr_b", 2000);
    s3 = Session(co1, "s3", "dr_a", 3000);
    other = Course("c2", "p1", "co1", "dr_a", 1);
    for (const RecordRevision* r : {&co1, &s1, &co2, &s2, &other, &co3, &s3}) {
      const absl::Status status = Insert(store, *r);
      EXPECT_TRUE(status.ok()) << status;
    }
  }
  RecordRevision co1, co2, co3, s1, s2, s3, other;
};

TEST_P(StoreContractTest, ListRecordsFiltersByEachField) {
  const Listing data(*store_);
  using V = std::vector<std::string>;
  RecordQuery q = Query(RecordKind::kCourse, "c1");
  EXPECT_EQ(ListNames(*store_, q),
            (V{data.co1.name, data.co2.name, data.co3.name}));
  q.patient = data.co1.patient;
  EXPECT_EQ(ListNames(*store_, q), (V{data.co1.name, data.co2.name}));
  q.actor = "dr_b";
  EXPECT_EQ(ListNames(*store_, q), (V{data.co2.name}));
  q = Query(RecordKind::kCourse, "c1");
  q.category = 2;
  EXPECT_EQ(ListNames(*store_, q), (V{data.co2.name, data.co3.name}));
  q = Query(RecordKind::kCourse, "c1");
  q.actor = "dr_a";
  EXPECT_EQ(ListNames(*store_, q), (V{data.co1.name, data.co3.name}));
  q = Query(RecordKind::kCourse, "c2");
  EXPECT_EQ(ListNames(*store_, q), (V{data.other.name}));
  EXPECT_EQ(ListNames(*store_, Query(RecordKind::kPatient, "c1")), V{});

  q = Query(RecordKind::kSession, "c1");
  q.course = data.co1.name;
  EXPECT_EQ(ListNames(*store_, q),
            (V{data.s1.name, data.s2.name, data.s3.name}));
  q.event_time_from_us = 2000;
  EXPECT_EQ(ListNames(*store_, q), (V{data.s2.name, data.s3.name}));
  q.event_time_to_us = 3000;  // exclusive
  EXPECT_EQ(ListNames(*store_, q), (V{data.s2.name}));
  q = Query(RecordKind::kSession, "c1");
  q.event_time_to_us = 2000;
  EXPECT_EQ(ListNames(*store_, q), (V{data.s1.name}));
  q = Query(RecordKind::kSession, "c1");
  q.session = data.s3.name;
  EXPECT_EQ(ListNames(*store_, q), (V{data.s3.name}));
  q.course = data.co2.name;  // contradicts the session's course
  EXPECT_EQ(ListNames(*store_, q), V{});
}

TEST_P(StoreContractTest, ListRecordsPagesInSeqOrder) {
  std::vector<std::string> inserted;
  for (int i = 0; i < 7; ++i) {
    const RecordRevision p = Patient("c1", absl::StrCat("p", 9 - i));
    MNR_ASSERT_OK(Insert(*store_, p));
    inserted.push_back(p.name);
  }
  RecordQuery q = Query(RecordKind::kPatient, "c1");
  q.limit = 3;
  std::vector<std::string> seen;
  int64_t last_seq = 0;
  for (int page = 0; page < 5; ++page) {
    MNR_ASSERT_OK_AND_ASSIGN(const std::vector<StoredRecord> records,
                             List(*store_, q));
    EXPECT_LE(records.size(), 3u);
    for (const StoredRecord& r : records) {
      EXPECT_GT(r.seq, last_seq);
      last_seq = r.seq;
      seen.push_back(r.revision.name);
    }
    if (records.empty()) break;
    q.after_seq = records.back().seq;
  }
  EXPECT_EQ(seen, inserted);
}

TEST_P(StoreContractTest, ListRecordsSeesTheCurrentRevision) {
  const RecordRevision co1 = Course("c1", "p1", "co1", "dr_a", 1);
  MNR_ASSERT_OK(Insert(*store_, co1));
  RecordRevision co1v2 = Amended(co1, "handed over");
  co1v2.actor = "dr_b";
  co1v2.category = 3;
  MNR_ASSERT_OK(Append(*store_, co1v2));

  RecordQuery q = Query(RecordKind::kCourse, "c1");
  q.actor = "dr_a";
  EXPECT_EQ(ListNames(*store_, q), std::vector<std::string>{});
  q.actor = "dr_b";
  q.category = 3;
  MNR_ASSERT_OK_AND_ASSIGN(const std::vector<StoredRecord> records,
                           List(*store_, q));
  ASSERT_EQ(records.size(), 1u);
  ExpectSameRevision(records[0].revision, co1v2);
  // The old revision keeps its own index values.
  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord first, Get(*store_, co1.name, 1));
  ExpectSameRevision(first.revision, co1);
}

TEST_P(StoreContractTest, ListRevisionsPagesOldestFirst) {
  RecordRevision p = Patient("c1", "p1");
  MNR_ASSERT_OK(Insert(*store_, p));
  for (int i = 2; i <= 5; ++i) {
    p = Amended(p, absl::StrCat("v", i));
    MNR_ASSERT_OK(Append(*store_, p));
  }
  auto revisions = [&](int64_t after, int limit) {
    absl::StatusOr<std::vector<StoredRecord>> list =
        ReadValue<std::vector<StoredRecord>>(*store_, [&](ReadTxn& txn) {
          return txn.ListRevisions(p.name, after, limit);
        });
    std::vector<int64_t> ids;
    EXPECT_TRUE(list.ok()) << list.status();
    if (list.ok()) {
      for (const StoredRecord& r : *list) ids.push_back(r.revision.revision_id);
    }
    return ids;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(revisions(0, 2), (V{1, 2}));
  EXPECT_EQ(revisions(2, 2), (V{3, 4}));
  EXPECT_EQ(revisions(4, 2), (V{5}));
  EXPECT_EQ(revisions(5, 2), V{});
  EXPECT_EQ(revisions(0, 100), (V{1, 2, 3, 4, 5}));

  MNR_EXPECT_CODE(ReadValue<std::vector<StoredRecord>>(
                      *store_,
                      [&](ReadTxn& txn) {
                        return txn.ListRevisions(PatientName("c1", "nobody"), 0,
                                                 10);
                      }),
                  StatusCode::kNotFound);
}

}  // namespace
}  // namespace testing
}  // namespace mnrecords
