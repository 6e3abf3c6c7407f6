// DatabaseProbe: tells whether a store's database answers, for a database
// the server reaches over the network (PostgreSQL). Every `interval` it
// runs an empty read (one snapshot) and reports a change of "reachable" to
// `on_change`, so the health of writes follows an outage and its end even
// when no calls arrive.
//
// Thread safety: its own thread calls `on_change`; the destructor stops it.
#ifndef MNRECORDS_SERVER_APP_DATABASE_PROBE_H_
#define MNRECORDS_SERVER_APP_DATABASE_PROBE_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/store/store.h"

namespace mnrecords {

class DatabaseProbe {
 public:
  // `store` and `on_change` must outlive the probe. The database counts as
  // reachable when the probe starts.
  DatabaseProbe(Store& store, absl::Duration interval,
                std::function<void(bool reachable)> on_change);
  ~DatabaseProbe();
  DatabaseProbe(const DatabaseProbe&) = delete;
  DatabaseProbe& operator=(const DatabaseProbe&) = delete;

 private:
  void Loop();

  Store& store_;
  const absl::Duration interval_;
  const std::function<void(bool)> on_change_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_APP_DATABASE_PROBE_H_
