// Latency summaries for the load generator: exact percentiles from the
// sorted samples of a run (every completed call is one sample).
#ifndef MNRECORDS_TESTS_LOADGEN_LATENCY_STATS_H_
#define MNRECORDS_TESTS_LOADGEN_LATENCY_STATS_H_

#include <cstdint>
#include <vector>

namespace mnrecords::loadgen {

// LatencySummary holds nearest-rank percentiles in microseconds; all zero
// when there were no samples.
struct LatencySummary {
  int64_t count = 0;
  double p50_us = 0;
  double p90_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double max_us = 0;
};

// Summarize sorts `samples_ns` (nanoseconds) in place and returns the
// percentiles.
LatencySummary Summarize(std::vector<int64_t>& samples_ns);

}  // namespace mnrecords::loadgen

#endif  // MNRECORDS_TESTS_LOADGEN_LATENCY_STATS_H_
