#include "tests/client/fake_change_feed_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace mnrecords {
namespace testing {

std::string ScriptedChangeFeedService::Cursor(int i) {
  return absl::StrFormat("c%06d", i);
}

void ScriptedChangeFeedService::SetLog(int changes) {
  absl::MutexLock lock(&mu_);
  log_size_ = changes;
}

void ScriptedChangeFeedService::Script(std::vector<Attempt> attempts) {
  absl::MutexLock lock(&mu_);
  script_.assign(attempts.begin(), attempts.end());
}

void ScriptedChangeFeedService::SetHead(std::string head_cursor) {
  absl::MutexLock lock(&mu_);
  head_ = std::move(head_cursor);
}

void ScriptedChangeFeedService::FailListChanges(int n) {
  absl::MutexLock lock(&mu_);
  failing_lists_ = n;
}

std::vector<ScriptedChangeFeedService::Watch>
ScriptedChangeFeedService::watches() const {
  absl::MutexLock lock(&mu_);
  return watches_;
}

std::vector<v1::ListChangesRequest> ScriptedChangeFeedService::lists() const {
  absl::MutexLock lock(&mu_);
  return lists_;
}

void ScriptedChangeFeedService::WaitForWatches(int n) const {
  absl::MutexLock lock(&mu_);
  auto started = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return static_cast<int>(watches_.size()) >= n;
  };
  mu_.Await(absl::Condition(&started));
}

int ScriptedChangeFeedService::FirstAfter(const std::string& cursor) const {
  for (int i = 1; i <= log_size_; ++i) {
    if (Cursor(i) > cursor) return i;
  }
  return log_size_ + 1;
}

v1::Change ScriptedChangeFeedService::MakeChange(int i) const {
  v1::Change change;
  change.set_cursor(Cursor(i));
  change.set_name(absl::StrFormat("clinics/c1/patients/p%d", i));
  change.set_kind(v1::RECORD_KIND_PATIENT);
  change.set_revision_id(1);
  change.set_type(v1::CHANGE_TYPE_CREATED);
  return change;
}

grpc::Status ScriptedChangeFeedService::ListChanges(
    grpc::ServerContext*, const v1::ListChangesRequest* request,
    v1::ListChangesResponse* response) {
  absl::MutexLock lock(&mu_);
  lists_.push_back(*request);
  if (failing_lists_ > 0) {
    --failing_lists_;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "scripted outage");
  }
  response->set_next_cursor(request->after_cursor());
  response->set_head_cursor(head_);
  return grpc::Status::OK;
}

grpc::Status ScriptedChangeFeedService::WatchChanges(
    grpc::ServerContext* context, const v1::WatchChangesRequest* request,
    grpc::ServerWriter<v1::WatchChangesResponse>* writer) {
  Attempt attempt;
  bool scripted;
  int first;
  int last;
  {
    absl::MutexLock lock(&mu_);
    Watch watch{*request, ""};
    auto auth = context->client_metadata().find("authorization");
    if (auth != context->client_metadata().end()) {
      watch.authorization.assign(auth->second.data(), auth->second.size());
    }
    watches_.push_back(std::move(watch));
    scripted = !script_.empty();
    if (scripted) {
      attempt = script_.front();
      script_.pop_front();
    }
    first = FirstAfter(request->after_cursor());
    if (attempt.resend_last && first > 1) --first;
    last =
        scripted ? std::min(first + attempt.changes - 1, log_size_) : log_size_;
  }
  for (int i = first; i <= last; ++i) {
    v1::WatchChangesResponse response;
    *response.add_changes() = MakeChange(i);
    response.set_progress_cursor(Cursor(i));
    if (!writer->Write(response)) return grpc::Status::CANCELLED;
  }
  if (!attempt.heartbeat_cursor.empty()) {
    v1::WatchChangesResponse heartbeat;
    heartbeat.set_progress_cursor(attempt.heartbeat_cursor);
    writer->Write(heartbeat);
  }
  if (scripted) return attempt.end;
  while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
  return grpc::Status::CANCELLED;
}

}  // namespace testing
}  // namespace mnrecords
