// What group commit buys at the storage layer: N threads each inserting
// records of 1.5 KB through SqliteStore::Write (durable commits,
// synchronous=FULL, WAL), once with max_write_batch = 1 (a commit per
// call, as before group commit) and once with the default batch, in the same
// run. Reports writes/s and the average batch size. Figures, not
// assertions: ctest runs a short smoke run that checks nothing about speed.
#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

std::unique_ptr<SqliteStore> g_store;
std::atomic<int64_t> g_next_id{0};

RecordRevision Session(int64_t id) {
  RecordRevision r;
  r.name = absl::StrCat("clinics/c1/patients/p/courses/c/sessions/s", id);
  r.kind = RecordKind::kSession;
  r.clinic = "c1";
  r.patient = "clinics/c1/patients/p";
  r.course = "clinics/c1/patients/p/courses/c";
  r.revision_id = 1;
  r.event_time_us = 1700000000000000 + id;
  r.create_time = absl::FromUnixMicros(1700000000000000);
  r.payload = std::string(1536, static_cast<char>('a' + id % 26));
  return r;
}

// Args: {max_write_batch}. Threads: concurrent writers.
void BM_DurableInsert(benchmark::State& state) {
  if (state.thread_index() == 0) {
    SqliteStoreOptions options;
    options.max_write_batch = static_cast<int>(state.range(0));
    auto store = SqliteStore::Open(UniqueTempPath("group-commit.db"), options);
    if (!store.ok()) {
      state.SkipWithError(store.status().ToString().c_str());
      return;
    }
    g_store = *std::move(store);
  }
  for (auto _ : state) {
    const RecordRevision record = Session(g_next_id++);
    absl::Status status = g_store->Write(
        [&](WriteTxn& txn) { return txn.InsertRecord(record, {}); });
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
  }
  if (state.thread_index() == 0) {
    const WriteQueueStats stats = g_store->write_stats();
    state.counters["writes_per_s"] = benchmark::Counter(
        static_cast<double>(stats.writes), benchmark::Counter::kIsRate);
    state.counters["avg_batch"] = stats.batches == 0
                                      ? 0.0
                                      : static_cast<double>(stats.writes) /
                                            static_cast<double>(stats.batches);
    g_store.reset();
  }
}
BENCHMARK(BM_DurableInsert)
    ->ArgName("max_write_batch")
    ->Arg(1)
    ->Arg(128)
    ->Threads(1)
    ->Threads(16)
    ->Threads(64)
    ->UseRealTime();

}  // namespace
}  // namespace mnrecords::testing

BENCHMARK_MAIN();
