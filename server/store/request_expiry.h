// RequestExpiry forgets request ids once their retention has passed, in the
// background. Every `interval` it writes batches of at most `batch_size`
// deletions (WriteTxn::ExpireRequests, oldest first) until no expired id is
// left: each batch is one short write among the others in the writer's
// queue, so a backlog never holds up record writes for long. A batch the
// store refuses (writes unhealthy, queue full) waits for the next interval.
#ifndef MNRECORDS_SERVER_STORE_REQUEST_EXPIRY_H_
#define MNRECORDS_SERVER_STORE_REQUEST_EXPIRY_H_

#include <cstdint>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "server/store/store.h"

namespace mnrecords {

struct RequestExpiryOptions {
  // Ids created more than this long ago (by `clock`) are forgotten (the
  // server config's request_id_retention_hours: RequestIdRetention).
  absl::Duration retention = absl::InfiniteDuration();
  absl::Duration interval = absl::Minutes(1);
  int64_t batch_size = 500;
};

class RequestExpiry {
 public:
  // Starts the background thread; `store` and `clock` must outlive this.
  RequestExpiry(Store& store, const Clock& clock, RequestExpiryOptions options);
  // Stops the thread (a batch in flight finishes first).
  ~RequestExpiry();
  RequestExpiry(const RequestExpiry&) = delete;
  RequestExpiry& operator=(const RequestExpiry&) = delete;

 private:
  void Run();
  // ExpireAll writes batches until fewer than a batch were left, the store
  // refuses one, or Stop was called.
  void ExpireAll();
  bool stopping();

  Store& store_;
  const Clock& clock_;
  const RequestExpiryOptions options_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_REQUEST_EXPIRY_H_
