// WriteQueue holds the writes submitted to a store until its writer
// thread takes them: submitters Push and return at once; the writer takes
// the oldest waiting writes, up to max_batch at a time, and runs each batch
// in one transaction (group commit). Shared by the backends. Writes are taken
// in the order they were pushed.
#ifndef MNRECORDS_SERVER_STORE_WRITE_QUEUE_H_
#define MNRECORDS_SERVER_STORE_WRITE_QUEUE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/store/store.h"

namespace mnrecords {

// WriteQueueStats counts what a WriteQueue did since it was made.
struct WriteQueueStats {
  int64_t batches = 0;  // batches taken
  int64_t writes = 0;   // writes taken in them
  int64_t refused = 0;  // writes refused because the queue was full
  int64_t waiting = 0;  // writes waiting now (not counting a running batch)
};

// WriteQueue is thread-safe.
class WriteQueue {
 public:
  // max_batch >= 1 writes are taken per batch; at most max_queued >= 1
  // writes wait (not counting a running batch) before Push refuses more.
  WriteQueue(int max_batch, int max_queued);
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Push queues `op`. When the queue is full (UNAVAILABLE) or closed
  // (FAILED_PRECONDITION) it returns the refusal and leaves `op` with the
  // caller, who must then tell it (op->Done).
  absl::Status Push(std::unique_ptr<WriteOp>& op);

  // TakeBatch waits until a write is queued or the queue is closed, then
  // takes up to max_batch of the oldest writes. Returns none once the queue
  // is closed and empty.
  std::vector<std::unique_ptr<WriteOp>> TakeBatch();

  // Close refuses later pushes; writes already queued are still taken.
  void Close();

  WriteQueueStats stats() const;

 private:
  const int max_batch_;
  const int max_queued_;
  mutable absl::Mutex mu_;
  std::deque<std::unique_ptr<WriteOp>> waiting_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  WriteQueueStats stats_ ABSL_GUARDED_BY(mu_);
};

// FinishedBatches hands each finished batch from the writer thread to the
// thread that tells its writes their outcomes (WriteOp::Done), so that the
// writer goes on with the next batch meanwhile: one hand-off per batch,
// none per write. Batches are taken in the order they were pushed.
//
// Thread safety: thread-safe.
class FinishedBatches {
 public:
  struct Batch {
    std::vector<std::unique_ptr<WriteOp>> writes;
    std::vector<absl::Status> outcomes;  // one per write
  };

  void Push(Batch batch);
  // Take waits for a batch; nullopt once closed and empty.
  std::optional<Batch> Take();
  // Close lets Take return nullopt once the pushed batches are taken.
  void Close();

 private:
  absl::Mutex mu_;
  std::deque<Batch> batches_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_WRITE_QUEUE_H_
