// CopySqliteDatabase: an online backup of the store's live SQLite file.
// It runs `VACUUM INTO` on a new read-only connection, so it takes one
// read snapshot: it neither holds the writer (writes go on while it copies)
// nor checkpoints: nothing but the store's own writer may write or
// checkpoint the live file (SQLite 3.40's WAL-reset bug, sqlite_store.h).
// SqliteStore::Backup is its one caller.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_SQLITE_BACKUP_H_
#define MNRECORDS_SERVER_STORE_SQLITE_SQLITE_BACKUP_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/store/store.h"

namespace mnrecords::sqlite {

// CopySqliteDatabase writes a consistent snapshot of the database at
// `live_path` (in WAL mode, as SqliteStore keeps it) to the new file
// `out_path`. The copy is written under a temporary name in the same
// directory, fsynced, and then linked to `out_path`, so `out_path` never
// names a partial copy and is never overwritten: ALREADY_EXISTS if it
// exists. The copy is a plain (rollback journal) database; opening it with
// SqliteStore switches it to WAL. Storage errors map as in SqliteStatus
// (SQLITE_FULL: RESOURCE_EXHAUSTED); INTERNAL for file system errors.
absl::StatusOr<StoreBackup> CopySqliteDatabase(const std::string& live_path,
                                               const std::string& out_path);

}  // namespace mnrecords::sqlite

#endif  // MNRECORDS_SERVER_STORE_SQLITE_SQLITE_BACKUP_H_
