// What verifying the records costs: VerifyStoredRevisions (the revision
// check of Audit.VerifyRecords: every stored revision re-hashed and
// compared with the hash its write's audit event committed) and
// VerifyAuditRange (its chain check) over a seeded database, warm (the
// first run reads the file into the page cache and is not counted), with
// the machine's cores and with one. Prints figures; asserts nothing about
// speed.
//
//   build/tools/seed/mnrecords_seed --db=/tmp/s.db --sessions=100000
//   build/tests/bench/records_verify_bench --db=/tmp/s.db
//
// Without --db it seeds a small database of its own (the ctest smoke run).
#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/audit/audit_verify.h"
#include "server/audit/records_verify.h"
#include "server/store/revision_hash.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/test_server.h"
#include "tools/seed/seeder.h"

ABSL_FLAG(std::string, db, "", "a seeded database (default: seed a small one)");
ABSL_FLAG(int64_t, sessions, 300, "sessions to seed without --db");
ABSL_FLAG(int, runs, 5, "measured runs of each check (after one warm-up)");
ABSL_FLAG(int, threads, 0, "scan threads (default: the machine's cores)");

namespace mnrecords::testing {
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Rates runs `check` (returning how many items it checked) once to warm
// up, then `runs` times, and returns the rates in items per second.
template <typename Check>
std::vector<double> Rates(int runs, Check check, int64_t* items) {
  std::vector<double> rates;
  for (int i = 0; i <= runs; ++i) {
    const absl::Time start = absl::Now();
    *items = check();
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    if (i > 0 && seconds > 0) rates.push_back(*items / seconds);
  }
  return rates;
}

int Run() {
  std::string db = absl::GetFlag(FLAGS_db);
  if (db.empty()) {
    db = UniqueTempPath("records-verify-bench.db");
    seed::SeedOptions options;
    options.sessions = absl::GetFlag(FLAGS_sessions);
    auto seeded = seed::Seed(db, options);
    if (!seeded.ok()) {
      std::fprintf(stderr, "seeding: %s\n", seeded.status().ToString().c_str());
      return 1;
    }
  }
  auto store = SqliteStore::Open(db);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  int64_t head = 0;
  absl::Status read = (*store)->Read([&](ReadTxn& txn) -> absl::Status {
    auto last = txn.LastAuditEvent();
    if (!last.ok()) return last.status();
    head = last->has_value() ? (*last)->seq : 0;
    return absl::OkStatus();
  });
  if (!read.ok() || head == 0) {
    std::fprintf(stderr, "no audit log: %s\n", read.ToString().c_str());
    return 1;
  }
  const int runs = absl::GetFlag(FLAGS_runs);
  const int cores =
      absl::GetFlag(FLAGS_threads) > 0
          ? absl::GetFlag(FLAGS_threads)
          : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  bool failed = false;
  int64_t revisions = 0;
  int64_t problems = 0;
  auto verify = [&](int parallelism) {
    return [&, parallelism]() -> int64_t {
      auto check = VerifyStoredRevisions(**store, "", 10, parallelism);
      if (!check.ok()) {
        failed = true;
        return 0;
      }
      problems += check->problem_count;
      return check->revisions_checked;
    };
  };
  const std::vector<double> parallel = Rates(runs, verify(cores), &revisions);
  const std::vector<double> single = Rates(runs, verify(1), &revisions);
  int64_t events = 0;
  const std::vector<double> chain = Rates(
      runs,
      [&]() -> int64_t {
        auto check = VerifyAuditRange(**store, 1, head, head, cores);
        if (!check.ok() || check->broken.has_value()) failed = true;
        return check.ok() ? check->events_checked : 0;
      },
      &events);
  // Its parts alone, one thread each: reading the commitments (the events
  // that wrote revisions) and reading and hashing the revisions.
  int64_t writes = 0;
  const std::vector<double> commitments = Rates(
      runs,
      [&]() -> int64_t {
        int64_t n = 0;
        absl::Status s = (*store)->Read([&](ReadTxn& txn) {
          return txn.ScanAuditWrites("", 1, head, [&](const AuditEvent&) {
            ++n;
            return absl::OkStatus();
          });
        });
        if (!s.ok()) failed = true;
        return n;
      },
      &writes);
  int64_t scanned = 0;
  const std::vector<double> hashing = Rates(
      runs,
      [&]() -> int64_t {
        int64_t n = 0;
        RevisionHasher hasher;
        absl::Status s = (*store)->Read([&](ReadTxn& txn) {
          return txn.ScanRevisions("", 0, 1, [&](const StoredRevision& row) {
            hasher.Digest(row.revision);
            ++n;
            return absl::OkStatus();
          });
        });
        if (!s.ok()) failed = true;
        return n;
      },
      &scanned);
  // Reading and hashing alone in `cores` parts at once: how the scan
  // itself scales on this machine.
  const std::vector<double> hashing_parallel = Rates(
      runs,
      [&]() -> int64_t {
        std::vector<int64_t> n(cores, 0);
        std::vector<std::thread> threads;
        for (int p = 0; p < cores; ++p) {
          threads.emplace_back([&, p] {
            RevisionHasher hasher;
            absl::Status s = (*store)->Read([&](ReadTxn& txn) {
              return txn.ScanRevisions("", p, cores,
                                       [&](const StoredRevision& row) {
                                         hasher.Digest(row.revision);
                                         ++n[p];
                                         return absl::OkStatus();
                                       });
            });
            if (!s.ok()) failed = true;
          });
        }
        for (std::thread& t : threads) t.join();
        int64_t total = 0;
        for (int64_t x : n) total += x;
        return total;
      },
      &scanned);
  // What a read adds per revision it returns: the hash of one revision
  // (its canonical bytes and SHA-256), over up to 50,000 kept in memory.
  std::vector<RecordRevision> sample;
  absl::Status sampled = (*store)->Read([&](ReadTxn& txn) {
    return txn.ScanRevisions("", 0, 1, [&](const StoredRevision& row) {
      if (sample.size() < 50000) sample.push_back(row.revision);
      return absl::OkStatus();
    });
  });
  if (!sampled.ok()) failed = true;
  int64_t hashed = 0;
  const std::vector<double> hash_only = Rates(
      runs,
      [&]() -> int64_t {
        RevisionHasher hasher;
        for (const RecordRevision& r : sample) hasher.Digest(r);
        return static_cast<int64_t>(sample.size());
      },
      &hashed);
  if (failed || problems != 0) {
    std::fprintf(stderr, "verification failed on an untouched database\n");
    return 1;
  }
  const double records_s = revisions / Median(parallel);
  const double chain_s = events / Median(chain);
  std::printf("database: %s, %lld revisions, %lld audit events\n", db.c_str(),
              static_cast<long long>(revisions),
              static_cast<long long>(events));
  std::printf(
      "VerifyStoredRevisions, %d threads: %.0f revisions/s (median "
      "of %d warm runs)\n",
      cores, Median(parallel), runs);
  std::printf("VerifyStoredRevisions, 1 thread:  %.0f revisions/s\n",
              Median(single));
  std::printf(
      "  of which, 1 thread: reading the %lld events that wrote "
      "revisions %.0f events/s; reading and hashing the revisions "
      "%.0f revisions/s\n",
      static_cast<long long>(writes), Median(commitments), Median(hashing));
  std::printf(
      "  reading and hashing the revisions in %d parts at once: %.0f "
      "revisions/s\n",
      cores, Median(hashing_parallel));
  std::printf(
      "the check a read makes: %.2f us per revision (%lld "
      "revisions hashed in memory)\n",
      Median(hash_only) > 0 ? 1e6 / Median(hash_only) : 0.0,
      static_cast<long long>(hashed));
  std::printf("VerifyAuditRange (whole log), %d threads: %.0f events/s\n",
              cores, Median(chain));
  std::printf(
      "VerifyRecords of everything: %.2f s (%.2f s revisions + %.2f "
      "s chain) = %.0f revisions/s end to end\n",
      records_s + chain_s, records_s, chain_s,
      revisions / (records_s + chain_s));
  return 0;
}

}  // namespace
}  // namespace mnrecords::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return mnrecords::testing::Run();
}
