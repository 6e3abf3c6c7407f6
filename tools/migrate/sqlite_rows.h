// SqliteRows: a RowSource over one SQLite statement, stepped one row at a
// time (SQLite streams a query; nothing is buffered beyond the row).
#ifndef MNRECORDS_TOOLS_MIGRATE_SQLITE_ROWS_H_
#define MNRECORDS_TOOLS_MIGRATE_SQLITE_ROWS_H_

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/sha256.h"
#include "server/store/sqlite/sqlite_db.h"
#include "tools/migrate/rows.h"

namespace mnrecords::migrate {

class SqliteRows final : public RowSource {
 public:
  // `statement` is prepared and bound; its columns have `types` in order.
  SqliteRows(sqlite::ScopedStatement statement, std::vector<ColumnType> types)
      : statement_(std::move(statement)), types_(std::move(types)) {}

  absl::StatusOr<bool> Next(Row& row) override;

 private:
  sqlite::ScopedStatement statement_;
  std::vector<ColumnType> types_;
  Sha256Hasher hasher_;
};

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_SQLITE_ROWS_H_
