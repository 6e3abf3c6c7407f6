#include "server/store/write_queue.h"

#include "absl/strings/str_cat.h"

namespace mnrecords {

WriteQueue::WriteQueue(int max_batch, int max_queued)
    : max_batch_(max_batch < 1 ? 1 : max_batch),
      max_queued_(max_queued < 1 ? 1 : max_queued) {}

absl::Status WriteQueue::Push(std::unique_ptr<WriteOp>& op) {
  absl::MutexLock lock(&mu_);
  if (closed_) {
    return absl::FailedPreconditionError(
        "the store is closed (the server is shutting down); nothing was "
        "written");
  }
  if (static_cast<int>(waiting_.size()) >= max_queued_) {
    ++stats_.refused;
    return absl::UnavailableError(
        absl::StrCat("the write queue is full (", max_queued_,
                     " writes waiting); nothing was written, retry later"));
  }
  waiting_.push_back(std::move(op));
  return absl::OkStatus();
}

std::vector<std::unique_ptr<WriteOp>> WriteQueue::TakeBatch() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](WriteQueue* q) ABSL_EXCLUSIVE_LOCKS_REQUIRED(q->mu_) {
        return q->closed_ || !q->waiting_.empty();
      },
      this));
  std::vector<std::unique_ptr<WriteOp>> batch;
  while (!waiting_.empty() && static_cast<int>(batch.size()) < max_batch_) {
    batch.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  if (!batch.empty()) {
    ++stats_.batches;
    stats_.writes += static_cast<int64_t>(batch.size());
  }
  return batch;
}

void WriteQueue::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

WriteQueueStats WriteQueue::stats() const {
  absl::MutexLock lock(&mu_);
  WriteQueueStats stats = stats_;
  stats.waiting = static_cast<int64_t>(waiting_.size());
  return stats;
}

void FinishedBatches::Push(Batch batch) {
  absl::MutexLock lock(&mu_);
  batches_.push_back(std::move(batch));
}

std::optional<FinishedBatches::Batch> FinishedBatches::Take() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](FinishedBatches* f) ABSL_EXCLUSIVE_LOCKS_REQUIRED(f->mu_) {
        return f->closed_ || !f->batches_.empty();
      },
      this));
  if (batches_.empty()) return std::nullopt;
  Batch batch = std::move(batches_.front());
  batches_.pop_front();
  return batch;
}

void FinishedBatches::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace mnrecords
