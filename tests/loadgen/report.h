// The load generator's report: a readable table and the same figures as
// JSON.
#ifndef MNRECORDS_TESTS_LOADGEN_REPORT_H_
#define MNRECORDS_TESTS_LOADGEN_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "tests/loadgen/call_driver.h"
#include "tests/loadgen/change_watchers.h"
#include "tests/loadgen/latency_stats.h"
#include "tests/loadgen/sqlite_ceiling.h"

namespace mnrecords::loadgen {

// PhaseReport: one driven phase (the workload, or the health ceiling).
struct PhaseReport {
  std::string label;
  double seconds = 0;
  double client_cpu_seconds = 0;
  double server_cpu_seconds = -1;  // < 0: not measured
  // CPU of the database's processes (--db_process), < 0: not measured.
  double database_cpu_seconds = -1;
  // The server's context switches (voluntary + involuntary) and the
  // voluntary ones, summed over its threads; < 0: not measured.
  double server_switches = -1;
  double server_voluntary_switches = -1;
  // Server threads alive at the start and gone at the end: their switches
  // are missing from the figures above, as are those of threads that came
  // and went in between, which no reading sees (-1: not measured).
  int server_threads_ended = -1;
  struct Kind {
    std::string name;
    double calls_per_sec = 0;
    LatencySummary latency;
    int64_t ok = 0;
    std::map<int, int64_t> errors;
    std::map<int, std::string> samples;
  };
  std::vector<Kind> kinds;
  double total_calls_per_sec = 0;
  LatencySummary total_latency;
  int64_t total_errors = 0;
};

// Summarize turns a driver result into a phase report (sorts samples).
PhaseReport MakePhaseReport(std::string label, DriverResult& result,
                            double server_cpu_seconds);

struct Report {
  std::string header;  // free text lines printed first
  PhaseReport workload;
  std::optional<PhaseReport> health;
  std::optional<StorageCeiling> storage;
  std::optional<WatchReport> watch;  // --watchers
  int in_flight = 0;
  std::vector<std::string> write_kinds;  // names counted as writes
};

// FormatTable returns the human-readable report.
std::string FormatTable(const Report& r);
// FormatJson returns the report as one JSON object.
std::string FormatJson(const Report& r);

}  // namespace mnrecords::loadgen

#endif  // MNRECORDS_TESTS_LOADGEN_REPORT_H_
