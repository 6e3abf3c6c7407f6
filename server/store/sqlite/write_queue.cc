#include "server/store/sqlite/write_queue.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace mnrecords {
namespace sqlite {

WriteQueue::WriteQueue(int max_batch, int max_queued)
    : max_batch_(max_batch < 1 ? 1 : max_batch),
      max_queued_(max_queued < 1 ? 1 : max_queued) {}

absl::Status WriteQueue::Submit(QueuedWrite& write, BatchRunner run_batch) {
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(waiting_.size()) >= max_queued_) {
    ++stats_.refused;
    return absl::UnavailableError(
        absl::StrCat("the write queue is full (", max_queued_,
                     " writes waiting); nothing was written, retry later"));
  }
  // Writes are batched in queue order, so a write is done once `finished_`
  // (the number of writes run so far) has passed its ticket.
  const int64_t ticket = next_ticket_++;
  waiting_.push_back(&write);
  while (finished_ <= ticket) {
    if (leader_active_) {
      // Wake when the running batch ends: either ours was in it, or we may
      // have to lead the next one.
      batch_done_.Wait(&mu_);
      continue;
    }
    leader_active_ = true;
    std::vector<QueuedWrite*> batch;
    while (!waiting_.empty() && static_cast<int>(batch.size()) < max_batch_) {
      batch.push_back(waiting_.front());
      waiting_.pop_front();
    }
    mu_.Unlock();
    run_batch(batch);
    mu_.Lock();
    finished_ += static_cast<int64_t>(batch.size());
    ++stats_.batches;
    stats_.writes += static_cast<int64_t>(batch.size());
    leader_active_ = false;
    batch_done_.SignalAll();
  }
  return write.status;
}

WriteQueueStats WriteQueue::stats() const {
  absl::MutexLock lock(&mu_);
  WriteQueueStats stats = stats_;
  stats.waiting = static_cast<int64_t>(waiting_.size());
  return stats;
}

}  // namespace sqlite
}  // namespace mnrecords
