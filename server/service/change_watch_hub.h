// ChangeWatchHub keeps the open watches of the change feed: it bounds how
// many there are (in all and per principal), wakes them when changes may
// have been committed, and ends them all at shutdown.
//
// A watch is woken (ChangeWatcher::Wake) when a write through this server
// commits (NotifyCommitted, from the store's CommitSignal), when the
// poller sees the store's latest change move (writes by another server on
// the same database), and every heartbeat interval; a woken watch reads
// what is new itself, so a wake carries nothing and may be spurious.
//
// Thread safety: thread-safe. Wake and Shutdown run on the hub's thread
// or the caller of Shutdown, never under the hub's lock, and must not
// block.
#ifndef MNRECORDS_SERVER_SERVICE_CHANGE_WATCH_HUB_H_
#define MNRECORDS_SERVER_SERVICE_CHANGE_WATCH_HUB_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/store/store.h"

namespace mnrecords {

// ChangeWatcher is one open watch as the hub sees it.
class ChangeWatcher {
 public:
  virtual ~ChangeWatcher() = default;
  // Wake: changes may have been committed, or a heartbeat is due.
  virtual void Wake() = 0;
  // Shutdown: the server is stopping; end the watch (telling the client
  // where to resume) and Remove it.
  virtual void Shutdown() = 0;
};

struct ChangeWatchOptions {
  int max_watches = 256;
  int max_watches_per_principal = 16;
  // A watch with nothing to send sends a heartbeat this often.
  absl::Duration heartbeat_interval = absl::Seconds(5);
  // How often the hub reads the store's latest change, to see writes of
  // other servers sharing the database (0 = never).
  absl::Duration poll_interval = absl::Milliseconds(200);
};

class ChangeWatchHub {
 public:
  // `store` must outlive the hub.
  ChangeWatchHub(Store& store, ChangeWatchOptions options);
  ~ChangeWatchHub();
  ChangeWatchHub(const ChangeWatchHub&) = delete;
  ChangeWatchHub& operator=(const ChangeWatchHub&) = delete;

  const ChangeWatchOptions& options() const { return options_; }

  // Add registers a watch of `principal`: RESOURCE_EXHAUSTED beyond the
  // limits, UNAVAILABLE once shutting down.
  absl::Status Add(ChangeWatcher* watcher, const std::string& principal);
  // Remove forgets a watch (no more Wake or Shutdown once it returns).
  void Remove(ChangeWatcher* watcher);

  // NotifyCommitted: a write through this server has committed. Does not
  // block.
  void NotifyCommitted();

  // Shutdown refuses new watches, tells every open one to end and waits up
  // to `grace` for them to be removed.
  void Shutdown(absl::Duration grace);

  // open is the number of open watches.
  int open() const;

 private:
  void Loop();
  // WakeAll wakes every watch (not under mu_ while they run).
  void WakeAll();

  Store& store_;
  const ChangeWatchOptions options_;
  mutable absl::Mutex mu_;
  std::map<ChangeWatcher*, std::string> watchers_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> per_principal_ ABSL_GUARDED_BY(mu_);
  // Watchers being woken right now: Remove waits until they are not.
  std::set<ChangeWatcher*> busy_ ABSL_GUARDED_BY(mu_);
  bool committed_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // How many watches are open: a commit with none to wake costs an atomic
  // read, not a wake-up of the hub's thread.
  std::atomic<int> open_{0};
  std::thread thread_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_CHANGE_WATCH_HUB_H_
