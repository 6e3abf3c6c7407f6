#include "tests/support/sqlite_tamper.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/store/revision_hash.h"

namespace mnrecords::testing {
namespace {

// Db is an open connection to a file, closed on destruction.
class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
      status_ = absl::InternalError(absl::StrCat("cannot open ", path));
    }
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  const absl::Status& status() const { return status_; }
  sqlite3* get() { return db_; }
  absl::Status Error(absl::string_view what) {
    return absl::InternalError(absl::StrCat(what, ": ", sqlite3_errmsg(db_)));
  }
  absl::Status Exec(const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
      return Error(sql);
    }
    return absl::OkStatus();
  }

 private:
  sqlite3* db_ = nullptr;
  absl::Status status_;
};

std::string Text(sqlite3_stmt* stmt, int column) {
  const void* bytes = sqlite3_column_blob(stmt, column);
  const int size = sqlite3_column_bytes(stmt, column);
  return bytes == nullptr ? std::string()
                          : std::string(static_cast<const char*>(bytes), size);
}

}  // namespace

absl::Status TamperSql(const std::string& path, const std::string& sql,
                       const std::string& blob) {
  Db db(path);
  if (!db.status().ok()) return db.status();
  absl::Status s = db.Exec(
      "BEGIN;"
      "DROP TRIGGER IF EXISTS audit_events_no_update;"
      "DROP TRIGGER IF EXISTS audit_events_no_delete;"
      "DROP TRIGGER IF EXISTS audit_events_contiguous;"
      "DROP TRIGGER IF EXISTS revisions_no_update;"
      "DROP TRIGGER IF EXISTS revisions_no_delete;"
      "DROP TRIGGER IF EXISTS revisions_contiguous;"
      "DROP TRIGGER IF EXISTS changes_no_update;"
      "DROP TRIGGER IF EXISTS changes_no_delete;"
      "PRAGMA defer_foreign_keys = ON;");
  if (!s.ok()) return s;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &stmt, nullptr) !=
      SQLITE_OK) {
    s = db.Error(sql);
  } else {
    if (!blob.empty()) {
      sqlite3_bind_blob(stmt, 1, blob.data(), static_cast<int>(blob.size()),
                        SQLITE_TRANSIENT);
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) s = db.Error(sql);
    sqlite3_finalize(stmt);
  }
  if (!s.ok()) {
    db.Exec("ROLLBACK").IgnoreError();
    return s;
  }
  return db.Exec("COMMIT");
}

absl::StatusOr<StoredRevision> ReadStoredRevision(const std::string& path,
                                                  const std::string& name,
                                                  int64_t revision_id) {
  Db db(path);
  if (!db.status().ok()) return db.status();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(
          db.get(),
          "SELECT name, revision_id, kind, clinic, patient, course, session, "
          "actor, event_time_us, category, create_time_us, payload, "
          "content_sha256 FROM revisions WHERE name = ?1 AND revision_id = ?2",
          -1, &stmt, nullptr) != SQLITE_OK) {
    return db.Error("select revision");
  }
  sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, revision_id);
  if (sqlite3_step(stmt) != SQLITE_ROW) {
    sqlite3_finalize(stmt);
    return absl::NotFoundError(
        absl::StrCat("revision ", revision_id, " of ", name, " not stored"));
  }
  StoredRevision out;
  RecordRevision& r = out.revision;
  r.name = Text(stmt, 0);
  r.revision_id = sqlite3_column_int64(stmt, 1);
  r.kind = static_cast<RecordKind>(sqlite3_column_int64(stmt, 2));
  r.clinic = Text(stmt, 3);
  r.patient = Text(stmt, 4);
  r.course = Text(stmt, 5);
  r.session = Text(stmt, 6);
  r.actor = Text(stmt, 7);
  r.event_time_us = sqlite3_column_int64(stmt, 8);
  r.category = static_cast<int32_t>(sqlite3_column_int64(stmt, 9));
  r.create_time = absl::FromUnixMicros(sqlite3_column_int64(stmt, 10));
  r.payload = Text(stmt, 11);
  out.content_sha256 = Text(stmt, 12);
  sqlite3_finalize(stmt);
  return out;
}

absl::Status RehashStoredRevision(const std::string& path,
                                  const std::string& name,
                                  int64_t revision_id) {
  absl::StatusOr<StoredRevision> row =
      ReadStoredRevision(path, name, revision_id);
  if (!row.ok()) return row.status();
  return TamperSql(
      path, absl::StrCat("UPDATE revisions SET content_sha256 = '",
                         RevisionContentHash(row->revision), "' WHERE name = '",
                         name, "' AND revision_id = ", revision_id));
}

}  // namespace mnrecords::testing
