// WriteQueue is the queue behind group commit: concurrent writers Submit()
// their write; whichever caller finds no batch running becomes the leader,
// takes the oldest queued writes (up to max_batch) and hands them to the
// batch runner, which must set every write's status. Each Submit returns
// only after the batch holding its write has run, with that write's status.
// Writes run in the order they were queued.
#ifndef MNRECORDS_SERVER_STORE_SQLITE_WRITE_QUEUE_H_
#define MNRECORDS_SERVER_STORE_SQLITE_WRITE_QUEUE_H_

#include <cstdint>
#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "server/store/store.h"

namespace mnrecords {
namespace sqlite {

// QueuedWrite is one caller's write while it waits in a WriteQueue.
struct QueuedWrite {
  explicit QueuedWrite(absl::FunctionRef<absl::Status(WriteTxn&)> write_fn)
      : fn(write_fn) {}

  absl::FunctionRef<absl::Status(WriteTxn&)> fn;
  // Set by the batch runner: the outcome the caller sees.
  absl::Status status;
};

// WriteQueueStats counts what a WriteQueue did since it was made.
struct WriteQueueStats {
  int64_t batches = 0;  // batches run
  int64_t writes = 0;   // writes run in them
  int64_t refused = 0;  // writes refused because the queue was full
  int64_t waiting = 0;  // writes waiting now (not counting a running batch)
};

// WriteQueue is thread-safe.
class WriteQueue {
 public:
  using BatchRunner = absl::FunctionRef<void(absl::Span<QueuedWrite* const>)>;

  // max_batch >= 1 writes run per batch; at most max_queued >= 1 writes wait
  // (not counting a running batch) before Submit refuses more.
  WriteQueue(int max_batch, int max_queued);
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Submit queues `write` and returns its status once its batch has run
  // through `run_batch` (the leader's runner runs everyone's batch; all
  // callers must pass equivalent runners). UNAVAILABLE without running
  // anything if max_queued writes are already waiting.
  absl::Status Submit(QueuedWrite& write, BatchRunner run_batch);

  WriteQueueStats stats() const;

 private:
  const int max_batch_;
  const int max_queued_;
  mutable absl::Mutex mu_;
  std::deque<QueuedWrite*> waiting_ ABSL_GUARDED_BY(mu_);
  // Tickets number writes in queue order; finished_ counts the writes whose
  // batch has run.
  int64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t finished_ ABSL_GUARDED_BY(mu_) = 0;
  bool leader_active_ ABSL_GUARDED_BY(mu_) = false;
  // Signalled (to all) whenever a batch has run.
  absl::CondVar batch_done_;
  WriteQueueStats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sqlite
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_SQLITE_WRITE_QUEUE_H_
