#include "server/store/sqlite/sqlite_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/store/sqlite/connection_setup.h"
#include "server/store/sqlite/sqlite_db.h"

namespace mnrecords::sqlite {
namespace {

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Fsync flushes `path` (a file or a directory) to stable storage.
absl::Status Fsync(const std::string& path, bool directory) {
  const int fd =
      open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return Errno("open", path);
  const bool ok = fsync(fd) == 0;
  close(fd);
  return ok ? absl::OkStatus() : Errno("fsync", path);
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// VacuumInto copies the live database into `tmp` on a fresh reader.
absl::Status VacuumInto(const std::string& live_path, const std::string& tmp) {
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                       OpenReader(live_path, SqliteStoreOptions()));
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v2(reader->handle(), "VACUUM INTO ?", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_bind_text(stmt, 1, tmp.c_str(), -1, SQLITE_TRANSIENT);
  }
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  absl::Status status =
      SqliteStatus(rc, reader->handle(), "VACUUM INTO the backup file");
  sqlite3_finalize(stmt);
  const absl::Status closed = reader->Close();
  return status.ok() ? closed : status;
}

// ReadCheckpoint reads the last audit event of the copy at `path`.
absl::Status ReadCheckpoint(const std::string& path, StoreBackup& backup) {
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> copy,
                       Connection::Open(path, SQLITE_OPEN_READONLY));
  MNR_ASSIGN_OR_RETURN(
      ScopedStatement last,
      copy->Prepare("SELECT seq, hash, time_us FROM audit_events "
                    "ORDER BY seq DESC LIMIT 1"));
  MNR_ASSIGN_OR_RETURN(bool row, last->Step());
  if (row) {
    backup.last_audit_seq = last->ColumnInt64(0);
    backup.last_audit_hash = last->ColumnText(1);
    backup.last_audit_time = absl::FromUnixMicros(last->ColumnInt64(2));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoreBackup> CopySqliteDatabase(const std::string& live_path,
                                               const std::string& out_path) {
  struct stat st;
  if (lstat(out_path.c_str(), &st) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat(out_path, " already exists; a backup never overwrites"));
  }
  static std::atomic<int> counter{0};
  const std::string tmp =
      absl::StrCat(out_path, ".partial-", getpid(), "-", counter.fetch_add(1));
  StoreBackup backup;
  absl::Status status = VacuumInto(live_path, tmp);
  if (status.ok()) status = Fsync(tmp, /*directory=*/false);
  if (status.ok()) status = ReadCheckpoint(tmp, backup);
  if (status.ok() && stat(tmp.c_str(), &st) != 0) status = Errno("stat", tmp);
  if (status.ok()) backup.size_bytes = st.st_size;
  if (status.ok() && link(tmp.c_str(), out_path.c_str()) != 0) {
    status = errno == EEXIST
                 ? absl::AlreadyExistsError(absl::StrCat(
                       out_path, " already exists; a backup never overwrites"))
                 : Errno("link", out_path);
  }
  std::remove(tmp.c_str());
  if (status.ok()) status = Fsync(DirectoryOf(out_path), /*directory=*/true);
  if (!status.ok()) return status;
  return backup;
}

}  // namespace mnrecords::sqlite
