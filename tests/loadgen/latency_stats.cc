#include "tests/loadgen/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace mnrecords::loadgen {
namespace {

// NearestRank returns the q-quantile (0 < q <= 1) of sorted samples.
double NearestRankUs(const std::vector<int64_t>& sorted, double q) {
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<size_t>(std::ceil(q * n));
  if (rank < 1) rank = 1;
  if (rank > sorted.size()) rank = sorted.size();
  return static_cast<double>(sorted[rank - 1]) / 1000.0;
}

}  // namespace

LatencySummary Summarize(std::vector<int64_t>& samples_ns) {
  LatencySummary s;
  if (samples_ns.empty()) return s;
  std::sort(samples_ns.begin(), samples_ns.end());
  s.count = static_cast<int64_t>(samples_ns.size());
  s.p50_us = NearestRankUs(samples_ns, 0.50);
  s.p90_us = NearestRankUs(samples_ns, 0.90);
  s.p99_us = NearestRankUs(samples_ns, 0.99);
  s.p999_us = NearestRankUs(samples_ns, 0.999);
  s.max_us = static_cast<double>(samples_ns.back()) / 1000.0;
  return s;
}

}  // namespace mnrecords::loadgen
