// Helpers shared by the Store contract tests (store_contract_*_test.cc):
// records to write and one-line reads/writes that return statuses.
#ifndef MNRECORDS_TESTS_STORAGE_STORE_CONTRACT_HELPERS_H_
#define MNRECORDS_TESTS_STORAGE_STORE_CONTRACT_HELPERS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/store.h"

namespace mnrecords {
namespace testing {

using Keys = std::vector<std::string>;

// The create_time of every test revision (microsecond precision).
inline const absl::Time kCreated = absl::FromUnixMicros(1700000000123456);

std::string PatientName(const std::string& clinic, const std::string& id);

// Revision 1 of a patient / course / session with plausible index columns.
// Patient payloads contain a NUL and a non-UTF-8 byte.
RecordRevision Patient(const std::string& clinic, const std::string& id);
RecordRevision Course(const std::string& clinic, const std::string& patient,
                      const std::string& id, const std::string& actor,
                      int32_t category);
RecordRevision Session(const RecordRevision& course, const std::string& id,
                       const std::string& actor, int64_t event_time_us);

// Amended returns the next revision of `r` with another payload.
RecordRevision Amended(RecordRevision r, const std::string& payload);

// Insert / Append run one InsertRecord / AppendRevision in its own Write.
absl::Status Insert(Store& store, const RecordRevision& r,
                    const Keys& keys = {});
absl::Status Append(Store& store, const RecordRevision& r,
                    const Keys& keys = {});

// ReadValue runs one Read and returns what `f` produced.
template <typename T>
absl::StatusOr<T> ReadValue(Store& store,
                            std::function<absl::StatusOr<T>(ReadTxn&)> f) {
  absl::StatusOr<T> out = absl::UnknownError("read did not run");
  absl::Status status = store.Read([&](ReadTxn& txn) {
    out = f(txn);
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

// One-call reads.
absl::StatusOr<StoredRecord> Get(Store& store, const std::string& name,
                                 int64_t revision_id = 0);
absl::StatusOr<std::vector<StoredRecord>> List(Store& store,
                                               const RecordQuery& query);
absl::StatusOr<std::optional<std::string>> Find(Store& store,
                                                const std::string& clinic,
                                                const std::string& key);

// Names returns the record names in order.
std::vector<std::string> Names(const std::vector<StoredRecord>& records);
// ListNames lists and returns the names ({"error"} after a failed list).
std::vector<std::string> ListNames(Store& store, const RecordQuery& query);

// Query selects `kind` in `clinic` with a limit of 100.
RecordQuery Query(RecordKind kind, const std::string& clinic);

// ExpectSameRevision compares every field.
void ExpectSameRevision(const RecordRevision& got, const RecordRevision& want);

}  // namespace testing
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_STORAGE_STORE_CONTRACT_HELPERS_H_
