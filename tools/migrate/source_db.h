// SourceDb: the SQLite database mnrecords_migrate copies from, opened
// read-only and held in ONE read transaction for the tool's whole run, so
// the copy and its proof see one consistent snapshot and nothing is ever
// written to the file.
#ifndef MNRECORDS_TOOLS_MIGRATE_SOURCE_DB_H_
#define MNRECORDS_TOOLS_MIGRATE_SOURCE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/sqlite/sqlite_db.h"
#include "tools/migrate/rows.h"

namespace mnrecords::migrate {

class SourceDb {
 public:
  // Open opens the mnrecords SQLite database at `path` read-only (SQLite
  // still creates the -shm and -wal files of a WAL database next to it, as
  // any reader does) and starts the read transaction. With `immutable` it
  // reads the file as it is on disk, taking no locks and creating no side
  // files: only for a database that no process has open. NOT_FOUND-like
  // errors from SQLite for a missing file; FAILED_PRECONDITION for a file
  // that is not an mnrecords database or whose schema version is not the
  // latest this build knows.
  static absl::StatusOr<std::unique_ptr<SourceDb>> Open(const std::string& path,
                                                        bool immutable);
  ~SourceDb();

  // Rows streams the rows of `sql` (parameters ?1.. bound from `params`,
  // integers or text), whose columns have `types`. One RowSource per SQL
  // text at a time.
  absl::StatusOr<std::unique_ptr<RowSource>> Rows(
      const std::string& sql, const std::vector<Value>& params,
      std::vector<ColumnType> types);

  // CountRows returns the number of rows of `table` in the snapshot.
  absl::StatusOr<int64_t> CountRows(const std::string& table);

  int schema_version() const { return schema_version_; }

 private:
  explicit SourceDb(std::unique_ptr<sqlite::Connection> db)
      : db_(std::move(db)) {}

  std::unique_ptr<sqlite::Connection> db_;
  int schema_version_ = 0;
};

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_SOURCE_DB_H_
