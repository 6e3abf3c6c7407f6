// The PostgreSQL schema of the Store and its numbered migrations.
//
// Migrate brings a database to the latest version. Several servers may
// start on one database at once: each takes a session-level advisory lock
// (pg_advisory_lock) for the whole migration, so one applies the
// migrations and the others find them done. A database whose schema is
// newer than this server knows, or that holds other tables but no
// mnrecords schema, is refused (FAILED_PRECONDITION).
#ifndef MNRECORDS_SERVER_STORE_POSTGRES_PG_SCHEMA_H_
#define MNRECORDS_SERVER_STORE_POSTGRES_PG_SCHEMA_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/store.h"

namespace mnrecords {
namespace postgres {

// kMigrationLockKey is the advisory lock key held while migrating.
inline constexpr int64_t kMigrationLockKey = 0x6d6e7265636d6967;  // "mnrecmig"
// kWriteLockKey is the transaction-level advisory lock every write
// transaction takes first (postgres_store.h: one writer at a time across
// all servers, so the audit chain has one head).
inline constexpr int64_t kWriteLockKey = 0x6d6e72656377726b;  // "mnrecwrk"

// LatestSchemaVersion is the version Migrate brings a database to.
int LatestSchemaVersion();

// SchemaVersion reads the database's version (0 for a new database).
absl::StatusOr<int> SchemaVersion(PgConnection& db);

// MigrationContext is what a migration may need beyond the database.
struct MigrationContext {
  // Derives a stored revision's search terms (store.h); needed by the
  // migration that introduces them when the database already holds
  // records (FAILED_PRECONDITION without it).
  RecordTermsFn record_terms;
};

// Migrate applies the missing migrations, each in its own transaction.
absl::Status Migrate(PgConnection& db, const MigrationContext& context = {});

}  // namespace postgres
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_POSTGRES_PG_SCHEMA_H_
