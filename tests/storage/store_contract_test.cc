// Store contract: writing, reading and amending records; unique keys.
#include "tests/storage/store_contract_test.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/store_contract_helpers.h"

namespace mnrecords {
namespace testing {

void StoreContractTest::SetUp() {
  path_ = dir_.File("store.db");
  absl::StatusOr<std::unique_ptr<Store>> store = GetParam().open(path_);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = std::move(store).value();
}

void StoreContractTest::Reopen() {
  store_.reset();
  absl::StatusOr<std::unique_ptr<Store>> store = GetParam().open(path_);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = std::move(store).value();
}

namespace {

using ::absl::StatusCode;

TEST_P(StoreContractTest, InsertThenGetCurrentAndByRevision) {
  const RecordRevision p1 = Patient("c1", "p1");
  MNR_ASSERT_OK(Insert(*store_, p1, {"mrn|1"}));

  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord current, Get(*store_, p1.name));
  ExpectSameRevision(current.revision, p1);
  EXPECT_GT(current.seq, 0);
  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord first, Get(*store_, p1.name, 1));
  ExpectSameRevision(first.revision, p1);
  EXPECT_EQ(first.seq, current.seq);
  MNR_ASSERT_OK_AND_ASSIGN(const std::optional<std::string> holder,
                           Find(*store_, "c1", "mrn|1"));
  EXPECT_EQ(holder, p1.name);
}

TEST_P(StoreContractTest, GetMissingRecordOrRevisionIsNotFound) {
  const RecordRevision p1 = Patient("c1", "p1");
  absl::StatusOr<StoredRecord> missing = Get(*store_, p1.name);
  MNR_EXPECT_CODE(missing, StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(p1.name), absl::string_view::npos)
      << missing.status();

  MNR_ASSERT_OK(Insert(*store_, p1));
  absl::StatusOr<StoredRecord> revision = Get(*store_, p1.name, 3);
  MNR_EXPECT_CODE(revision, StatusCode::kNotFound);
  EXPECT_NE(revision.status().message().find("revision 3 of " + p1.name),
            absl::string_view::npos)
      << revision.status();
}

TEST_P(StoreContractTest, InsertNeedsRevisionOne) {
  RecordRevision p1 = Patient("c1", "p1");
  p1.revision_id = 2;
  MNR_EXPECT_CODE(Insert(*store_, p1), StatusCode::kInvalidArgument);
  p1.revision_id = 0;
  MNR_EXPECT_CODE(Insert(*store_, p1), StatusCode::kInvalidArgument);
  MNR_EXPECT_CODE(Get(*store_, p1.name), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, DuplicateNameIsAlreadyExistsAndChangesNothing) {
  const RecordRevision p1 = Patient("c1", "p1");
  MNR_ASSERT_OK(Insert(*store_, p1, {"mrn|1"}));
  RecordRevision again = p1;
  again.payload = "other";
  const absl::Status status = Insert(*store_, again, {"mrn|2"});
  MNR_EXPECT_CODE(status, StatusCode::kAlreadyExists);
  EXPECT_NE(status.message().find(p1.name + " already exists"),
            absl::string_view::npos)
      << status;

  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord stored, Get(*store_, p1.name));
  ExpectSameRevision(stored.revision, p1);
  MNR_ASSERT_OK_AND_ASSIGN(const std::optional<std::string> holder,
                           Find(*store_, "c1", "mrn|2"));
  EXPECT_EQ(holder, std::nullopt);
}

TEST_P(StoreContractTest, AppendRevisionBecomesCurrentAndKeepsHistory) {
  const RecordRevision p1 = Patient("c1", "p1");
  MNR_ASSERT_OK(Insert(*store_, p1));
  const RecordRevision p1v2 = Amended(p1, "amended");
  MNR_ASSERT_OK(Append(*store_, p1v2));

  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord current, Get(*store_, p1.name));
  ExpectSameRevision(current.revision, p1v2);
  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord first, Get(*store_, p1.name, 1));
  ExpectSameRevision(first.revision, p1);
  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord second, Get(*store_, p1.name, 2));
  ExpectSameRevision(second.revision, p1v2);
}

TEST_P(StoreContractTest, AppendWithWrongRevisionIsAborted) {
  const RecordRevision p1 = Patient("c1", "p1");
  MNR_ASSERT_OK(Insert(*store_, p1));
  RecordRevision stale = Amended(p1, "stale");
  stale.revision_id = 1;
  MNR_EXPECT_CODE(Append(*store_, stale), StatusCode::kAborted);
  stale.revision_id = 3;
  MNR_EXPECT_CODE(Append(*store_, stale), StatusCode::kAborted);

  MNR_ASSERT_OK_AND_ASSIGN(const StoredRecord current, Get(*store_, p1.name));
  ExpectSameRevision(current.revision, p1);
}

TEST_P(StoreContractTest, AppendToUnknownRecordIsNotFound) {
  const RecordRevision p1 = Amended(Patient("c1", "p1"), "v2");
  const absl::Status status = Append(*store_, p1);
  MNR_EXPECT_CODE(status, StatusCode::kNotFound);
  EXPECT_NE(status.message().find(p1.name), absl::string_view::npos) << status;
}

TEST_P(StoreContractTest, KeysAreUniqueWithinAClinic) {
  const RecordRevision p1 = Patient("c1", "p1");
  const RecordRevision p2 = Patient("c1", "p2");
  MNR_ASSERT_OK(Insert(*store_, p1, {"mrn|123"}));
  const absl::Status status = Insert(*store_, p2, {"fhir|9", "mrn|123"});
  MNR_EXPECT_CODE(status, StatusCode::kAlreadyExists);
  EXPECT_NE(
      status.message().find("key 'mrn|123' is already held by " + p1.name),
      absl::string_view::npos)
      << status;
  MNR_EXPECT_CODE(Get(*store_, p2.name), StatusCode::kNotFound);
  MNR_ASSERT_OK_AND_ASSIGN(const std::optional<std::string> unclaimed,
                           Find(*store_, "c1", "fhir|9"));
  EXPECT_EQ(unclaimed, std::nullopt);

  // The same key in another clinic is a different key.
  MNR_EXPECT_OK(Insert(*store_, Patient("c2", "p1"), {"mrn|123"}));
  MNR_ASSERT_OK_AND_ASSIGN(const std::optional<std::string> other,
                           Find(*store_, "c2", "mrn|123"));
  EXPECT_EQ(other, PatientName("c2", "p1"));
}

TEST_P(StoreContractTest, AppendReplacesKeys) {
  const RecordRevision p1 = Patient("c1", "p1");
  const RecordRevision p2 = Patient("c1", "p2");
  MNR_ASSERT_OK(Insert(*store_, p1, {"mrn|old", "fhir|1"}));
  MNR_ASSERT_OK(Insert(*store_, p2, {"mrn|p2"}));

  // A key held by another record blocks the append entirely.
  const RecordRevision p1v2 = Amended(p1, "v2");
  MNR_EXPECT_CODE(Append(*store_, p1v2, {"mrn|new", "mrn|p2"}),
                  StatusCode::kAlreadyExists);
  MNR_ASSERT_OK_AND_ASSIGN(StoredRecord current, Get(*store_, p1.name));
  EXPECT_EQ(current.revision.revision_id, 1);

  MNR_ASSERT_OK(Append(*store_, p1v2, {"mrn|new", "fhir|1"}));
  MNR_ASSERT_OK_AND_ASSIGN(std::optional<std::string> holder,
                           Find(*store_, "c1", "mrn|old"));
  EXPECT_EQ(holder, std::nullopt);
  MNR_ASSERT_OK_AND_ASSIGN(holder, Find(*store_, "c1", "mrn|new"));
  EXPECT_EQ(holder, p1.name);
  MNR_ASSERT_OK_AND_ASSIGN(holder, Find(*store_, "c1", "fhir|1"));
  EXPECT_EQ(holder, p1.name);
  // The freed key can be claimed by another record.
  MNR_EXPECT_OK(Append(*store_, Amended(p2, "v2"), {"mrn|old"}));
}

// Fixture data for the listing tests: two patients in c1 (p1 with courses

}  // namespace
}  // namespace testing
}  // namespace mnrecords
