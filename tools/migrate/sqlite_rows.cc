#include "tools/migrate/sqlite_rows.h"

#include <sqlite3.h>

#include <string>

#include "common/status_macros.h"

namespace mnrecords::migrate {

absl::StatusOr<bool> SqliteRows::Next(Row& row) {
  MNR_ASSIGN_OR_RETURN(const bool more, statement_->Step());
  if (!more) return false;
  row.resize(types_.size());
  for (size_t i = 0; i < types_.size(); ++i) {
    const int column = static_cast<int>(i);
    switch (types_[i]) {
      case ColumnType::kInt:
        row[i] = statement_->ColumnInt64(column);
        break;
      case ColumnType::kText:
        row[i] = statement_->ColumnText(column);
        break;
      case ColumnType::kBytes:
        row[i] = statement_->ColumnBlob(column);
        break;
      case ColumnType::kBlobSha256: {
        const std::string blob = statement_->ColumnBlob(column);
        const Sha256Digest digest = hasher_.Digest(blob);
        row[i] = std::string(digest.begin(), digest.end());
        break;
      }
    }
  }
  return true;
}

}  // namespace mnrecords::migrate
