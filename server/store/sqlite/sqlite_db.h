// Thin RAII wrappers over the SQLite C API: a connection with a cache of
// prepared statements, and statements with bind/step/column helpers. All
// SQLite result codes become absl::Status in exactly one place: SqliteStatus.
//
// Thread safety: a Connection and its statements belong to one thread at a
// time; the caller (SqliteStore) serializes access.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_SQLITE_DB_H_
#define MNRECORDS_SERVER_STORE_SQLITE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mnrecords {
namespace sqlite {

// SqliteStatus maps the SQLite result code `rc` (primary or extended) to an
// absl::Status whose message is "<context>: <sqlite3_errmsg(db)> (<code>)".
// SQLITE_FULL and SQLITE_NOMEM -> RESOURCE_EXHAUSTED; SQLITE_CORRUPT and
// SQLITE_NOTADB -> DATA_LOSS; SQLITE_BUSY and SQLITE_LOCKED -> UNAVAILABLE;
// SQLITE_IOERR (a failed read, write, fsync or truncate of the file) ->
// UNAVAILABLE: the transaction was rolled back (after a failed fsync of the
// WAL it may still be found whole at the next open), so the caller retries
// with the same request_id, which never stores a record twice;
// SQLITE_CONSTRAINT -> `constraint_code` (the caller knows what a violated
// constraint means); SQLITE_OK/ROW/DONE -> OK; everything else -> INTERNAL.
// `db` may be null (then only the code's description is used).
absl::Status SqliteStatus(
    int rc, sqlite3* db, absl::string_view context,
    absl::StatusCode constraint_code = absl::StatusCode::kInternal);

// Statement is one prepared statement, finalized on destruction. Bind
// indexes are 1-based, column indexes 0-based (as in SQLite). Text and blob
// values are copied when bound.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  absl::Status BindInt64(int index, int64_t value);
  absl::Status BindText(int index, absl::string_view value);
  absl::Status BindBlob(int index, absl::string_view value);

  // Step advances the statement: true when a row is ready, false when the
  // statement is done; a failed step maps through SqliteStatus.
  absl::StatusOr<bool> Step(
      absl::StatusCode constraint_code = absl::StatusCode::kInternal);

  // Run steps the statement to completion, ignoring any rows.
  absl::Status Run(
      absl::StatusCode constraint_code = absl::StatusCode::kInternal);

  int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;
  // ColumnView is the column's text without a copy, valid until the next
  // Step, Reset or column call of another type on this column.
  absl::string_view ColumnView(int column) const;
  std::string ColumnBlob(int column) const;
  // ColumnBlobView is ColumnView for a blob (no conversion to text).
  absl::string_view ColumnBlobView(int column) const;

  // Reset makes the statement reusable and clears its bindings.
  void Reset();

  // The SQL text the statement was prepared from.
  absl::string_view sql() const;

 private:
  friend class Connection;
  friend class ScopedStatement;

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool in_use_ = false;  // leased by a ScopedStatement
};

// ScopedStatement is a lease on a cached Statement: it resets the statement
// and clears its bindings when it goes out of scope. Move-only.
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement* statement) : statement_(statement) {
    statement_->in_use_ = true;
  }
  ScopedStatement(ScopedStatement&& other) noexcept
      : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  ScopedStatement& operator=(ScopedStatement&&) = delete;
  ScopedStatement(const ScopedStatement&) = delete;
  ~ScopedStatement();

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

// Connection owns one sqlite3 handle and a cache of persistent prepared
// statements keyed by SQL text.
class Connection {
 public:
  // Open opens `path` with sqlite3_open_v2 `flags` (SQLITE_OPEN_EXRESCODE is
  // always added) through the VFS named `vfs` ("" = the default VFS). The
  // connection is not configured yet (see Configure...).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, int flags, const std::string& vfs = "");

  // The destructor finalizes cached statements and closes the handle,
  // ignoring errors; call Close() to see them.
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Close finalizes all cached statements and closes the handle. Idempotent.
  absl::Status Close();

  // Exec runs one or more SQL statements without caching (DDL, PRAGMA).
  absl::Status Exec(absl::string_view sql);

  // Prepare returns a lease on the cached statement for `sql`, preparing it
  // (SQLITE_PREPARE_PERSISTENT) on first use. INTERNAL if the same SQL is
  // already leased (statements are not reentrant).
  absl::StatusOr<ScopedStatement> Prepare(absl::string_view sql);

  // QueryText runs a statement returning one value (e.g. "PRAGMA
  // journal_mode") and returns the first column of the first row as text.
  absl::StatusOr<std::string> QueryText(absl::string_view sql);

  // QueryInt64 is QueryText for an integer value.
  absl::StatusOr<int64_t> QueryInt64(absl::string_view sql);

  // InTransaction is true while an explicit transaction is open.
  bool InTransaction() const;

  // Changes is the number of rows the last INSERT, UPDATE or DELETE
  // changed (sqlite3_changes64).
  int64_t Changes() const;

  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  absl::flat_hash_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_SQLITE_DB_H_
