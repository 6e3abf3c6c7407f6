// Small records for the SQLite store's own tests (the contract suite has
// its own in store_contract_helpers.h).
#ifndef MNRECORDS_TESTS_STORAGE_SQLITE_TEST_RECORDS_H_
#define MNRECORDS_TESTS_STORAGE_SQLITE_TEST_RECORDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/store/store.h"

namespace mnrecords {
namespace testing {

// Patient is revision 1 of patient `id` in clinic c1.
inline RecordRevision Patient(const std::string& id) {
  RecordRevision r;
  r.name = "clinics/c1/patients/" + id;
  r.kind = RecordKind::kPatient;
  r.clinic = "c1";
  r.patient = r.name;
  r.revision_id = 1;
  r.create_time = absl::FromUnixMicros(1700000000000000);
  r.payload = "payload of " + id;
  return r;
}

// Insert writes `r` (no keys) in its own Write().
inline absl::Status Insert(Store& store, const RecordRevision& r) {
  return store.Write([&](WriteTxn& txn) { return txn.InsertRecord(r, {}); });
}

}  // namespace testing
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_STORAGE_SQLITE_TEST_RECORDS_H_
