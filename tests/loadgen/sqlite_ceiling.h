// The storage ceiling: how fast raw SQLite (the C API, no service code)
// commits rows of a given size with the server's durability settings (WAL,
// synchronous=FULL), one row per transaction and `group` rows per
// transaction, on one connection, in a fresh temp file.
#ifndef MNRECORDS_TESTS_LOADGEN_SQLITE_CEILING_H_
#define MNRECORDS_TESTS_LOADGEN_SQLITE_CEILING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mnrecords::loadgen {

struct StorageCeiling {
  int row_bytes = 0;
  double rows_per_sec_single = 0;   // one row per COMMIT
  double rows_per_sec_grouped = 0;  // `group` rows per COMMIT
  int group = 0;
};

// MeasureStorageCeiling inserts for `duration` in each mode into a temp
// file created in `dir` (the directory of the server's database, so the
// same disk) and deletes it afterwards. INTERNAL with SQLite's message if
// the file cannot be written.
absl::StatusOr<StorageCeiling> MeasureStorageCeiling(const std::string& dir,
                                                     int row_bytes, int group,
                                                     absl::Duration duration);

}  // namespace mnrecords::loadgen

#endif  // MNRECORDS_TESTS_LOADGEN_SQLITE_CEILING_H_
