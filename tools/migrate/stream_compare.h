// CompareStreams: the row-by-row half of the proof. It merges two streams
// of one table's rows, the source's and the target's, both in key order,
// and reports every row that is missing on one side, present only on the
// other, or different in any column, holding one row of each side at a
// time.
#ifndef MNRECORDS_TOOLS_MIGRATE_STREAM_COMPARE_H_
#define MNRECORDS_TOOLS_MIGRATE_STREAM_COMPARE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/migrate/progress.h"
#include "tools/migrate/rows.h"

namespace mnrecords::migrate {

struct StreamSpec {
  std::vector<std::string> columns;  // names, for messages
  std::vector<ColumnType> types;     // for rendering values
  int key_columns = 1;               // the first columns, the stream order
  // Names a row by its key for messages, e.g. "revision 2 of clinics/...".
  std::function<std::string(const Row&)> describe;
  // Optional: each row of a side, in order (e.g. the audit chain check).
  std::function<void(const Row&)> on_source_row;
  std::function<void(const Row&)> on_target_row;
};

struct StreamResult {
  int64_t source_rows = 0;
  int64_t target_rows = 0;
  int64_t differences = 0;  // rows missing, extra or different
  // The first differences in words (at most max_problems), then a count of
  // the rest.
  std::vector<std::string> problems;
};

// CompareStreams reads both streams to their ends. `progress` (optional)
// counts source rows. Errors are the databases'.
absl::StatusOr<StreamResult> CompareStreams(const StreamSpec& spec,
                                            RowSource& source,
                                            RowSource& target, int max_problems,
                                            Progress* progress);

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_STREAM_COMPARE_H_
