// ChangeWatchers: the change-feed side of the load generator
// (--watchers=N). N WatchChanges streams follow one clinic from the head
// it had before the workload started, while the writers' replies are
// timed by record name (WriteLog). At the end it reports the changes each
// watcher received per second in the measured window, the
// commit-to-delivery latency (delivery at the watcher minus the writer's
// reply, and minus the change's commit_time), and what a consumer would
// notice: changes missing, received twice, or with a cursor that does not
// increase.
#ifndef MNRECORDS_TESTS_LOADGEN_CHANGE_WATCHERS_H_
#define MNRECORDS_TESTS_LOADGEN_CHANGE_WATCHERS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "tests/loadgen/latency_stats.h"

namespace mnrecords::loadgen {

namespace v1 = ::clinic::microneedling::v1;

using WatchClock = std::chrono::steady_clock;

// WriteLog: when each successful write's reply reached the writer, by the
// written record's name. Thread-safe.
class WriteLog {
 public:
  void Replied(const std::string &name) {
    const WatchClock::time_point now = WatchClock::now();
    absl::MutexLock lock(&mu_);
    replied_.emplace(name, now);
  }
  // Snapshot: every reply so far (call it once the writers are done).
  std::unordered_map<std::string, WatchClock::time_point> Snapshot() const {
    absl::MutexLock lock(&mu_);
    return replied_;
  }

 private:
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, WatchClock::time_point> replied_
      ABSL_GUARDED_BY(mu_);
};

// WatchReport: the figures of all watchers together.
struct WatchReport {
  int watchers = 0;
  double seconds = 0;  // the measured window
  // Changes received in the measured window, all watchers together.
  int64_t delivered = 0;
  double per_watcher_per_sec = 0;  // delivered / watchers / seconds
  // Delivery minus the writer's reply (negative: the watcher had the
  // change before the writer had its reply), over changes of the window
  // written by a timed writer.
  LatencySummary after_reply;
  int64_t before_reply = 0;  // samples < 0
  // Delivery (wall clock) minus the change's commit_time.
  LatencySummary after_commit_time;
  // Checks over the whole run (not just the window), summed over watchers.
  int64_t writes = 0;          // timed writes the watchers should have seen
  int64_t missing = 0;         // (write, watcher) pairs never received
  int64_t duplicates = 0;      // (name, revision) received more than once
  int64_t not_increasing = 0;  // a cursor <= the previous one
  int64_t not_created = 0;     // a timed write whose change is not CREATED
  bool caught_up = true;       // every watcher reached the final head
  std::map<std::string, int64_t> stream_errors;  // "CODE: message" -> count
};

// ChangeWatchers runs the watchers on their own threads (one blocking
// stream each).
class ChangeWatchers {
 public:
  // Start reads the clinic's head cursor and opens `count` watches after
  // it, watcher i on channels[i % size], with `token` (a reader of
  // `clinic`). Errors name the call that failed.
  static absl::StatusOr<std::unique_ptr<ChangeWatchers>> Start(
      const std::vector<std::shared_ptr<grpc::Channel>> &channels,
      const std::string &clinic, const std::string &token, int count);
  ~ChangeWatchers();

  // Finish waits (at most `grace`) until every watcher has received the
  // clinic's head as it is now, cancels the watches, and reports on the
  // window [measure_start, measure_end) against `writes`.
  WatchReport Finish(const WriteLog &writes,
                     WatchClock::time_point measure_start,
                     WatchClock::time_point measure_end, absl::Duration grace);

 private:
  struct Received {
    std::string name;
    int64_t revision_id;
    v1::ChangeType type;
    WatchClock::time_point at;
    int64_t after_commit_ns;
  };
  struct Watcher {
    grpc::ClientContext context;
    absl::Mutex mu;
    std::string cursor ABSL_GUARDED_BY(mu);  // last progress cursor
    std::vector<Received> received ABSL_GUARDED_BY(mu);
    int64_t not_increasing ABSL_GUARDED_BY(mu) = 0;
    std::string last_change_cursor ABSL_GUARDED_BY(mu);
    grpc::Status status ABSL_GUARDED_BY(mu);
    bool ended ABSL_GUARDED_BY(mu) = false;
    std::thread thread;
  };

  ChangeWatchers(std::shared_ptr<grpc::Channel> head_channel,
                 std::string clinic, std::string token)
      : head_channel_(std::move(head_channel)),
        parent_("clinics/" + std::move(clinic)),
        token_("Bearer " + std::move(token)) {}
  absl::StatusOr<std::string> HeadCursor();
  void Follow(Watcher &w, std::shared_ptr<grpc::Channel> channel,
              const std::string &after);
  void StopAll();

  std::shared_ptr<grpc::Channel> head_channel_;
  const std::string parent_;
  const std::string token_;
  std::vector<std::unique_ptr<Watcher>> watchers_;
};

}  // namespace mnrecords::loadgen

#endif  // MNRECORDS_TESTS_LOADGEN_CHANGE_WATCHERS_H_
