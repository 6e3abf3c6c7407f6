// CopySqliteDatabase: an online backup of the store's live SQLite file.
// It runs `VACUUM INTO` on a new read-only connection, so it takes one
// read snapshot: it neither holds the writer (writes go on while it copies)
// nor checkpoints, and nothing but the store's own writer writes the live
// file (TOOLCHAIN.md).
#ifndef MNRECORDS_SERVER_STORAGE_SQLITE_BACKUP_H_
#define MNRECORDS_SERVER_STORAGE_SQLITE_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace mnrecords {

// SqliteBackup describes a finished copy.
struct SqliteBackup {
  int64_t size_bytes = 0;
  // The last audit event in the copy (sequence 0, empty hash if none).
  int64_t last_audit_sequence = 0;
  std::string last_audit_hash;
  int64_t last_audit_time_us = 0;
};

// CopySqliteDatabase writes a consistent snapshot of the database at
// `live_path` (in WAL mode, as SqliteStore keeps it) to the new file
// `out_path`. The copy is written under a temporary name in the same
// directory, fsynced, and then linked to `out_path`, so `out_path` never
// names a partial copy and is never overwritten: ALREADY_EXISTS if it
// exists. The copy is a plain (rollback journal) database; opening it with
// SqliteStore switches it to WAL. Storage errors map as in SqliteStatus
// (SQLITE_FULL: RESOURCE_EXHAUSTED); INTERNAL for file system errors.
absl::StatusOr<SqliteBackup> CopySqliteDatabase(const std::string& live_path,
                                                const std::string& out_path);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORAGE_SQLITE_BACKUP_H_
