// Seeder builds a realistic database (seed_plan.h) through the server's own
// code: the RecordsService and ConsentsService with the default plugins,
// on a SqliteStore, many calls per write transaction (batch_store.h). Every
// record is validated as the server validates it and every write leaves its
// audit event in the hash chain, exactly as if an EHR had sent the history
// call by call; the database is deterministic in the options.
#ifndef MNRECORDS_TOOLS_SEED_SEEDER_H_
#define MNRECORDS_TOOLS_SEED_SEEDER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/seed/seed_plan.h"

namespace mnrecords::seed {

struct SeedReport {
  SeedLayout layout;
  int64_t patients = 0;
  int64_t courses = 0;
  int64_t sessions = 0;
  int64_t consents = 0;  // RecordConsent calls
  int64_t photos = 0;
  int64_t calls = 0;  // service calls = audit events
  absl::Duration elapsed;
  int64_t file_bytes = 0;
};

// Seed creates the database at `db_path`, which must not exist yet
// (FAILED_PRECONDITION otherwise: seeding never mixes with real data), and
// writes the options next to it in `db_path + ".seed"` (SeedInfoPath) so
// the benchmark can regenerate the plan. `calls_per_txn` service calls share
// one write transaction. `progress` (optional) is called after each commit.
// Any failing call aborts seeding with its status (the failed transaction
// stores nothing; earlier ones stay).
absl::StatusOr<SeedReport> Seed(
    const std::string& db_path, const SeedOptions& options,
    int calls_per_txn = 2000,
    const std::function<void(const SeedReport&)>& progress = nullptr);

// SeedInfoPath is where Seed records its options for `db_path`.
std::string SeedInfoPath(const std::string& db_path);

// ReadSeedInfo reads the options Seed recorded for `db_path`.
absl::StatusOr<SeedOptions> ReadSeedInfo(const std::string& db_path);

}  // namespace mnrecords::seed

#endif  // MNRECORDS_TOOLS_SEED_SEEDER_H_
