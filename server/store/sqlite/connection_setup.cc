#include "server/store/sqlite/connection_setup.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace mnrecords {
namespace sqlite {
namespace {

const char* SynchronousName(SqliteSynchronous level) {
  switch (level) {
    case SqliteSynchronous::kNormal:
      return "NORMAL";
    case SqliteSynchronous::kFull:
      return "FULL";
    case SqliteSynchronous::kExtra:
      return "EXTRA";
  }
  return "FULL";
}

int SynchronousValue(SqliteSynchronous level) {
  switch (level) {
    case SqliteSynchronous::kNormal:
      return 1;
    case SqliteSynchronous::kFull:
      return 2;
    case SqliteSynchronous::kExtra:
      return 3;
  }
  return 2;
}

absl::Status DbConfig(Connection& db, int op, int value, const char* what) {
  int applied = -1;
  const int rc = sqlite3_db_config(db.handle(), op, value, &applied);
  MNR_RETURN_IF_ERROR(SqliteStatus(rc, db.handle(), what));
  if (applied != value) {
    return absl::InternalError(absl::StrCat(what, " did not take effect"));
  }
  return absl::OkStatus();
}

// Configure applies the per-connection settings and checks they held; the
// page cache gets `cache_size_kib`.
absl::Status Configure(Connection& db, const SqliteStoreOptions& options,
                       int64_t cache_size_kib) {
  const int64_t timeout_ms =
      std::min<int64_t>(absl::ToInt64Milliseconds(options.busy_timeout),
                        std::numeric_limits<int>::max());
  MNR_RETURN_IF_ERROR(SqliteStatus(
      sqlite3_busy_timeout(db.handle(), static_cast<int>(timeout_ms)),
      db.handle(), "setting busy_timeout"));
  // No writes to sqlite_schema or the file behind SQLite's back, and no
  // double-quoted string literals.
  MNR_RETURN_IF_ERROR(
      DbConfig(db, SQLITE_DBCONFIG_DEFENSIVE, 1, "enabling defensive mode"));
  MNR_RETURN_IF_ERROR(DbConfig(db, SQLITE_DBCONFIG_DQS_DML, 0,
                               "disabling double-quoted strings"));
  MNR_RETURN_IF_ERROR(DbConfig(db, SQLITE_DBCONFIG_DQS_DDL, 0,
                               "disabling double-quoted strings"));
  MNR_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON"));
  MNR_ASSIGN_OR_RETURN(const int64_t foreign_keys,
                       db.QueryInt64("PRAGMA foreign_keys"));
  if (foreign_keys != 1) {
    return absl::FailedPreconditionError(
        "this SQLite cannot enforce foreign keys");
  }
  MNR_RETURN_IF_ERROR(db.Exec(absl::StrCat(
      "PRAGMA synchronous = ", SynchronousName(options.synchronous))));
  MNR_ASSIGN_OR_RETURN(const int64_t synchronous,
                       db.QueryInt64("PRAGMA synchronous"));
  if (synchronous != SynchronousValue(options.synchronous)) {
    return absl::InternalError("PRAGMA synchronous did not take effect");
  }
  MNR_RETURN_IF_ERROR(
      db.Exec(absl::StrCat("PRAGMA cache_size = -", cache_size_kib)));
  // Statement journals (the undo of one statement inside a larger write
  // transaction) and temporary b-trees in memory: in a file they cost a
  // pwrite per page a statement touches, and they never need to survive a
  // crash (the WAL undoes the whole uncommitted transaction).
  MNR_RETURN_IF_ERROR(db.Exec("PRAGMA temp_store = MEMORY"));
  return absl::OkStatus();
}

absl::Status ExpectWal(const std::string& journal_mode,
                       const std::string& path) {
  if (absl::AsciiStrToLower(journal_mode) != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot use WAL journal mode for ", path, " (got '",
                     journal_mode, "'); the file system may not support it"));
  }
  return absl::OkStatus();
}

absl::Status ValidateOptions(const SqliteStoreOptions& options) {
  if (options.busy_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("busy_timeout must be >= 0");
  }
  if (options.wal_autocheckpoint_pages < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("wal_autocheckpoint_pages must be >= 1, got ",
                     options.wal_autocheckpoint_pages));
  }
  if (options.cache_size_kib < 64 || options.writer_cache_size_kib < 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cache_size_kib and writer_cache_size_kib must be >= 64, got ",
        options.cache_size_kib, " and ", options.writer_cache_size_kib));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> OpenWriter(
    const std::string& path, const SqliteStoreOptions& options) {
  MNR_RETURN_IF_ERROR(ValidateOptions(options));
  MNR_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> db,
      Connection::Open(
          path,
          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
          options.vfs_name_test_only));
  MNR_RETURN_IF_ERROR(Configure(*db, options, options.writer_cache_size_kib));
  MNR_ASSIGN_OR_RETURN(const std::string mode,
                       db->QueryText("PRAGMA journal_mode = WAL"));
  MNR_RETURN_IF_ERROR(ExpectWal(mode, path));
  MNR_RETURN_IF_ERROR(db->Exec(absl::StrCat("PRAGMA wal_autocheckpoint = ",
                                            options.wal_autocheckpoint_pages)));
  return db;
}

absl::StatusOr<std::unique_ptr<Connection>> OpenReader(
    const std::string& path, const SqliteStoreOptions& options) {
  MNR_RETURN_IF_ERROR(ValidateOptions(options));
  MNR_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> db,
      Connection::Open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                       options.vfs_name_test_only));
  MNR_RETURN_IF_ERROR(DbConfig(*db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
                               "disabling checkpoint on close"));
  MNR_RETURN_IF_ERROR(Configure(*db, options, options.cache_size_kib));
  MNR_ASSIGN_OR_RETURN(const std::string mode,
                       db->QueryText("PRAGMA journal_mode"));
  MNR_RETURN_IF_ERROR(ExpectWal(mode, path));
  return db;
}

}  // namespace sqlite
}  // namespace mnrecords
