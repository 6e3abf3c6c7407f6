// PgCursorRows: a RowSource over a PostgreSQL query, read through a cursor
// (DECLARE ... CURSOR, then FETCH a page at a time) so that a table of any
// size streams with one page in memory. The connection must be inside a
// transaction for the cursor's whole life; the cursor ends with it.
#ifndef MNRECORDS_TOOLS_MIGRATE_PG_ROWS_H_
#define MNRECORDS_TOOLS_MIGRATE_PG_ROWS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/postgres/pg_connection.h"
#include "tools/migrate/rows.h"

namespace mnrecords::migrate {

// ReadPgRow reads row `row` of `result`, whose columns have `types`.
Row ReadPgRow(const postgres::PgResult& result, int row,
              const std::vector<ColumnType>& types);

class PgCursorRows final : public RowSource {
 public:
  // Open declares cursor `name` (an SQL identifier, unique among the
  // transaction's open cursors) for `sql`, whose columns have `types`
  // (kInt, kText or kBytes). Rows come `page_rows` per FETCH.
  static absl::StatusOr<std::unique_ptr<PgCursorRows>> Open(
      postgres::PgConnection& db, const std::string& name,
      const std::string& sql, std::vector<ColumnType> types,
      int page_rows = 2000);

  absl::StatusOr<bool> Next(Row& row) override;

 private:
  PgCursorRows(postgres::PgConnection& db, std::string fetch_sql,
               std::vector<ColumnType> types)
      : db_(db), fetch_sql_(std::move(fetch_sql)), types_(std::move(types)) {}

  postgres::PgConnection& db_;
  const std::string fetch_sql_;
  const std::vector<ColumnType> types_;
  std::optional<postgres::PgResult> page_;
  int next_ = 0;
  bool done_ = false;
};

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_PG_ROWS_H_
