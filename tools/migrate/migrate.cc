#include "tools/migrate/migrate.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "server/store/postgres/pg_connection.h"
#include "server/store/postgres/pg_schema.h"
#include "server/store/postgres/postgres_store.h"
#include "tools/migrate/source_db.h"
#include "tools/migrate/table_specs.h"

namespace mnrecords::migrate {
namespace {

// The session advisory lock a run holds on its target ("mnreccpy").
constexpr int64_t kCopyLockKey = 0x6d6e726563637079;

absl::Status CheckOptions(const MigrateOptions& options) {
  if (options.from.empty()) {
    return absl::InvalidArgumentError("--from: the SQLite database to copy");
  }
  if (!IsPostgresUri(options.to)) {
    return absl::InvalidArgumentError(
        "--to: a postgresql:// (or postgres://) URI of the target database");
  }
  MNR_RETURN_IF_ERROR(CheckNoPasswordInUri(options.to));
  if (options.copy.batch_rows < 1 || options.copy.batch_bytes < 1) {
    return absl::InvalidArgumentError("batch size must be >= 1");
  }
  if (options.resume && options.verify_only) {
    return absl::InvalidArgumentError(
        "--resume and --verify_only exclude each other");
  }
  return absl::OkStatus();
}

// PrepareTarget gives the target the schema (or checks it has it, for a
// verification) and refuses a target with rows unless they may be there.
absl::Status PrepareTarget(postgres::PgConnection& db,
                           const MigrateOptions& options) {
  MNR_ASSIGN_OR_RETURN(
      postgres::PgResult locked,
      db.Query("SELECT pg_try_advisory_lock($1)::int", {kCopyLockKey}));
  if (locked.Int64(0, 0) != 1) {
    return absl::FailedPreconditionError(
        "another mnrecords_migrate is working on the target database");
  }
  MNR_ASSIGN_OR_RETURN(const int version, postgres::SchemaVersion(db));
  const int latest = postgres::LatestSchemaVersion();
  if (options.verify_only) {
    if (version != latest) {
      return absl::FailedPreconditionError(
          absl::StrCat("the target has mnrecords schema version ", version,
                       ", not ", latest, ": nothing to verify"));
    }
    return absl::OkStatus();
  }
  // The whole schema comes before the first row: schema 2's backfill (a
  // change with a new seq for every revision already there) then runs on
  // no revisions, and the changes table holds only the source's changes,
  // copied with their seqs like any other row. A target that holds
  // revisions under an older schema (a copy begun by an earlier release)
  // would get re-derived changes from that backfill: refused.
  if (version > 0 && version < latest) {
    MNR_ASSIGN_OR_RETURN(
        postgres::PgResult any,
        db.Query("SELECT EXISTS (SELECT 1 FROM revisions)::int"));
    if (any.Int64(0, 0) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the target holds revisions under mnrecords schema version ", version,
          " (this release has ", latest,
          "): upgrading it would derive changes of its own for them instead "
          "of copying the source's; start over with an empty database"));
    }
  }
  MNR_RETURN_IF_ERROR(postgres::Migrate(db));
  std::vector<std::string> filled;
  for (const TableSpec* table : AllTables()) {
    MNR_ASSIGN_OR_RETURN(postgres::PgResult any,
                         db.Query(absl::StrCat("SELECT EXISTS (SELECT 1 FROM ",
                                               table->name, ")::int")));
    if (any.Int64(0, 0) != 0) filled.push_back(table->name);
  }
  if (!filled.empty() && !options.resume) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the target database is not empty (", absl::StrJoin(filled, ", "),
        " have rows): refusing to copy into it; --resume continues a copy "
        "of this same source that stopped"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MigrateReport> RunMigration(const MigrateOptions& options) {
  MNR_RETURN_IF_ERROR(CheckOptions(options));
  const absl::Time start = absl::Now();
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<SourceDb> source,
                       SourceDb::Open(options.from, options.immutable_source));
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<postgres::PgConnection> target,
                       postgres::PgConnection::Connect(options.to));
  MNR_RETURN_IF_ERROR(PrepareTarget(*target, options));
  MigrateReport report;
  if (!options.verify_only) {
    Copier copier(*source, *target, options.copy, options.progress);
    MNR_ASSIGN_OR_RETURN(report.copy, copier.Run());
  }
  MNR_ASSIGN_OR_RETURN(
      report.proof,
      Prove(*source, *target, options.checkpoints, options.progress));
  report.elapsed = absl::Now() - start;
  return report;
}

}  // namespace mnrecords::migrate
