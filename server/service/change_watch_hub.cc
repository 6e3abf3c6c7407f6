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
  open_.fetch_add(1, std::memory_order_relaxed);
  return absl::OkStatus();
}

void ChangeWatchHub::Remove(ChangeWatcher* watcher) {
  absl::MutexLock lock(&mu_);
  auto it = watchers_.find(watcher);
  if (it == watchers_.end()) return;
  if (--per_principal_[it->second] == 0) per_principal_.erase(it->second);
  watchers_.erase(it);
  open_.fetch_sub(1, std::memory_order_relaxed);
  auto idle = [this, watcher]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return busy_.count(watcher) == 0;
  };
  mu_.Await(absl::Condition(&idle));
}

void ChangeWatchHub::NotifyCommitted() {
  if (open_.load(std::memory_order_relaxed) == 0) return;
  absl::MutexLock lock(&mu_);
  committed_ = true;
}

int ChangeWatchHub::open() const {
  return open_.load(std::memory_order_relaxed);
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
  // The loop wakes at once on a commit signal, else every kTick to see
  // whether a poll or a heartbeat is due.
  constexpr absl::Duration kTick = absl::Milliseconds(20);
  absl::Time next_poll = absl::Now() + options_.poll_interval;
  absl::Time next_heartbeat = absl::Now() + options_.heartbeat_interval;
  int64_t last_seen = -1;  // the store's latest change at the last poll
  for (;;) {
    bool wake = false;
    {
      absl::MutexLock lock(&mu_);
      auto signalled = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return committed_ || stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&signalled), kTick);
      if (stopping_) return;
      wake = committed_;
      committed_ = false;
      if (watchers_.empty()) continue;
    }
    const absl::Time now = absl::Now();
    if (options_.poll_interval > absl::ZeroDuration() && now >= next_poll) {
      next_poll = now + options_.poll_interval;
      absl::StatusOr<int64_t> head = absl::UnknownError("not read");
      const absl::Status read = store_.Read([&](ReadTxn& txn) {
        head = txn.LastChangeSeq("");
        return head.status();
      });
      // A failed poll wakes nobody; the watches' own reads report errors.
      if (read.ok() && *head != last_seen) {
        wake = wake || last_seen >= 0;
        last_seen = *head;
      }
    }
    if (now >= next_heartbeat) {
      // Each watch sends one when its own last message is older than the
      // interval: waking twice per interval keeps the gap under 1.5 of it.
      next_heartbeat = now + options_.heartbeat_interval / 2;
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
