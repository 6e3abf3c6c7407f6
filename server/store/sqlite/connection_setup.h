// Opening and configuring the SQLite store's connections. Every connection
// gets busy_timeout, foreign_keys=ON and the configured synchronous level;
// the database is in WAL mode (set by the writer, verified by readers).
#ifndef MNRECORDS_SERVER_STORE_SQLITE_CONNECTION_SETUP_H_
#define MNRECORDS_SERVER_STORE_SQLITE_CONNECTION_SETUP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/sqlite/sqlite_options.h"

namespace mnrecords {
namespace sqlite {

// OpenWriter opens (creating if needed) the read-write connection, switches
// the database to WAL and configures it. FAILED_PRECONDITION if WAL cannot
// be enabled (e.g. a file system without shared memory support).
absl::StatusOr<std::unique_ptr<Connection>> OpenWriter(
    const std::string& path, const SqliteStoreOptions& options);

// OpenReader opens a read-only connection that never checkpoints on close
// (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE: only the writer writes or checkpoints,
// see sqlite_store.h). The database must exist and be in WAL mode.
absl::StatusOr<std::unique_ptr<Connection>> OpenReader(
    const std::string& path, const SqliteStoreOptions& options);

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_CONNECTION_SETUP_H_
