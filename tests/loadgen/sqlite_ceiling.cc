#include "tests/loadgen/sqlite_ceiling.h"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mnrecords::loadgen {
namespace {

// Db owns one connection and removes the file and its WAL at the end.
class Db {
 public:
  explicit Db(std::string path) : path_(std::move(path)) {}
  ~Db() {
    for (sqlite3_stmt* s : statements_) sqlite3_finalize(s);
    if (db_ != nullptr) sqlite3_close(db_);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::remove((path_ + suffix).c_str());
    }
  }
  absl::Status Open() {
    if (sqlite3_open_v2(path_.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
      return Error("open");
    }
    return absl::OkStatus();
  }
  absl::Status Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Error(sql);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<sqlite3_stmt*> Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           nullptr) != SQLITE_OK) {
      return Error(sql);
    }
    statements_.push_back(s);
    return s;
  }
  absl::Status Step(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return Error("step");
    return absl::OkStatus();
  }
  absl::Status Error(const std::string& what) const {
    return absl::InternalError(
        absl::StrCat("storage ceiling: ", what, " on ", path_, ": ",
                     db_ != nullptr ? sqlite3_errmsg(db_) : "cannot open"));
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

// InsertFor commits `group` rows per transaction until `duration` has
// passed and returns rows per second.
absl::StatusOr<double> InsertFor(Db& db, sqlite3_stmt* begin,
                                 sqlite3_stmt* insert, sqlite3_stmt* commit,
                                 const std::string& row, int group,
                                 absl::Duration duration) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto end = start + absl::ToChronoNanoseconds(duration);
  int64_t rows = 0;
  auto now = start;
  while (now < end) {
    if (absl::Status s = db.Step(begin); !s.ok()) return s;
    for (int i = 0; i < group; ++i) {
      sqlite3_bind_blob(insert, 1, row.data(), static_cast<int>(row.size()),
                        SQLITE_STATIC);
      if (absl::Status s = db.Step(insert); !s.ok()) return s;
    }
    if (absl::Status s = db.Step(commit); !s.ok()) return s;
    rows += group;
    now = Clock::now();
  }
  const double seconds = std::chrono::duration<double>(now - start).count();
  return static_cast<double>(rows) / seconds;
}

}  // namespace

absl::StatusOr<StorageCeiling> MeasureStorageCeiling(const std::string& dir,
                                                     int row_bytes, int group,
                                                     absl::Duration duration) {
  Db db(absl::StrCat(dir, "/mnrecords-bench-ceiling-", getpid(), ".db"));
  if (absl::Status s = db.Open(); !s.ok()) return s;
  // The server's settings (server/store/sqlite/connection_setup.cc).
  for (const char* sql :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)"}) {
    if (absl::Status s = db.Exec(sql); !s.ok()) return s;
  }
  absl::StatusOr<sqlite3_stmt*> begin = db.Prepare("BEGIN IMMEDIATE");
  absl::StatusOr<sqlite3_stmt*> insert =
      db.Prepare("INSERT INTO rows (body) VALUES (?)");
  absl::StatusOr<sqlite3_stmt*> commit = db.Prepare("COMMIT");
  for (const auto* s : {&begin, &insert, &commit}) {
    if (!s->ok()) return s->status();
  }
  // Incompressible bytes, as a serialized record mostly is not.
  std::string row(static_cast<size_t>(row_bytes), '\0');
  std::mt19937 rng(42);
  for (char& c : row) c = static_cast<char>(rng());

  StorageCeiling out;
  out.row_bytes = row_bytes;
  out.group = group;
  absl::StatusOr<double> single =
      InsertFor(db, *begin, *insert, *commit, row, 1, duration);
  if (!single.ok()) return single.status();
  absl::StatusOr<double> grouped =
      InsertFor(db, *begin, *insert, *commit, row, group, duration);
  if (!grouped.ok()) return grouped.status();
  out.rows_per_sec_single = *single;
  out.rows_per_sec_grouped = *grouped;
  return out;
}

}  // namespace mnrecords::loadgen
