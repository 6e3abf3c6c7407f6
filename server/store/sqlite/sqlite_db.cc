#include "server/store/sqlite/sqlite_db.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace mnrecords {
namespace sqlite {
namespace {

// A pointer SQLite accepts for an empty text/blob (null would bind NULL).
const char* NonNull(absl::string_view value) {
  return value.data() == nullptr ? "" : value.data();
}

}  // namespace

absl::Status SqliteStatus(int rc, sqlite3* db, absl::string_view context,
                          absl::StatusCode constraint_code) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) {
    return absl::OkStatus();
  }
  // sqlite3_errmsg describes the most recent failure on `db`, which is the
  // one that produced `rc` when we are called right after it.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message =
      absl::StrCat(context, ": ", detail, " (sqlite code ", rc, ")");
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat(message, "; the disk or database is full"));
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          absl::StrCat(message, "; the database stayed busy, retry later"));
    case SQLITE_IOERR:
      return absl::UnavailableError(absl::StrCat(
          message,
          "; storage I/O error: the call was not completed; retry with the "
          "same request_id (a retry never stores a record twice)"));
    case SQLITE_CONSTRAINT:
      return absl::Status(constraint_code, message);
    default:
      return absl::InternalError(message);
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

absl::Status Statement::BindInt64(int index, int64_t value) {
  return SqliteStatus(sqlite3_bind_int64(stmt_, index, value), db_,
                      absl::StrCat("binding parameter ", index));
}

absl::Status Statement::BindText(int index, absl::string_view value) {
  return SqliteStatus(
      sqlite3_bind_text64(stmt_, index, NonNull(value), value.size(),
                          SQLITE_TRANSIENT, SQLITE_UTF8),
      db_, absl::StrCat("binding parameter ", index));
}

absl::Status Statement::BindBlob(int index, absl::string_view value) {
  return SqliteStatus(sqlite3_bind_blob64(stmt_, index, NonNull(value),
                                          value.size(), SQLITE_TRANSIENT),
                      db_, absl::StrCat("binding parameter ", index));
}

absl::StatusOr<bool> Statement::Step(absl::StatusCode constraint_code) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc, db_, absl::StrCat("executing \"", sql(), "\""),
                      constraint_code);
}

absl::Status Statement::Run(absl::StatusCode constraint_code) {
  while (true) {
    MNR_ASSIGN_OR_RETURN(const bool row, Step(constraint_code));
    if (!row) return absl::OkStatus();
  }
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), size);
}

absl::string_view Statement::ColumnView(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return absl::string_view();
  return absl::string_view(reinterpret_cast<const char*>(text), size);
}

absl::string_view Statement::ColumnBlobView(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (blob == nullptr) return absl::string_view();
  return absl::string_view(static_cast<const char*>(blob), size);
}

std::string Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (blob == nullptr) return std::string();
  return std::string(static_cast<const char*>(blob), size);
}

void Statement::Reset() {
  // sqlite3_reset repeats the last step's error code; that error was already
  // reported by Step, so it is deliberately ignored here.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

absl::string_view Statement::sql() const {
  const char* text = sqlite3_sql(stmt_);
  return text == nullptr ? absl::string_view() : absl::string_view(text);
}

ScopedStatement::~ScopedStatement() {
  if (statement_ == nullptr) return;
  statement_->Reset();
  statement_->in_use_ = false;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, int flags, const std::string& vfs) {
  // SQLite's memory statistics take one global mutex on every allocation,
  // which the writer and the readers then contend for; nothing reads them.
  // (Ignored if SQLite was already initialized by someone else.)
  static const int kNoMemoryStats [[maybe_unused]] =
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_EXRESCODE,
                      vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    absl::Status status =
        SqliteStatus(rc, db, absl::StrCat("opening database ", path));
    sqlite3_close_v2(db);  // a handle is returned even on most failures
    return status;
  }
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  statements_.clear();
  sqlite3_close_v2(db_);
}

absl::Status Connection::Close() {
  if (db_ == nullptr) return absl::OkStatus();
  statements_.clear();  // finalizes every cached statement
  const int rc = sqlite3_close(db_);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteStatus(rc, db_, "closing database");
    return status;  // the handle stays open; the destructor retries
  }
  db_ = nullptr;
  return absl::OkStatus();
}

absl::Status Connection::Exec(absl::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // sqlite3_errmsg(db_) carries the same message
  return SqliteStatus(rc, db_, absl::StrCat("executing \"", sql, "\""));
}

absl::StatusOr<ScopedStatement> Connection::Prepare(absl::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return SqliteStatus(rc, db_, absl::StrCat("preparing \"", sql, "\""));
    }
    if (stmt == nullptr) {
      return absl::InternalError(
          absl::StrCat("preparing \"", sql, "\": no SQL statement"));
    }
    it = statements_
             .emplace(std::string(sql), std::make_unique<Statement>(db_, stmt))
             .first;
  }
  if (it->second->in_use_) {
    return absl::InternalError(
        absl::StrCat("statement \"", sql, "\" is already in use"));
  }
  return ScopedStatement(it->second.get());
}

absl::StatusOr<std::string> Connection::QueryText(absl::string_view sql) {
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, Prepare(sql));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  if (!row) {
    return absl::InternalError(absl::StrCat("\"", sql, "\" returned no row"));
  }
  return statement->ColumnText(0);
}

absl::StatusOr<int64_t> Connection::QueryInt64(absl::string_view sql) {
  MNR_ASSIGN_OR_RETURN(ScopedStatement statement, Prepare(sql));
  MNR_ASSIGN_OR_RETURN(const bool row, statement->Step());
  if (!row) {
    return absl::InternalError(absl::StrCat("\"", sql, "\" returned no row"));
  }
  return statement->ColumnInt64(0);
}

bool Connection::InTransaction() const {
  return db_ != nullptr && sqlite3_get_autocommit(db_) == 0;
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

}  // namespace sqlite
}  // namespace mnrecords
