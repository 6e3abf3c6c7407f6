// BlockingPool runs tasks that may block for long (a database backup, a
// whole audit-log check, an export) on a few threads of its own, so that
// gRPC's callback threads, which every other call needs, never wait on
// them. Tasks run in the order given; more than the threads queue.
//
// Thread safety: Run may be called from any thread. The destructor runs
// the tasks already queued, then joins the threads.
#ifndef MNRECORDS_SERVER_GRPC_BLOCKING_POOL_H_
#define MNRECORDS_SERVER_GRPC_BLOCKING_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace mnrecords {

class BlockingPool {
 public:
  explicit BlockingPool(int threads);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Run queues `task` for the next free thread.
  void Run(absl::AnyInvocable<void() &&> task);

 private:
  void Work();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_BLOCKING_POOL_H_
