#include "tests/loadgen/change_watchers.h"

#include <algorithm>
#include <set>
#include <unordered_set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"

namespace mnrecords::loadgen {
namespace {

using google::protobuf::util::TimeUtil;

bool InWindow(WatchClock::time_point t, WatchClock::time_point start,
              WatchClock::time_point end) {
  return t >= start && t < end;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChangeWatchers>> ChangeWatchers::Start(
    const std::vector<std::shared_ptr<grpc::Channel>> &channels,
    const std::string &clinic, const std::string &token, int count) {
  std::unique_ptr<ChangeWatchers> out(
      new ChangeWatchers(channels.at(0), clinic, token));
  // From the head read now: every change committed later reaches every
  // watcher, however long its stream takes to open.
  absl::StatusOr<std::string> head = out->HeadCursor();
  if (!head.ok()) return head.status();
  for (int i = 0; i < count; ++i) {
    out->watchers_.push_back(std::make_unique<Watcher>());
    Watcher &w = *out->watchers_.back();
    {
      absl::MutexLock lock(&w.mu);
      w.cursor = *head;
    }
    w.thread =
        std::thread(&ChangeWatchers::Follow, out.get(), std::ref(w),
                    channels[static_cast<size_t>(i) % channels.size()], *head);
  }
  return out;
}

ChangeWatchers::~ChangeWatchers() { StopAll(); }

absl::StatusOr<std::string> ChangeWatchers::HeadCursor() {
  v1::ChangeFeed::Stub stub(head_channel_);
  grpc::ClientContext context;
  context.AddMetadata("authorization", token_);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::ListChangesRequest request;
  request.set_parent(parent_);
  request.set_page_size(1);
  request.mutable_filter()->set_names_only(true);
  v1::ListChangesResponse response;
  const grpc::Status s = stub.ListChanges(&context, request, &response);
  if (!s.ok()) {
    return absl::Status(
        static_cast<absl::StatusCode>(s.error_code()),
        absl::StrCat("ListChanges ", parent_, ": ", s.error_message()));
  }
  return response.head_cursor();
}

void ChangeWatchers::Follow(Watcher &w, std::shared_ptr<grpc::Channel> channel,
                            const std::string &after) {
  v1::ChangeFeed::Stub stub(std::move(channel));
  w.context.AddMetadata("authorization", token_);
  v1::WatchChangesRequest request;
  request.set_parent(parent_);
  request.set_after_cursor(after);
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader =
      stub.WatchChanges(&w.context, request);
  v1::WatchChangesResponse response;
  while (reader->Read(&response)) {
    const WatchClock::time_point at = WatchClock::now();
    const absl::Time wall = absl::Now();
    absl::MutexLock lock(&w.mu);
    for (const v1::Change &c : response.changes()) {
      if (!w.last_change_cursor.empty() && c.cursor() <= w.last_change_cursor) {
        ++w.not_increasing;
      }
      w.last_change_cursor = c.cursor();
      const absl::Time commit = absl::FromUnixNanos(
          TimeUtil::TimestampToNanoseconds(c.commit_time()));
      w.received.push_back({c.name(), c.revision_id(), c.type(), at,
                            absl::ToInt64Nanoseconds(wall - commit)});
    }
    w.cursor = response.progress_cursor();
  }
  const grpc::Status status = reader->Finish();
  absl::MutexLock lock(&w.mu);
  w.status = status;
  w.ended = true;
}

void ChangeWatchers::StopAll() {
  for (auto &w : watchers_) w->context.TryCancel();
  for (auto &w : watchers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

WatchReport ChangeWatchers::Finish(const WriteLog &writes,
                                   WatchClock::time_point measure_start,
                                   WatchClock::time_point measure_end,
                                   absl::Duration grace) {
  WatchReport r;
  r.watchers = static_cast<int>(watchers_.size());
  r.seconds =
      std::chrono::duration<double>(measure_end - measure_start).count();
  // Wait for every watcher to reach the head as it is now (all writes
  // are done), then stop them.
  absl::StatusOr<std::string> head = HeadCursor();
  const absl::Time deadline = absl::Now() + grace;
  for (auto &w : watchers_) {
    absl::MutexLock lock(&w->mu);
    auto reached = [&] {
      w->mu.AssertHeld();
      return w->ended || (head.ok() && w->cursor >= *head);
    };
    if (!w->mu.AwaitWithDeadline(absl::Condition(&reached), deadline)) {
      r.caught_up = false;
    }
  }
  StopAll();
  if (!head.ok()) {
    r.caught_up = false;
    ++r.stream_errors[std::string(head.status().message())];
  }

  const auto replied = writes.Snapshot();
  r.writes = static_cast<int64_t>(replied.size());
  std::vector<int64_t> after_reply, after_commit;
  for (auto &w : watchers_) {
    absl::MutexLock lock(&w->mu);
    if (!w->status.ok() &&
        w->status.error_code() != grpc::StatusCode::CANCELLED) {
      ++r.stream_errors[absl::StrCat(static_cast<int>(w->status.error_code()),
                                     ": ", w->status.error_message())];
    }
    r.not_increasing += w->not_increasing;
    std::set<std::pair<std::string, int64_t>> seen;
    std::unordered_set<std::string> names;
    for (const Received &c : w->received) {
      if (!seen.emplace(c.name, c.revision_id).second) ++r.duplicates;
      names.insert(c.name);
      auto write = replied.find(c.name);
      if (write != replied.end() && c.revision_id == 1 &&
          c.type != v1::CHANGE_TYPE_CREATED) {
        ++r.not_created;
      }
      if (!InWindow(c.at, measure_start, measure_end)) continue;
      ++r.delivered;
      after_commit.push_back(c.after_commit_ns);
      if (write != replied.end() && c.revision_id == 1) {
        const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               c.at - write->second)
                               .count();
        if (ns < 0) ++r.before_reply;
        after_reply.push_back(ns);
      }
    }
    for (const auto &[name, at] : replied) {
      if (names.count(name) == 0) ++r.missing;
    }
  }
  r.per_watcher_per_sec =
      r.watchers > 0 && r.seconds > 0
          ? static_cast<double>(r.delivered) / r.watchers / r.seconds
          : 0;
  r.after_reply = Summarize(after_reply);
  r.after_commit_time = Summarize(after_commit);
  return r;
}

}  // namespace mnrecords::loadgen
