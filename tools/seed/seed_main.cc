// mnrecords_seed: builds a realistic mnrecords database for benchmarks.
//
//   mnrecords_seed --db=/work/bench-data/1m.db --sessions=1000000
//
// See tools/seed/seeder.h for what it writes and how.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "tools/seed/seeder.h"

ABSL_FLAG(std::string, db, "", "the database file to create (must not exist)");
ABSL_FLAG(int64_t, sessions, 1000000, "number of treatment sessions");
ABSL_FLAG(int, clinics, 0, "number of clinics (0 = one per 50,000 sessions)");
ABSL_FLAG(uint64_t, seed, 1, "seed of the generator (same seed, same data)");
ABSL_FLAG(int, sessions_per_clinic_month, 800,
          "sessions a clinic performs a month (sets the history length)");
ABSL_FLAG(int, calls_per_txn, 2000,
          "service calls that share one write transaction");
ABSL_FLAG(bool, quiet, false, "no progress lines");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string db = absl::GetFlag(FLAGS_db);
  if (db.empty()) {
    std::fprintf(stderr, "mnrecords_seed: --db is required\n");
    return 2;
  }
  mnrecords::seed::SeedOptions options;
  options.sessions = absl::GetFlag(FLAGS_sessions);
  options.clinics = absl::GetFlag(FLAGS_clinics);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.sessions_per_clinic_month =
      absl::GetFlag(FLAGS_sessions_per_clinic_month);
  const bool quiet = absl::GetFlag(FLAGS_quiet);
  // A line every 50,000 sessions and at 10k, 100k and 1M, each with the
  // rate since the line before: the rate stays the same as the database
  // grows (each batch is its own transaction, bounded by --calls_per_txn).
  int64_t next_line = 10000;
  int64_t last_calls = 0;
  absl::Duration last_elapsed;
  auto progress = [&](const mnrecords::seed::SeedReport& r) {
    if (quiet || r.sessions < next_line) return;
    const double seconds = absl::ToDoubleSeconds(r.elapsed - last_elapsed);
    std::fprintf(stderr,
                 "  %lld sessions, %lld calls, %.1f s; %.0f calls/s since "
                 "the last line\n",
                 static_cast<long long>(r.sessions),
                 static_cast<long long>(r.calls),
                 absl::ToDoubleSeconds(r.elapsed),
                 (r.calls - last_calls) / (seconds > 0 ? seconds : 1));
    last_calls = r.calls;
    last_elapsed = r.elapsed;
    next_line = r.sessions < 100000 && r.sessions + 50000 > 100000
                    ? 100000
                    : (r.sessions / 50000 + 1) * 50000;
  };
  const int calls_per_txn = absl::GetFlag(FLAGS_calls_per_txn);
  if (calls_per_txn < 1) {
    std::fprintf(stderr, "mnrecords_seed: --calls_per_txn: must be >= 1\n");
    return 2;
  }
  auto report = mnrecords::seed::Seed(db, options, calls_per_txn, progress);
  if (!report.ok()) {
    std::fprintf(stderr, "mnrecords_seed: %s\n",
                 report.status().ToString().c_str());
    return 1;
  }
  const double seconds = absl::ToDoubleSeconds(report->elapsed);
  std::printf(
      "seeded %s: %lld sessions, %lld patients, %lld courses, %lld consents, "
      "%lld photos, %d clinics over %d months\n"
      "audit events: %lld (one per call)\n"
      "time: %.1f s (%.0f calls/s)\n"
      "file size: %.1f MiB (%lld bytes)\n",
      db.c_str(), static_cast<long long>(report->sessions),
      static_cast<long long>(report->patients),
      static_cast<long long>(report->courses),
      static_cast<long long>(report->consents),
      static_cast<long long>(report->photos), report->layout.options.clinics,
      report->layout.months, static_cast<long long>(report->calls), seconds,
      report->calls / (seconds > 0 ? seconds : 1),
      report->file_bytes / 1048576.0,
      static_cast<long long>(report->file_bytes));
  return 0;
}
