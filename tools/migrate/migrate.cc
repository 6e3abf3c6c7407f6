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
  if (options.verify_only) {
    MNR_ASSIGN_OR_RETURN(const int version, postgres::SchemaVersion(db));
    if (version != postgres::LatestSchemaVersion()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the target has mnrecords schema version ", version, ", not ",
          postgres::LatestSchemaVersion(), ": nothing to verify"));
    }
    return absl::OkStatus();
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
