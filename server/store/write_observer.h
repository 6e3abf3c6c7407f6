// WriteBatchObserver: told about each batch a store's writer has run (the
// server's metrics: batch sizes, commit latency, queue depth).
#ifndef MNRECORDS_SERVER_STORE_WRITE_OBSERVER_H_
#define MNRECORDS_SERVER_STORE_WRITE_OBSERVER_H_

#include <chrono>
#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace mnrecords {

// WriteBatchReport describes one batch (one transaction).
struct WriteBatchReport {
  size_t writes = 0;     // writes in the batch
  size_t succeeded = 0;  // writes that committed
  // From the start of the transaction to its durable commit (or failure).
  absl::Duration latency;
  // Writes queued behind the batch when it finished.
  int64_t waiting = 0;
};

// Implementations must be thread-safe and must not block: OnWriteBatch
// runs on the writer's thread between batches.
class WriteBatchObserver {
 public:
  virtual ~WriteBatchObserver() = default;
  virtual void OnWriteBatch(const WriteBatchReport& report) = 0;
};

// ReportWriteBatch tells `observer` (if any) about a batch that started at
// `began` and ended with `outcomes`.
inline void ReportWriteBatch(WriteBatchObserver* observer,
                             std::chrono::steady_clock::time_point began,
                             const std::vector<absl::Status>& outcomes,
                             int64_t waiting) {
  if (observer == nullptr) return;
  WriteBatchReport report;
  report.writes = outcomes.size();
  for (const absl::Status& outcome : outcomes) report.succeeded += outcome.ok();
  report.latency = absl::FromChrono(std::chrono::steady_clock::now() - began);
  report.waiting = waiting;
  observer->OnWriteBatch(report);
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_WRITE_OBSERVER_H_
