#include "server/service/change_watch_hub.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace mnrecords {

ChangeWatchHub::ChangeWatchHub(Store& store, ChangeWatchOptions options)
    : store_(store), options_(options), thread_([this] { Loop(); }) {}

ChangeWatchHub::~ChangeWatchHub() {
  Shutdown(absl::ZeroDuration());
  if (thread_.joinable()) thread_.join();
}

absl::Status ChangeWatchHub::Add(ChangeWatcher* watcher,
                                 const std::string& principal) {
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    return absl::UnavailableError(
        "the server is shutting down; watch again on another server or "
        "later");
  }
  if (static_cast<int>(watchers_.size()) >= options_.max_watches) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the server has its limit of ", options_.max_watches,
                     " open watches; retry later with backoff"));
  }
  int& mine = per_principal_[principal];
  if (mine >= options_.max_watches_per_principal) {
    return absl::ResourceExhaustedError(
        absl::StrCat("principal ", principal, " has its limit of ",
                     options_.max_watches_per_principal,
                     " open watches; end one before opening another"));
  }
  ++mine;
  watchers_.emplace(watcher, principal);
  return absl::OkStatus();
}

void ChangeWatchHub::Remove(ChangeWatcher* watcher) {
  absl::MutexLock lock(&mu_);
  auto it = watchers_.find(watcher);
  if (it == watchers_.end()) return;
  if (--per_principal_[it->second] == 0) per_principal_.erase(it->second);
  watchers_.erase(it);
  auto idle = [this, watcher]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return busy_.count(watcher) == 0;
  };
  mu_.Await(absl::Condition(&idle));
}

void ChangeWatchHub::NotifyCommitted() {
  absl::MutexLock lock(&mu_);
  committed_ = true;
}

int ChangeWatchHub::open() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(watchers_.size());
}

void ChangeWatchHub::WakeAll() {
  std::vector<ChangeWatcher*> all;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [watcher, principal] : watchers_) {
      all.push_back(watcher);
      busy_.insert(watcher);
    }
  }
  for (ChangeWatcher* watcher : all) {
    watcher->Wake();
    absl::MutexLock lock(&mu_);
    busy_.erase(watcher);
  }
}

void ChangeWatchHub::Loop() {
  // A commit here is seen within kCommitCheck; other servers' within
  // poll_interval; heartbeats are due every heartbeat_interval.
  const absl::Duration kCommitCheck = absl::Milliseconds(1);
  absl::Time next_poll = absl::Now() + options_.poll_interval;
  absl::Time next_heartbeat = absl::Now() + options_.heartbeat_interval;
  int64_t last_seen = -1;
  for (;;) {
    bool wake = false;
    {
      absl::MutexLock lock(&mu_);
      // Sleep until a commit is signalled (checked every kCommitCheck so
      // that NotifyCommitted, on the writer's thread, only sets a flag).
      auto signalled = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return committed_ || stopping_;
      };
      mu_.AwaitWithTimeout(
          absl::Condition(&signalled),
          watchers_.empty() ? absl::Milliseconds(50) : kCommitCheck * 20);
      if (stopping_) return;
      wake = committed_;
      committed_ = false;
      if (watchers_.empty()) continue;
    }
    const absl::Time now = absl::Now();
    if (options_.poll_interval > absl::ZeroDuration() && now >= next_poll) {
      next_poll = now + options_.poll_interval;
      int64_t head = 0;
      const absl::Status read = store_.Read([&](ReadTxn& txn) -> absl::Status {
        absl::StatusOr<int64_t> seq = txn.LastChangeSeq("");
        if (!seq.ok()) return seq.status();
        head = *seq;
        return absl::OkStatus();
      });
      if (read.ok() && head != last_seen) {
        wake = wake || last_seen >= 0;
        last_seen = head;
      }
    }
    if (now >= next_heartbeat) {
      next_heartbeat = now + options_.heartbeat_interval;
      wake = true;
    }
    if (wake) WakeAll();
  }
}

void ChangeWatchHub::Shutdown(absl::Duration grace) {
  std::vector<ChangeWatcher*> all;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && watchers_.empty()) return;
    stopping_ = true;
    for (const auto& [watcher, principal] : watchers_) {
      all.push_back(watcher);
      busy_.insert(watcher);
    }
  }
  for (ChangeWatcher* watcher : all) {
    watcher->Shutdown();
    absl::MutexLock lock(&mu_);
    busy_.erase(watcher);
  }
  absl::MutexLock lock(&mu_);
  auto none = [this]()
                  ABSL_SHARED_LOCKS_REQUIRED(mu_) { return watchers_.empty(); };
  mu_.AwaitWithTimeout(absl::Condition(&none), grace);
}

}  // namespace mnrecords
