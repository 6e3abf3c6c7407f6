#include "tools/migrate/pg_rows.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace mnrecords::migrate {

Row ReadPgRow(const postgres::PgResult& result, int row,
              const std::vector<ColumnType>& types) {
  Row out(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    const int column = static_cast<int>(i);
    if (types[i] == ColumnType::kInt) {
      out[i] = result.Int64(row, column);
    } else {
      out[i] = result.Text(row, column);
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<PgCursorRows>> PgCursorRows::Open(
    postgres::PgConnection& db, const std::string& name, const std::string& sql,
    std::vector<ColumnType> types, int page_rows) {
  if (!db.InTransaction()) {
    return absl::InternalError("a cursor needs an open transaction");
  }
  MNR_RETURN_IF_ERROR(
      db.Exec(absl::StrCat("DECLARE ", name, " NO SCROLL CURSOR FOR ", sql)));
  // FETCH through the extended protocol (PgConnection::Query) returns the
  // rows in binary, like every other query of ours.
  return std::unique_ptr<PgCursorRows>(new PgCursorRows(
      db, absl::StrCat("FETCH ", page_rows, " FROM ", name), std::move(types)));
}

absl::StatusOr<bool> PgCursorRows::Next(Row& row) {
  if (done_) return false;
  if (!page_.has_value() || next_ >= page_->rows()) {
    page_.reset();
    MNR_ASSIGN_OR_RETURN(postgres::PgResult page, db_.Query(fetch_sql_));
    if (page.rows() == 0) {
      done_ = true;
      return false;
    }
    page_.emplace(std::move(page));
    next_ = 0;
  }
  row = ReadPgRow(*page_, next_, types_);
  ++next_;
  return true;
}

}  // namespace mnrecords::migrate
