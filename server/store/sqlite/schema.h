// Schema migrations of the SQLite store, numbered by PRAGMA user_version.
//
// Migration n takes a database from user_version n-1 to n. Each migration
// runs in its own write transaction together with the user_version bump, so
// a database is always at exactly one known version. To change the schema,
// append a Migration to the list in schema.cc; never edit a released one.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_SCHEMA_H_
#define MNRECORDS_SERVER_STORE_SQLITE_SCHEMA_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/store.h"

namespace mnrecords {
namespace sqlite {

// PRAGMA application_id of an mnrecords database ("MNRC").
inline constexpr int32_t kApplicationId = 0x4D4E5243;

// MigrationContext is what a migration may need beyond the database.
struct MigrationContext {
  // Derives a stored revision's search terms (store.h); needed by the
  // migration that introduces them when the database already holds
  // records (FAILED_PRECONDITION without it).
  RecordTermsFn record_terms;
};

// Migration is one schema step: `sql` (one or more statements) brings the
// schema from version - 1 to `version`.
struct Migration {
  int version;
  const char* description;
  const char* sql;
  // Runs after `sql`, in the same transaction, for what SQL cannot do
  // alone; nullptr for none.
  absl::Status (*then)(Connection& db,
                       const MigrationContext& context) = nullptr;
};

// Migrations returns the built-in migrations, versions 1..n in order.
absl::Span<const Migration> Migrations();

// LatestSchemaVersion is the version the built-in migrations lead to.
int LatestSchemaVersion();

// SchemaVersion returns the database's PRAGMA user_version.
absl::StatusOr<int> SchemaVersion(Connection& db);

// Migrate brings `db` (a writable connection, no transaction open) to the
// last version in `migrations` (which must be numbered 1..n), one
// transaction per migration. FAILED_PRECONDITION if the database is newer
// than `migrations` know, belongs to another application, or is a
// non-empty database without an mnrecords schema. A failing migration is
// rolled back; the versions before it stay applied.
absl::Status Migrate(Connection& db,
                     absl::Span<const Migration> migrations = Migrations(),
                     const MigrationContext& context = {});

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_SCHEMA_H_
