#include "tools/migrate/source_db.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/store/sqlite/schema.h"
#include "tools/migrate/sqlite_rows.h"

namespace mnrecords::migrate {
namespace {

// FileUri is `path` as an SQLite file: URI (RFC 3986 escapes for the
// characters a URI path cannot hold as they are).
std::string FileUri(const std::string& path) {
  std::string out = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SourceDb>> SourceDb::Open(
    const std::string& path, bool immutable) {
  const std::string name =
      immutable ? absl::StrCat(FileUri(path), "?mode=ro&immutable=1") : path;
  MNR_ASSIGN_OR_RETURN(
      std::unique_ptr<sqlite::Connection> db,
      sqlite::Connection::Open(
          name, SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0)));
  auto source = std::unique_ptr<SourceDb>(new SourceDb(std::move(db)));
  sqlite::Connection& c = *source->db_;
  MNR_RETURN_IF_ERROR(
      c.Exec("PRAGMA query_only = ON; PRAGMA busy_timeout = 10000; "
             "PRAGMA cache_size = -65536"));
  // The read transaction: its first read fixes the snapshot.
  MNR_RETURN_IF_ERROR(c.Exec("BEGIN"));
  MNR_ASSIGN_OR_RETURN(const int64_t app_id,
                       c.QueryInt64("PRAGMA application_id"));
  if (app_id != sqlite::kApplicationId) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not an mnrecords database (application_id ",
                     app_id, ", expected ", sqlite::kApplicationId, ")"));
  }
  MNR_ASSIGN_OR_RETURN(source->schema_version_, sqlite::SchemaVersion(c));
  const int latest = sqlite::LatestSchemaVersion();
  if (source->schema_version_ != latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " has schema version ", source->schema_version_,
        "; this tool copies version ", latest,
        " only: open the database once with the mnrecords_server of this "
        "release (which migrates it), then copy it"));
  }
  // Touch a table so the snapshot is taken now, before any count.
  MNR_RETURN_IF_ERROR(
      c.QueryInt64("SELECT count(*) FROM audit_events").status());
  return source;
}

SourceDb::~SourceDb() {
  if (db_ != nullptr && db_->InTransaction()) {
    db_->Exec("ROLLBACK").IgnoreError();  // a read transaction: nothing lost
  }
}

absl::StatusOr<std::unique_ptr<RowSource>> SourceDb::Rows(
    const std::string& sql, const std::vector<Value>& params,
    std::vector<ColumnType> types) {
  MNR_ASSIGN_OR_RETURN(sqlite::ScopedStatement statement, db_->Prepare(sql));
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const int64_t* n = std::get_if<int64_t>(&params[i])) {
      MNR_RETURN_IF_ERROR(statement->BindInt64(index, *n));
    } else {
      MNR_RETURN_IF_ERROR(
          statement->BindText(index, std::get<std::string>(params[i])));
    }
  }
  return std::unique_ptr<RowSource>(
      new SqliteRows(std::move(statement), std::move(types)));
}

absl::StatusOr<int64_t> SourceDb::CountRows(const std::string& table) {
  return db_->QueryInt64(absl::StrCat("SELECT count(*) FROM ", table));
}

}  // namespace mnrecords::migrate
