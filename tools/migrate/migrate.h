// RunMigration: the whole of mnrecords_migrate as a library call. Copies a
// SQLite mnrecords database into a PostgreSQL one (Copier) and proves the
// copy (Prove), the source read in one snapshot and never written.
//
// The target gets the PostgreSQL schema first (postgres::Migrate, as
// PostgresStore::Open does), before any row, so no migration derives rows
// from copied ones. A target that already holds rows in any of the store's
// tables is refused unless `resume` (continue a copy that stopped), and so
// is one that holds revisions under an older schema; `verify_only` writes
// nothing and only proves. Two runs on one target at once are refused (a
// session advisory lock).
#ifndef MNRECORDS_TOOLS_MIGRATE_MIGRATE_H_
#define MNRECORDS_TOOLS_MIGRATE_MIGRATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/migrate/copier.h"
#include "tools/migrate/progress.h"
#include "tools/migrate/proof.h"

namespace mnrecords::migrate {

struct MigrateOptions {
  std::string from;  // the SQLite file
  std::string to;    // postgresql://... (no password: PGPASSFILE etc.)
  bool resume = false;
  bool verify_only = false;
  bool immutable_source = false;  // SourceDb::Open
  std::vector<Checkpoint> checkpoints;
  CopyOptions copy;
  ProgressSink progress;  // progress lines; empty = none
};

struct MigrateReport {
  std::optional<CopyStats> copy;  // none with verify_only
  ProofReport proof;
  absl::Duration elapsed;
};

// RunMigration copies and proves. A proof that finds differences is a
// report with !proof.ok(), not an error. Errors: INVALID_ARGUMENT for bad
// options; FAILED_PRECONDITION for a source that is not the latest
// mnrecords schema, a non-empty target without `resume`, a target with
// revisions under an older schema, a target that does not continue this
// source, a target that is not an mnrecords database, another run on the
// target; the databases' errors (a copy that fails midway can be resumed).
absl::StatusOr<MigrateReport> RunMigration(const MigrateOptions& options);

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_MIGRATE_H_
