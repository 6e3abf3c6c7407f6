#include "tests/storage/store_contract_helpers.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace testing {

std::string PatientName(const std::string& clinic, const std::string& id) {
  return absl::StrCat("clinics/", clinic, "/patients/", id);
}

RecordRevision Patient(const std::string& clinic, const std::string& id) {
  RecordRevision r;
  r.name = PatientName(clinic, id);
  r.kind = RecordKind::kPatient;
  r.clinic = clinic;
  r.patient = r.name;
  r.revision_id = 1;
  r.create_time = kCreated;
  r.payload = absl::StrCat("patient ", id, std::string(1, '\0'), "\xff");
  return r;
}

RecordRevision Course(const std::string& clinic, const std::string& patient,
                      const std::string& id, const std::string& actor,
                      int32_t category) {
  RecordRevision r;
  r.patient = PatientName(clinic, patient);
  r.name = absl::StrCat(r.patient, "/courses/", id);
  r.kind = RecordKind::kCourse;
  r.clinic = clinic;
  r.course = r.name;
  r.actor = actor;
  r.category = category;
  r.revision_id = 1;
  r.create_time = kCreated;
  r.payload = "course " + id;
  return r;
}

RecordRevision Session(const RecordRevision& course, const std::string& id,
                       const std::string& actor, int64_t event_time_us) {
  RecordRevision r;
  r.name = absl::StrCat(course.name, "/sessions/", id);
  r.kind = RecordKind::kSession;
  r.clinic = course.clinic;
  r.patient = course.patient;
  r.course = course.name;
  r.session = r.name;
  r.actor = actor;
  r.event_time_us = event_time_us;
  r.revision_id = 1;
  r.create_time = kCreated;
  r.payload = "session " + id;
  return r;
}

RecordRevision Amended(RecordRevision r, const std::string& payload) {
  ++r.revision_id;
  r.create_time += absl::Minutes(5);
  r.payload = payload;
  return r;
}

absl::Status Insert(Store& store, const RecordRevision& r, const Keys& keys) {
  return store.Write([&](WriteTxn& txn) {
    return txn.InsertRecord(r, RecordKeys{keys, {}});
  });
}

absl::Status Append(Store& store, const RecordRevision& r, const Keys& keys) {
  return store.Write([&](WriteTxn& txn) {
    return txn.AppendRevision(r, RecordKeys{keys, {}});
  });
}

absl::StatusOr<StoredRecord> Get(Store& store, const std::string& name,
                                 int64_t revision_id) {
  return ReadValue<StoredRecord>(
      store, [&](ReadTxn& txn) { return txn.GetRecord(name, revision_id); });
}

absl::StatusOr<std::vector<StoredRecord>> List(Store& store,
                                               const RecordQuery& query) {
  return ReadValue<std::vector<StoredRecord>>(
      store, [&](ReadTxn& txn) { return txn.ListRecords(query); });
}

absl::StatusOr<std::optional<std::string>> Find(Store& store,
                                                const std::string& clinic,
                                                const std::string& key) {
  return ReadValue<std::optional<std::string>>(
      store, [&](ReadTxn& txn) { return txn.FindByKey(clinic, key); });
}

std::vector<std::string> Names(const std::vector<StoredRecord>& records) {
  std::vector<std::string> out;
  for (const StoredRecord& r : records) out.push_back(r.revision.name);
  return out;
}

std::vector<std::string> ListNames(Store& store, const RecordQuery& query) {
  absl::StatusOr<std::vector<StoredRecord>> records = List(store, query);
  EXPECT_TRUE(records.ok()) << records.status();
  return records.ok() ? Names(*records) : std::vector<std::string>{"error"};
}

void ExpectSameRevision(const RecordRevision& got, const RecordRevision& want) {
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.clinic, want.clinic);
  EXPECT_EQ(got.patient, want.patient);
  EXPECT_EQ(got.course, want.course);
  EXPECT_EQ(got.session, want.session);
  EXPECT_EQ(got.actor, want.actor);
  EXPECT_EQ(got.event_time_us, want.event_time_us);
  EXPECT_EQ(got.category, want.category);
  EXPECT_EQ(got.revision_id, want.revision_id);
  EXPECT_EQ(got.create_time, want.create_time);
  EXPECT_EQ(got.payload, want.payload);
}

RecordQuery Query(RecordKind kind, const std::string& clinic) {
  RecordQuery q;
  q.kind = kind;
  q.clinic = clinic;
  q.limit = 100;
  return q;
}

}  // namespace testing
}  // namespace mnrecords
